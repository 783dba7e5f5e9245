import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      /** `npm run fuzz`: the soak's time budget and seed (test/fuzz/run.mjs). */
      FUZZ_SECONDS?: string;
      FUZZ_SEED?: string;
    }
  }
}
