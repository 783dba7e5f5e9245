// Bundles the SDK and CLI (TypeScript, importing the shared contract in ../src/contract) into
// plain ESM for Node 20+, browsers, Workers, Deno and Bun. Runs on `npm install` (root `prepare`).
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(fileURLToPath(import.meta.url));
const common = {
  bundle: true,
  format: "esm",
  target: "es2022",
  sourcemap: true,
  logLevel: "warning",
  // Dependencies stay external so users share one copy of zod and ws.
  external: ["zod", "ws", "citty", "node:*"],
};
await build({ ...common, entryPoints: [path.join(root, "src/index.ts")], outfile: path.join(root, "dist/index.js"), platform: "neutral" });
await build({ ...common, entryPoints: [path.join(root, "src/cli/main.ts")], outfile: path.join(root, "dist/cli.js"), platform: "node" });
