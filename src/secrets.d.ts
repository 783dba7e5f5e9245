// Secrets are not in wrangler.toml, so `wrangler types` cannot see them.
declare namespace Cloudflare {
  interface Env {
    /** The first admin key (`wrangler secret put ADMIN_TOKEN`; `.dev.vars` locally). */
    ADMIN_TOKEN?: string;
  }
}
