import fs from "node:fs";
import path from "node:path";
// @ts-expect-error plain ESM helper shared with `npm start` and the benchmarks
import { buildDashboard } from "../../src/local/dev-server.mjs";

// The tests serve their own build of the dashboard, so that `npm test` never rewrites the
// dist/dashboard that a running `npm start` is serving. `npm test` builds it before vitest starts;
// running e2e files alone builds it here when it is missing.
export const TEST_DASHBOARD = path.resolve(import.meta.dirname, "../.tmp/dashboard");

export function ensureTestDashboard(): string {
  if (!fs.existsSync(path.join(TEST_DASHBOARD, "index.html"))) buildDashboard(TEST_DASHBOARD);
  return TEST_DASHBOARD;
}
