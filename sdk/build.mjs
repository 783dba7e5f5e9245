// Builds the publishable package: the SDK and CLI (TypeScript, importing the shared contract in
// ../src/contract) bundled into plain ESM for Node 20+, browsers, Workers, Deno and Bun, and one
// dist/index.d.ts with every type the package exports (the contract's included), so nothing in
// dist/ points outside the package. Runs on `npm install` (root `prepare`) and in `npm test`.
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(root, "dist");
const typesDir = path.join(root, ".types");

fs.rmSync(dist, { recursive: true, force: true });
const common = {
  bundle: true,
  format: "esm",
  target: "es2022",
  sourcemap: true,
  // The published maps carry their sources: the paths they name are not in the package.
  sourcesContent: true,
  logLevel: "warning",
  // Dependencies stay external so users share one copy of zod and ws.
  external: ["zod", "ws", "citty", "node:*"],
};
await build({ ...common, entryPoints: [path.join(root, "src/index.ts")], outfile: path.join(dist, "index.js"), platform: "neutral" });
await build({ ...common, entryPoints: [path.join(root, "src/cli/main.ts")], outfile: path.join(dist, "cli.js"), platform: "node" });

// Declarations: tsc emits one .d.ts per module (SDK and contract) into .types/, then API
// Extractor rolls every declaration reachable from index.d.ts into dist/index.d.ts. Whatever
// src/index.ts exports is included; nothing is listed here.
fs.rmSync(typesDir, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [path.join(root, "../node_modules/typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (tsc.status !== 0) throw new Error("declaration emit failed (tsc -p sdk/tsconfig.build.json)");

const config = ExtractorConfig.prepare({
  configObject: {
    projectFolder: root,
    mainEntryPointFilePath: path.join(typesDir, "sdk/src/index.d.ts"),
    bundledPackages: [],
    compiler: { tsconfigFilePath: path.join(root, "tsconfig.build.json") },
    apiReport: { enabled: false },
    docModel: { enabled: false },
    tsdocMetadata: { enabled: false },
    dtsRollup: { enabled: true, untrimmedFilePath: path.join(dist, "index.d.ts") },
    messages: {
      // Release tags (@public/@beta) and TSDoc syntax are API Extractor's conventions, not ours.
      extractorMessageReporting: { default: { logLevel: "none" }, "ae-wrong-input-file-type": { logLevel: "error" } },
      tsdocMessageReporting: { default: { logLevel: "none" } },
      compilerMessageReporting: { default: { logLevel: "error" } },
    },
  },
  configObjectFullPath: undefined,
  packageJsonFullPath: path.join(root, "package.json"),
});
const result = Extractor.invoke(config, {
  localBuild: true,
  messageCallback: (m) => {
    // Its own banner ("Analysis will use the bundled TypeScript version …") is noise in every install.
    if (m.logLevel !== "error") m.handled = true;
  },
});
if (!result.succeeded) throw new Error(`dist/index.d.ts: API Extractor reported ${result.errorCount} error(s)`);
fs.rmSync(typesDir, { recursive: true, force: true });

// A name the declarations give a value that the bundle does not export would type-check and then
// be undefined at run time (a contract schema re-exported for its type does exactly that).
const declared = valueExports(fs.readFileSync(path.join(dist, "index.d.ts"), "utf8"));
const exported = new Set(Object.keys(await import(`${path.join(dist, "index.js")}?${Date.now()}`)));
const phantom = declared.filter((n) => !exported.has(n));
if (phantom.length)
  throw new Error(`dist/index.d.ts declares values dist/index.js does not export: ${phantom.join(", ")} (export contract types through sdk/src/contract-types.ts)`);

/** Names a rolled-up declaration file exports as values (API Extractor's two forms of export). */
function valueExports(dts) {
  const VALUE = "(?:const|let|var|function|class|enum|namespace|abstract class)";
  const direct = [...dts.matchAll(new RegExp(`^export declare ${VALUE} (\\w+)`, "gm"))].map((m) => m[1]);
  const values = new Set([...dts.matchAll(new RegExp(`^(?:export )?declare ${VALUE} (\\w+)`, "gm"))].map((m) => m[1]));
  const renamed = [...dts.matchAll(/^export \{([^}]*)\}/gm)].flatMap((m) =>
    m[1].split(",").map((part) => part.trim().split(/\s+as\s+/)).filter(([local]) => local && values.has(local)).map(([local, name]) => name ?? local),
  );
  return [...direct, ...renamed];
}
