import { INGEST_HOOK } from "../ingest/hooks";
import type { ProjectD1 } from "./d1";

/**
 * The object's side of the ingest hooks (src/ingest/hooks.ts): each reason to see stored
 * batches is registered with a check of whether it holds now; `publish` writes the mask to D1
 * under a version that only grows (kept in the object's SQLite), so the ingest transaction can
 * skip the call to this object when nothing here wants the batch. Publish after a reason starts
 * holding and before relying on it (a run waiter: publish, then check its condition once, then
 * wait), so a batch stored in between is either seen by the check or calls the object.
 */
export class IngestHooks {
  private readonly reasons = new Map<number, () => boolean>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly d1: ProjectD1,
  ) {
    sql.exec("CREATE TABLE IF NOT EXISTS ingest_hooks_meta (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)");
  }

  register(bit: (typeof INGEST_HOOK)[keyof typeof INGEST_HOOK], holds: () => boolean) {
    this.reasons.set(bit, holds);
  }

  mask(): number {
    let m = 0;
    for (const [bit, holds] of this.reasons) if (holds()) m |= bit;
    return m;
  }

  async publish(project: string): Promise<void> {
    const row = this.sql.exec<{ version: number }>("SELECT version FROM ingest_hooks_meta WHERE id = 1").toArray()[0];
    const version = (row?.version ?? 0) + 1;
    this.sql.exec("INSERT INTO ingest_hooks_meta (id, version) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET version = excluded.version", version);
    await this.d1.publishIngestHooks(project, this.mask(), version);
  }

  /** After a batch: the Worker saw `seen`; if that is not the mask (an older row, a lost write), publish again. */
  async reconcile(project: string, seen: number | undefined): Promise<void> {
    if (seen !== undefined && seen !== this.mask()) await this.publish(project);
  }
}
