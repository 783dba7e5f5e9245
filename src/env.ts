import { Hono } from "hono";
import type { Principal } from "./auth/principal";

/** Hono's generic, declared once. `Env` comes from `wrangler types` (src/worker-configuration.d.ts). */
export type AppEnv = {
  Bindings: Env;
  Variables: { principal: Principal; requestId: string };
};

export const createRouter = () => new Hono<AppEnv>();
