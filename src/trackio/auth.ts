import { canSeeProject, hasScope, type Principal } from "../auth/principal";
import { READ_KEY_REQUIRED, TrackioError, WRITE_TOKEN_REQUIRED } from "./errors";

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
