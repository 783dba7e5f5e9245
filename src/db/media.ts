import { and, asc, eq, lt } from "drizzle-orm";
import type { Db } from "./client";
import { media, mediaStaged } from "./schema";

export type MediaRow = typeof media.$inferSelect;
export type NewMedia = Omit<typeof media.$inferInsert, "id">;
export type StagedRow = typeof mediaStaged.$inferSelect;

/**
 * Stores a reference, only while its run exists: a run deleted while its file was being written
 * leaves no row, and the caller deletes the object it just put. A reference already stored under
 * the same file path (a retried upload) is answered as it is.
 */
export async function insertMedia(db: Db, d1: D1Database, row: NewMedia): Promise<{ row: MediaRow; inserted: boolean } | null> {
  const inserted = await d1
    .prepare(
      `INSERT INTO media (project, run_id, step, name, file_path, r2_key, kind, content_type, size, sha256, caption, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12 WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?2 AND project = ?1)
       ON CONFLICT (project, file_path) DO NOTHING RETURNING id`,
    )
    .bind(row.project, row.runId, row.step, row.name ?? null, row.filePath, row.r2Key, row.kind, row.contentType, row.size, row.sha256, row.caption ?? null, row.createdAt)
    .first<{ id: number }>();
  const stored = await findMediaByPath(db, row.project, row.filePath);
  if (!stored) return null;
  return { row: stored, inserted: inserted !== null };
}

export async function findMediaByPath(db: Db, project: string, filePath: string): Promise<MediaRow | undefined> {
  return db.query.media.findFirst({ where: and(eq(media.project, project), eq(media.filePath, filePath)) });
}

export async function projectHasMedia(db: Db, project: string): Promise<boolean> {
  return !!(await db.query.media.findFirst({ columns: { id: true }, where: eq(media.project, project) }));
}

export async function listRunMedia(db: Db, runId: string, f: { name?: string; step?: number } = {}): Promise<MediaRow[]> {
  const where = [eq(media.runId, runId)];
  if (f.name !== undefined) where.push(eq(media.name, f.name));
  if (f.step !== undefined) where.push(eq(media.step, f.step));
  return db.select().from(media).where(and(...where)).orderBy(asc(media.name), asc(media.step), asc(media.id));
}

/**
 * The metric value that references a Trackio upload: the top-level key of the run's entry at
 * `step` whose value (or a table cell inside it) holds `filePath`, with that reference's `_type`
 * and caption. Null when the entry is not stored (yet).
 */
export async function loggedReference(d1: D1Database, runId: string, step: number, filePath: string): Promise<{ name: string; type: string | null; caption: string | null } | null> {
  const row = await d1
    .prepare(
      `SELECT top.key AS name, json_extract(top.value, t.path || '._type') AS type, json_extract(top.value, t.path || '.caption') AS caption
         FROM metric_logs m, json_each(m.metrics) top, json_tree(CASE WHEN top.type IN ('object', 'array') THEN top.value ELSE '{}' END) t
        WHERE m.run_id = ?1 AND m.step = ?2 AND t.key = 'file_path' AND t.value = ?3 LIMIT 1`,
    )
    .bind(runId, step, filePath)
    .first<{ name: string; type: string | null; caption: unknown }>();
  if (!row) return null;
  return { name: row.name, type: row.type, caption: typeof row.caption === "string" ? row.caption : null };
}

export async function insertStaged(db: Db, row: StagedRow) {
  await db.insert(mediaStaged).values(row);
}

export async function findStaged(db: Db, id: string): Promise<StagedRow | undefined> {
  return db.query.mediaStaged.findFirst({ where: eq(mediaStaged.id, id) });
}

export async function deleteStaged(db: Db, id: string) {
  await db.delete(mediaStaged).where(eq(mediaStaged.id, id));
}

/** Staged uploads never claimed, oldest first. */
export async function expiredStaged(db: Db, beforeUs: number, limit: number): Promise<StagedRow[]> {
  return db.select().from(mediaStaged).where(lt(mediaStaged.createdUs, beforeUs)).orderBy(asc(mediaStaged.createdUs)).limit(limit);
}

/** The Trackio value types the Media & Tables view shows. */
const RICH_TYPES = ["trackio.image", "trackio.audio", "trackio.video", "trackio.table", "trackio.histogram"];

/**
 * A run's media, table and histogram values, by metric then step, at most `limit` of them (one
 * more tells the caller it was cut). Reads the run's log rows: such values are not in the rollups.
 */
export async function richValues(d1: D1Database, runId: string, limit: number): Promise<{ name: string; step: number; value: string }[]> {
  const { results } = await d1
    .prepare(
      `SELECT top.key AS name, m.step AS step, top.value AS value FROM metric_logs m, json_each(m.metrics) top
        WHERE m.run_id = ?1 AND top.type = 'object' AND json_extract(top.value, '$._type') IN (SELECT value FROM json_each(?2))
        ORDER BY top.key, m.step LIMIT ?3`,
    )
    .bind(runId, JSON.stringify(RICH_TYPES), limit + 1)
    .all<{ name: string; step: number; value: string }>();
  return results;
}
