import type { Context } from "hono";
import { principalOf } from "../auth/middleware";
import { isRejectedHash } from "../auth/rejected";
import { canSeeProject, hasScope, type Principal } from "../auth/principal";
import { sha256Hex } from "../auth/tokens";
import type { AppEnv } from "../env";
import { READ_KEY_REQUIRED, TrackioError, WRITE_TOKEN_REQUIRED } from "./errors";

/** The caller: the protocol carries keys as `X-Trackio-Write-Token`, `?write_token=`, Bearer or the `trackio_write_token` cookie. */
export const callerOf = (c: Context<AppEnv>): Promise<Principal | null> => principalOf(c);

/** Exposed for tests: whether a token is currently answered from the rejected cache. */
export async function isRecentlyRejected(token: string): Promise<boolean> {
  return isRejectedHash(await sha256Hex(token));
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
