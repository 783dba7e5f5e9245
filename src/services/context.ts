import { getDb, type Db } from "../db/client";

/** What a service call needs: bindings, the ORM and the clock. */
export type Svc = { env: Env; db: Db; nowUs: number };

export function svc(env: Env): Svc {
  return { env, db: getDb(env.DB), nowUs: Date.now() * 1000 };
}
