import type { ProjectSummary } from "../contract";
import { listRuns, toRun } from "../db/runs";
import { alertCountsFor } from "./alerts";
import type { Svc } from "./context";
import { requireProject } from "./run-refs";

export async function projectSummary(s: Svc, project: string): Promise<ProjectSummary> {
  await requireProject(s, project);
  const [rows, alertCounts] = await Promise.all([
    listRuns(s.db, project),
    alertCountsFor(s.env, project),
  ]);
  const runs = rows.map((r) => toRun(r));
  const steps = runs.map((r) => r.last_step).filter((x): x is number => x !== null);
  const activity = rows.map((r) => ({ us: r.lastLogUs ?? r.createdUs, at: r.lastLogAt ?? r.createdAt })).sort((a, b) => b.us - a.us)[0];
  return {
    project,
    num_runs: runs.length,
    runs: runs.map((r) => ({ id: r.id, name: r.name, status: r.status, created_at: r.created_at, last_step: r.last_step })),
    last_step: steps.length ? Math.max(...steps) : null,
    last_activity: activity?.at ?? null,
    alert_counts: alertCounts,
  };
}
