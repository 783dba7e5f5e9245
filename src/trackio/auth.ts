import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { authenticate, extractToken } from "../auth/middleware";
import { canSeeProject, hasScope, type Principal } from "../auth/principal";
import { sha256Hex } from "../auth/tokens";
import type { AppEnv } from "../env";
import { READ_KEY_REQUIRED, TrackioError, WRITE_TOKEN_REQUIRED } from "./errors";

/**
 * A rejected write makes the `trackio` client re-send its pending batch about every 35 ms for
 * 30 s (fixtures/trackio-wire/errors.jsonl, `sdk-wrong-token`). Hashes of tokens that matched no
 * key are remembered briefly, so such a storm costs a hash per request and no D1 query. Only
 * failures are cached: a revoked key stops working at once.
 */
const REJECTED_TTL_MS = 60_000;
const REJECTED_MAX = 1024;
const rejected = new Map<string, number>();

function rememberRejected(hash: string, now: number) {
  if (rejected.size >= REJECTED_MAX) {
    for (const [h, until] of rejected) if (until <= now) rejected.delete(h);
    if (rejected.size >= REJECTED_MAX) rejected.delete(rejected.keys().next().value!);
  }
  rejected.set(hash, now + REJECTED_TTL_MS);
}

/** Exposed for tests: whether a token is currently answered from the rejected cache. */
export async function isRecentlyRejected(token: string): Promise<boolean> {
  return (rejected.get(await sha256Hex(token)) ?? 0) > Date.now();
}

/** The key the protocol carries: `X-Trackio-Write-Token`, `?write_token=`, Bearer, or the `trackio_write_token` cookie. */
export function protocolToken(c: Context<AppEnv>): string | null {
  return extractToken(c.req.raw) ?? getCookie(c, "trackio_write_token") ?? null;
}

export async function callerOf(c: Context<AppEnv>): Promise<Principal | null> {
  const token = protocolToken(c);
  if (!token) return null;
  const hash = await sha256Hex(token);
  const now = Date.now();
  if ((rejected.get(hash) ?? 0) > now) return null;
  let ctx: ExecutionContext | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined;
  }
  const principal = await authenticate(c.env, token, ctx);
  if (!principal) rememberRejected(hash, now);
  return principal;
}

/** Reads need a key (Trackio's are open; see the README's compatibility notes). */
export function requireReader(p: Principal | null): Principal {
  if (!p) throw new TrackioError(401, READ_KEY_REQUIRED);
  return p;
}

/** Writes need a write key that may see every project the call writes to. */
export function requireWriter(p: Principal | null, projects: Iterable<string>, denied = WRITE_TOKEN_REQUIRED): Principal {
  if (!p) throw new TrackioError(400, denied);
  if (!hasScope(p, "write")) throw new TrackioError(403, `This key has the '${p.scope}' scope; writing needs a key with the 'write' scope.`);
  for (const project of projects) {
    if (!canSeeProject(p, project)) throw new TrackioError(403, `This key may not write to project '${project}'.`);
  }
  return p;
}
