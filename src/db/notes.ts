import { and, desc, eq, isNull } from "drizzle-orm";
import type { Note } from "../contract";
import type { Db } from "./client";
import { notes } from "./schema";

type NoteRow = typeof notes.$inferSelect;

const toNote = (r: NoteRow): Note => ({ id: r.id, project: r.project, run_id: r.runId, text: r.text, author: r.author, created_at: r.createdAt });

export async function insertNote(db: Db, row: typeof notes.$inferInsert): Promise<Note> {
  const [inserted] = await db.insert(notes).values(row).returning();
  return toNote(inserted);
}

/**
 * A run's newest notes as a raw statement, for a caller that sends it in one D1 batch with its
 * own reads (the run summary); `notesFromRows` reads its result.
 */
export function runNotesStatement(d1: D1Database, project: string, runId: string, limit: number): D1PreparedStatement {
  return d1.prepare(`SELECT id, project, run_id, text, author, created_at FROM notes WHERE project = ?1 AND run_id = ?2 ORDER BY id DESC LIMIT ?3`).bind(project, runId, limit);
}

export const notesFromRows = (rows: Record<string, unknown>[]): Note[] =>
  rows.map((r) => ({ id: r.id as number, project: r.project as string, run_id: r.run_id as string | null, text: r.text as string, author: r.author as string, created_at: r.created_at as string }));

/** Newest first: a run's notes (`runId`), or the project's own (`runId` null). */
export async function listNotes(db: Db, project: string, runId: string | null, limit: number): Promise<Note[]> {
  const rows = await db
    .select()
    .from(notes)
    .where(and(eq(notes.project, project), runId === null ? isNull(notes.runId) : eq(notes.runId, runId)))
    .orderBy(desc(notes.id))
    .limit(limit);
  return rows.map(toNote);
}
