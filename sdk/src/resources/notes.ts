import type { Note, NoteList } from "../../../src/contract";
import type { Client } from "../client";
import { seg } from "../internal/path";

/** Notes on a run (`run` given) or on the project (`run` null): why an agent chose what it did. */
export class Notes {
  constructor(private readonly client: Client) {}

  private path(project: string, run: string | null) {
    return run === null ? `/v1/projects/${seg(project)}/notes` : `/v1/projects/${seg(project)}/runs/${seg(run)}/notes`;
  }

  add(project: string, run: string | null, text: string): Promise<Note> {
    return this.client.request("POST", this.path(project, run), { body: { text } });
  }

  /** Newest first. */
  list(project: string, run: string | null, opts: { limit?: number } = {}): Promise<NoteList> {
    return this.client.request("GET", this.path(project, run), { query: opts });
  }
}
