import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { KeyScope } from "../contract";
import { getDb } from "../db/client";
import { findActiveKeyByHash, touchKey } from "../db/keys";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { ADMIN_TOKEN_NAME, canSeeProject, projectNotFound, requireScope, type Principal } from "./principal";
import { acceptedPrincipal, rememberAccepted } from "./accepted";
import { isRejectedHash, rememberRejected } from "./rejected";
import { sha256Hex, timingSafeEqualHex } from "./tokens";

/**
 * Where a key may travel: `Authorization: Bearer`, Trackio's `X-Trackio-Write-Token` header,
 * `?write_token=` (Trackio CLI URLs), the `trackio_write_token` cookie, `?token=` and the
 * `bearer, <key>` WebSocket subprotocol (browsers cannot set headers on a WebSocket).
 */
export function extractToken(req: Request): string | null {
  const auth = req.headers.get("authorization");
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m) return m[1].trim();
  }
  const trackio = req.headers.get("x-trackio-write-token");
  if (trackio) return trackio.trim();
  const url = new URL(req.url);
  const q = url.searchParams.get("write_token") ?? url.searchParams.get("token");
  if (q) return q;
  const proto = req.headers.get("sec-websocket-protocol");
  if (proto) {
    const parts = proto.split(",").map((s) => s.trim());
    const i = parts.indexOf("bearer");
    if (i >= 0 && parts[i + 1]) return parts[i + 1];
  }
  return null;
}

function cookieToken(c: Context<AppEnv>) {
  return getCookie(c, "trackio_write_token") ?? null;
}

// Keys are touched at most once a minute per isolate, so reads do not turn into D1 writes.
const lastTouched = new Map<string, number>();

// The admin token's hash is computed once per isolate (per token value), not on every request.
let adminHash: { token: string; hash: Promise<string> } | null = null;
function adminTokenHash(token: string): Promise<string> {
  if (adminHash?.token !== token) adminHash = { token, hash: sha256Hex(token) };
  return adminHash.hash;
}

/**
 * Resolves a token to a principal, or null. Never logs or echoes the token. A key accepted less
 * than ACCEPTED_TTL_MS ago costs no D1 query (accepted.ts states the revocation bound).
 */
export async function authenticate(env: Env, token: string | null, ctx?: ExecutionContext, now = Date.now()): Promise<Principal | null> {
  if (!token || token.length > 512) return null;
  const hash = await sha256Hex(token);
  if (env.ADMIN_TOKEN && timingSafeEqualHex(hash, await adminTokenHash(env.ADMIN_TOKEN))) {
    return { keyId: null, keyName: ADMIN_TOKEN_NAME, scope: "admin", projects: null };
  }
  if (isRejectedHash(hash, now)) return null;
  const cached = acceptedPrincipal(hash, now);
  if (cached) return cached;
  const db = getDb(env.DB);
  const row = await findActiveKeyByHash(db, hash);
  if (!row) {
    rememberRejected(hash, now);
    return null;
  }
  if ((lastTouched.get(row.id) ?? 0) < now - 60_000) {
    lastTouched.set(row.id, now);
    const touch = touchKey(db, row.id).catch(() => undefined);
    if (ctx) ctx.waitUntil(touch);
  }
  const principal: Principal = { keyId: row.id, keyName: row.name, scope: row.scope, projects: row.projects ?? null };
  rememberAccepted(hash, principal, now);
  return principal;
}

/** The caller of a request, from any place a key may travel; null when there is no valid key. */
export async function principalOf(c: Context<AppEnv>): Promise<Principal | null> {
  let ctx: ExecutionContext | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined; // app.request() in tests has no execution context
  }
  return authenticate(c.env, extractToken(c.req.raw) ?? cookieToken(c), ctx);
}

/** Every route but /health and /version: a missing key and a wrong key get the same 401. */
export const requireAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const principal = await principalOf(c);
  if (!principal) throw new ApiError("unauthorized", "Missing or invalid API key");
  c.set("principal", principal);
  await next();
};

/**
 * Guards a `/:project` route: the key must see the project (else the same 404 as a project that
 * does not exist) and hold `scope` (else 403). `onHidden` lets query routes answer a hidden
 * project exactly as they answer a missing one (an empty list).
 */
export const projectAccess =
  (scope: KeyScope, opts: { onHidden?: (c: Context<AppEnv>) => Response } = {}): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const project = c.req.param("project") ?? "";
    const principal = c.var.principal;
    if (!canSeeProject(principal, project)) {
      if (opts.onHidden) return opts.onHidden(c);
      throw projectNotFound(project);
    }
    requireScope(principal, scope);
    await next();
  };

export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireScope(c.var.principal, "admin");
  await next();
};
