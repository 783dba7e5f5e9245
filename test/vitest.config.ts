import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { isolatedWranglerConfig } from "./setup/isolated-wrangler-config.ts";
import { dropToolNoise } from "./setup/quiet-output.ts";

const root = path.join(import.meta.dirname, "..");
dropToolNoise(process.stderr);
dropToolNoise(process.stdout);

// Two projects: `worker` runs in workerd with real local D1, Durable Objects and Queues;
// `e2e` runs in Node against `wrangler dev` (SDK, CLI, WebSocket, MCP, webhooks, browser).
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(root, "migrations"));
  return {
    test: {
      // What a test prints (expected warnings of the code under test) is shown when it fails.
      silent: "passed-only",
      projects: [
        {
          plugins: [
            cloudflareTest({
              main: path.join(root, "src/index.ts"),
              wrangler: { configPath: isolatedWranglerConfig(root) },
              miniflare: {
                bindings: { TEST_MIGRATIONS: migrations, ADMIN_TOKEN: "test-admin-token", ALLOW_LOOPBACK_WEBHOOKS: "true" },
              },
            }),
          ],
          test: {
            name: "worker",
            root,
            include: ["test/worker/**/*.test.ts"],
            setupFiles: ["test/setup/apply-migrations.ts"],
          },
        },
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
