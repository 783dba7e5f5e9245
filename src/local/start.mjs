// `npm start`: the local default. Applies migrations, builds the dashboard, runs the Worker on
// 127.0.0.1 with state persisted in .wrangler/state under Miniflare, and prints the URL and the
// admin key. `npm run dev` (`--dev`) runs the same under `wrangler dev`, which reloads on changes.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ROOT, buildDashboard, startDevServer } from "./dev-server.mjs";
import { describePortHolder, portIsFree } from "./port-in-use.mjs";

function adminToken() {
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  const file = path.join(ROOT, ".dev.vars");
  const existing = fs.existsSync(file) ? /^ADMIN_TOKEN\s*=\s*"?([^"\n]+)"?/m.exec(fs.readFileSync(file, "utf8")) : null;
  if (existing) return existing[1];
  const token = `tf_admin_${randomBytes(20).toString("hex")}`;
  fs.appendFileSync(file, `ADMIN_TOKEN="${token}"\n`, { mode: 0o600 });
  return token;
}

const port = Number(process.env.PORT ?? 8787);
const dev = process.argv.includes("--dev");
if (!(await portIsFree(port))) {
  console.error(`${await describePortHolder(port)}\nStop it, or start on another port: PORT=${port + 1} npm ${dev ? "run dev" : "start"}`);
  process.exit(1);
}
const token = adminToken();
buildDashboard();
const server = await startDevServer({
  port,
  persistTo: path.join(ROOT, ".wrangler/state"),
  adminToken: token,
  vars: { ALLOW_LOOPBACK_WEBHOOKS: "true" },
  engine: dev ? "wrangler" : "miniflare",
});
console.log(`
  Trackflare is running at ${server.url}
  Dashboard:  ${server.url}/
  Admin key:  ${token}

  export TRACKFLARE_URL=${server.url} TRACKFLARE_TOKEN=${token}
  Stop with Ctrl+C. State persists in .wrangler/state.${dev ? " Reloads when a source file changes." : ""}
`);
const shutdown = async () => {
  await server.close();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
server.child?.on("exit", (code) => process.exit(code ?? 1));
