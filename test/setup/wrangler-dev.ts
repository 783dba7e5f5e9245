import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
// @ts-expect-error plain ESM helper shared with `npm start` and the benchmarks
import { startDevServer } from "../../src/local/dev-server.mjs";
import { ensureTestDashboard } from "./test-dashboard";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    adminToken: string;
  }
}

/** One `wrangler dev` with fresh local state for the whole e2e project. */
export default async function setup(project: TestProject) {
  const persistTo = fs.mkdtempSync(path.join(os.tmpdir(), "trackflare-e2e-"));
  const adminToken = `tf_admin_e2e_${Date.now()}`;
  // An empty env file in place of the repository's `.dev.vars` (which `npm start` writes).
  const envFile = path.join(persistTo, "test.env");
  fs.writeFileSync(envFile, "");
  const server = await startDevServer({ persistTo, adminToken, vars: { ALLOW_LOOPBACK_WEBHOOKS: "true" }, quiet: true, assets: ensureTestDashboard(), envFile });
  project.provide("baseUrl", server.url);
  project.provide("adminToken", adminToken);
  return async () => {
    await server.close();
    fs.rmSync(persistTo, { recursive: true, force: true });
  };
}
