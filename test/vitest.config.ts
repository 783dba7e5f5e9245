import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { isolatedWranglerConfig } from "./setup/isolated-wrangler-config.ts";
import { dropToolNoise } from "./setup/quiet-output.ts";

const root = path.join(import.meta.dirname, "..");
dropToolNoise(process.stderr);
dropToolNoise(process.stdout);

// `worker` runs in workerd with real local D1, Durable Objects and Queues; `node` is plain Node;
// `e2e` runs in Node against `wrangler dev` (SDK, CLI, WebSocket, MCP, webhooks, browser).
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(root, "migrations"));
  const worker = (name: string, include: string[], bindings: Record<string, unknown> = {}) => ({
    plugins: [
      cloudflareTest({
        main: path.join(root, "src/index.ts"),
        wrangler: { configPath: isolatedWranglerConfig(root) },
        miniflare: {
          bindings: { TEST_MIGRATIONS: migrations, ADMIN_TOKEN: "test-admin-token", ALLOW_LOOPBACK_WEBHOOKS: "true", ...bindings },
        },
      }),
    ],
    test: { name, root, include, setupFiles: ["test/setup/apply-migrations.ts"] },
  });
  // `npm run fuzz` (test/fuzz/run.mjs) adds the soak; `npm test` never runs it.
  const fuzz = process.env.TRACKFLARE_FUZZ_SECONDS
    ? [worker("fuzz", ["test/fuzz/**/*.test.ts"], { FUZZ_SECONDS: process.env.TRACKFLARE_FUZZ_SECONDS, FUZZ_SEED: process.env.TRACKFLARE_FUZZ_SEED ?? "" })]
    : [];
  return {
    test: {
      // What a test prints (expected warnings of the code under test) is shown when it fails.
      silent: "passed-only",
      projects: [
        worker("worker", ["test/worker/**/*.test.ts"]),
        ...fuzz,
        {
          // Pure Node unit tests (SDK internals): no server, no workerd.
          test: { name: "node", root, include: ["test/node/**/*.test.ts"], environment: "node" },
        },
        {
          test: {
            name: "e2e",
            root,
            include: ["test/e2e/**/*.test.ts"],
            environment: "node",
            globalSetup: ["test/setup/wrangler-dev.ts"],
            testTimeout: 60_000,
            hookTimeout: 120_000,
            // One wrangler dev serves every e2e file; files run one at a time on 2 cores.
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
