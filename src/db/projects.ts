import { and, count, eq, inArray, lt, max, sql } from "drizzle-orm";
import type { ProjectInfo } from "../contract";
import { formatTimestamp, nowTimestamp } from "../contract/time";
import { getDb, type Db } from "./client";
import { projects, runs } from "./schema";

export async function ensureProject(db: Db, name: string) {
  await db.insert(projects).values({ name, createdAt: nowTimestamp() }).onConflictDoNothing();
}

export async function findProject(db: Db, name: string) {
  return db.query.projects.findFirst({ where: eq(projects.name, name) });
}

/** Projects sorted by name, limited to `only` when the key is limited to some projects. */
export async function listProjects(db: Db, only: string[] | null): Promise<ProjectInfo[]> {
  const rows = await db
    .select({
      name: projects.name,
      createdAt: projects.createdAt,
      numRuns: count(runs.id),
      lastUs: max(sql<number>`coalesce(${runs.lastLogUs}, ${runs.createdUs})`),
    })
    .from(projects)
    .leftJoin(runs, eq(runs.project, projects.name))
    .where(only ? inArray(projects.name, only.length ? only : [""]) : undefined)
    .groupBy(projects.name)
    .orderBy(projects.name);
  return rows.map((r) => ({
    name: r.name,
    created_at: r.createdAt,
    num_runs: r.numRuns,
    last_activity: r.lastUs == null ? null : formatTimestamp(Number(r.lastUs)),
  }));
}

export async function getProjectSettings(db: Db, name: string): Promise<Record<string, unknown>> {
  const row = await db.query.projects.findFirst({ columns: { settings: true }, where: eq(projects.name, name) });
  return row?.settings ?? {};
}

export async function setProjectSettings(db: Db, name: string, settings: Record<string, unknown>) {
  await db.update(projects).set({ settings }).where(and(eq(projects.name, name)));
}

/**
 * Stores why the project's object must see stored batches (src/ingest/hooks.ts), unless a later
 * publication is already stored: two publications crossing in flight leave the newer mask. An
 * upsert, so a reason published before the project's first run is not lost.
 */
export async function publishIngestHooks(d1: D1Database, project: string, mask: number, version: number) {
  await getDb(d1)
    .insert(projects)
    .values({ name: project, createdAt: nowTimestamp(), ingestHooks: mask, ingestHooksVersion: version })
    .onConflictDoUpdate({
      target: projects.name,
      set: { ingestHooks: mask, ingestHooksVersion: version },
      setWhere: lt(projects.ingestHooksVersion, version),
    });
}
