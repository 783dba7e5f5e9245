import { getDb, type Db } from "../db/client";

/** What a service call needs: bindings, the ORM, the clock and the stale window. */
export type Svc = { env: Env; db: Db; nowUs: number; staleAfterUs: number };

export function svc(env: Env): Svc {
  const staleSeconds = Number(env.STALE_AFTER_SECONDS ?? 600);
  return {
    env,
    db: getDb(env.DB),
    nowUs: Date.now() * 1000,
    staleAfterUs: (Number.isFinite(staleSeconds) && staleSeconds > 0 ? staleSeconds : 600) * 1_000_000,
  };
}
