import { z } from "zod";
import { QueryInt } from "./common";

export const MAX_NOTE_CHARS = 4000;

export const CreateNote = z.object({
  text: z.string({ error: "text is required" }).trim().min(1, "text must not be empty").max(MAX_NOTE_CHARS, `text must be at most ${MAX_NOTE_CHARS} characters`),
});
export type CreateNote = z.input<typeof CreateNote>;

export const Note = z.object({
  id: z.number().int(),
  project: z.string(),
  /** null: a note on the project, not on one run. */
  run_id: z.string().nullable(),
  text: z.string(),
  /** The name of the key that wrote it. */
  author: z.string(),
  created_at: z.string(),
});
export type Note = z.infer<typeof Note>;

export const NoteList = z.object({ notes: z.array(Note) });
export type NoteList = z.infer<typeof NoteList>;

export const NoteQuery = z.object({ limit: QueryInt("limit", 1, 1000).default(100) });
export type NoteQuery = z.input<typeof NoteQuery>;
