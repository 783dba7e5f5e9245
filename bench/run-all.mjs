// `npm run bench`: every benchmark in turn (each starts its own local server), then one JSON
// object that merges their last lines.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const results = {};
for (const name of ["round-trips", "requests", "ingest", "alerts", "sdk", "python"]) {
  console.error(`\n== bench:${name} ==`);
  const r = spawnSync(process.execPath, [path.join(here, `${name}.mjs`)], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  const last = r.stdout.trim().split("\n").pop() ?? "";
  process.stderr.write(r.stdout);
  if (r.status !== 0) {
    console.error(`bench:${name} failed with exit code ${r.status}`);
    process.exitCode = 1;
    continue;
  }
  results[name] = JSON.parse(last);
}
console.log(JSON.stringify(results));
