import { findProject } from "../db/projects";
import type { Svc } from "../services/context";

/**
 * The shard directory (docs/architecture.md, "Beyond one database"): `projects.shard` names the D1
 * binding that holds a project's runs and metric logs. Every project is in the primary, `DB`, until
 * logs are sharded; this is the one place that turns a project into its database, so a second
 * binding in wrangler.toml and a moved project's row are all that sharding adds here. Resolved
 * per isolate and remembered for SHARD_TTL_MS: a project moves only while frozen (its old shard
 * refuses writes), so a stale answer meets the freeze instead of writing to the wrong place.
 */
export const PRIMARY_SHARD = "DB";
export const SHARD_TTL_MS = 60_000;
const SHARDS_MAX = 4096;
const shards = new Map<string, { shard: string; until: number }>();

const isD1 = (v: unknown): v is D1Database =>
  typeof v === "object" && v !== null && typeof (v as D1Database).prepare === "function" && typeof (v as D1Database).batch === "function";

/** The D1 binding `shard` names; a name that is no D1 binding of this Worker is a deployment error, never a silent fallback. */
export function shardDatabase(env: Env, shard: string): D1Database {
  const db = (env as unknown as Record<string, unknown>)[shard];
  if (!isD1(db)) throw new Error(`shard directory: '${shard}' is not a D1 binding of this Worker`);
  return db;
}

/** The shard holding `project` (the primary for a project D1 does not know yet: it is created there). */
export async function projectShard(s: Svc, project: string, now = Date.now()): Promise<string> {
  const hit = shards.get(project);
  if (hit && hit.until > now) return hit.shard;
  const row = await findProject(s.db, project);
  if (!row) return PRIMARY_SHARD;
  if (shards.size >= SHARDS_MAX) shards.delete(shards.keys().next().value!);
  shards.set(project, { shard: row.shard, until: now + SHARD_TTL_MS });
  return row.shard;
}

/** The D1 database holding `project`'s runs and logs. */
export async function projectDatabase(s: Svc, project: string, now = Date.now()): Promise<D1Database> {
  return shardDatabase(s.env, await projectShard(s, project, now));
}
