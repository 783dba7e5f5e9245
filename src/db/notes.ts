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
