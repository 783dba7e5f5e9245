import type { z } from "zod";
import type { AppendLogs, AppendLogsResult } from "../contract";
import { parseTimestamp } from "../contract/time";
import { appendLogRows, type StoredEntry } from "../db/logs";
import type { RunRow } from "../db/runs";
import type { Svc } from "./context";

/** Called with the entries a batch actually stored (not the duplicates); rules hook in here. */
export type IngestListener = (s: Svc, run: RunRow, stored: StoredEntry[]) => Promise<void>;
const listeners: IngestListener[] = [];
export const onIngest = (l: IngestListener) => listeners.push(l);

export async function appendLogs(s: Svc, run: RunRow, body: z.output<typeof AppendLogs>): Promise<AppendLogsResult> {
  const entries = body.logs.map((e) => ({
    log_id: e.log_id ?? crypto.randomUUID().replaceAll("-", ""),
    step: e.step ?? null,
    metrics: e.metrics as Record<string, unknown>,
    us: e.timestamp ? (parseTimestamp(e.timestamp) ?? undefined) : undefined,
  }));
  const { stored, duplicates, lastStep } = await appendLogRows(s.env.DB, { id: run.id, lastStep: run.lastStep }, entries, s.nowUs);
  if (stored.length) for (const l of listeners) await l(s, run, stored);
  return { run_id: run.id, accepted: stored.length, duplicates, last_step: lastStep };
}
