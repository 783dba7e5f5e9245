import type { Note } from "../contract";
import { formatTimestamp } from "../contract/time";
import { insertNote, listNotes } from "../db/notes";
import { ensureProject } from "../db/projects";
import { actorName, audit } from "./audit";
import type { Svc } from "./context";
import { getRunOr404, requireProject } from "./run-refs";

/** A note on a run (`runRef`) or on the project (`runRef` null), credited to the calling key. */
export async function addNote(s: Svc, project: string, runRef: string | null, text: string): Promise<Note> {
  const runId = runRef === null ? null : (await getRunOr404(s, project, runRef)).id;
  if (runId === null) await ensureProject(s.db, project);
  const note = await insertNote(s.db, { project, runId, text, author: actorName(s), createdAt: formatTimestamp(s.nowUs), createdUs: s.nowUs });
  await audit(s, project, "note.add", runId, { note_id: note.id });
  return note;
}

/** Newest first. */
export async function notesOf(s: Svc, project: string, runRef: string | null, limit: number): Promise<Note[]> {
  if (runRef === null) {
    await requireProject(s, project);
    return listNotes(s.db, project, null, limit);
  }
  const run = await getRunOr404(s, project, runRef);
  return listNotes(s.db, project, run.id, limit);
}
