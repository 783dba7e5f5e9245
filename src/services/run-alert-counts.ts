import type { AlertCounts } from "../contract";
import { listRuns } from "../db/runs";
import { alertCountsFor } from "./alerts-bridge";
import type { Svc } from "./context";
import { requireProject } from "./runs";

/** RPCs in flight at once to the project's object (one per run; each reads a small counts table). */
const PARALLEL = 16;

/**
 * Alert counts by level for every run of a project in one request, for the dashboard's runs
 * table (instead of one run summary per row from the browser).
 */
export async function runAlertCounts(s: Svc, project: string): Promise<Record<string, AlertCounts>> {
  await requireProject(s, project);
  const rows = await listRuns(s.db, project, { nowUs: s.nowUs, staleAfterUs: s.staleAfterUs });
  const out: Record<string, AlertCounts> = {};
  for (let i = 0; i < rows.length; i += PARALLEL) {
    const chunk = rows.slice(i, i + PARALLEL);
    const counts = await Promise.all(chunk.map((r) => alertCountsFor(s.env, project, r.id)));
    chunk.forEach((r, j) => (out[r.id] = counts[j]));
  }
  return out;
}
