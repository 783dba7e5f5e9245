// A Trackflare server for the Python suite when it runs on its own (`pytest sdk/python/tests`) and for the
// tests that kill and restart one: `node test/python/serve.mjs <port> <persist-dir> <admin-token>`.
// Prints `ready <url>` once /health answers; SIGTERM stops it (and the runtime it started).
import fs from "node:fs";
import path from "node:path";
import { ROOT, buildDashboard, startDevServer } from "../../src/local/dev-server.mjs";

const [port, persistTo, adminToken] = process.argv.slice(2);
if (!fs.existsSync(path.join(ROOT, "dist/dashboard"))) buildDashboard();
const server = await startDevServer({ port: Number(port), persistTo, adminToken, vars: { ALLOW_LOOPBACK_WEBHOOKS: "true" }, quiet: true });
console.log(`ready ${server.url}`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server.child?.on("exit", (code) => process.exit(code ?? 1));
