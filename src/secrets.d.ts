// Secrets are not in wrangler.toml, so `wrangler types` cannot see them.
declare namespace Cloudflare {
  interface Env {
    /** The first admin key (`wrangler secret put ADMIN_TOKEN`; `.dev.vars` locally). */
    ADMIN_TOKEN?: string;
    /** Benchmarks only: `"true"` reports each request's D1 and Durable Object calls (src/round-trips). */
    COUNT_ROUND_TRIPS?: string;
  }
}
