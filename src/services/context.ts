import type { Principal } from "../auth/principal";
import { getDb, type Db } from "../db/client";

/**
 * What a service call needs: bindings, the ORM, the clock, and who is calling (`actor`, for the
 * audit log and notes; absent for the object's own work such as the stale alarm).
 */
export type Svc = { env: Env; db: Db; nowUs: number; actor?: Principal | null };

export function svc(env: Env, actor?: Principal | null): Svc {
  return { env, db: getDb(env.DB), nowUs: Date.now() * 1000, actor: actor ?? null };
}
