import type { z } from "zod";
import type { AppendSystemMetrics, AppendSystemResult } from "../contract";
import { formatTimestamp, parseTimestamp } from "../contract/time";
import { insertSystemRows, type NewSystemRow } from "../db/system-metrics";
import type { Svc } from "./context";
import { getRunOr404 } from "./run-refs";

/** System rows keep the client's time (the server's when absent), as Trackio stores them. */
export function systemRows(entries: { metrics: Record<string, unknown>; timestamp?: string | null; log_id?: string | null }[], nowUs: number): NewSystemRow[] {
  return entries.map((e) => {
    const us = e.timestamp ? (parseTimestamp(e.timestamp) ?? nowUs) : nowUs;
    return { log_id: e.log_id ?? null, ts: formatTimestamp(us), us, metrics: e.metrics };
  });
}

/** Appends system metrics to a run (by id or name); entries already stored by log_id are skipped. */
export async function appendSystemMetrics(s: Svc, project: string, ref: string, body: z.output<typeof AppendSystemMetrics>): Promise<AppendSystemResult> {
  const run = await getRunOr404(s, project, ref);
  await insertSystemRows(s.env.DB, project, run.id, systemRows(body.logs, s.nowUs));
  return { run_id: run.id, received: body.logs.length };
}
