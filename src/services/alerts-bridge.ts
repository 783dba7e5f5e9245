import type { AlertCounts, RunStatus } from "../contract";

// Run services reach the project's alerts only through these calls to its Durable Object.

export const alertsStub = (env: Env, project: string) => env.PROJECT_ALERTS.getByName(project);

export async function alertCountsFor(env: Env, project: string, runId?: string): Promise<AlertCounts> {
  return alertsStub(env, project).countByLevel(runId ?? null);
}

/** Counts by level of every run with alerts, in one call to the object. */
export async function alertCountsByRun(env: Env, project: string): Promise<Record<string, AlertCounts>> {
  return alertsStub(env, project).countsByRun();
}

/** Wakes the run's waits on `ended` when the Worker changed its status (finish, fail, stop). */
export async function runStatusChanged(env: Env, project: string, runId: string, status: RunStatus): Promise<void> {
  await alertsStub(env, project).runEnded(runId, status);
}

export async function deleteRunAlerts(env: Env, project: string, runId: string): Promise<number> {
  return alertsStub(env, project).deleteRunAlerts(runId);
}

/** Alerts keep their run's name; a rename rewrites it so they show and match the new one. */
export async function renameRunAlerts(env: Env, project: string, runId: string, name: string): Promise<number> {
  return alertsStub(env, project).renameRunAlerts(runId, name);
}
