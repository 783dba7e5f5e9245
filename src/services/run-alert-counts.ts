import type { AlertCounts } from "../contract";
import { listRuns } from "../db/runs";
import { alertCountsByRun } from "./alerts-bridge";
import type { Svc } from "./context";
import { requireProject } from "./runs";

/**
 * Alert counts by level for every run of a project in one request, for the dashboard's runs
 * table (instead of one run summary per row from the browser). One call to the project's object
 * answers for all runs, whatever their number.
 */
export async function runAlertCounts(s: Svc, project: string): Promise<Record<string, AlertCounts>> {
  await requireProject(s, project);
  const [rows, byRun] = await Promise.all([listRuns(s.db, project), alertCountsByRun(s.env, project)]);
  const out: Record<string, AlertCounts> = {};
  for (const r of rows) out[r.id] = byRun[r.id] ?? { info: 0, warn: 0, error: 0 };
  return out;
}
