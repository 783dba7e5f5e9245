import { z } from "zod";
import { CreateRun, FinishRun, ListRunsQuery, type CreatedRun, type Run, type RunSummary } from "../contract";
import { formatTimestamp } from "../contract/time";
import { metricNamesOf, runWithMetricNames } from "../db/metrics";
import { deleteRunRows, findNewestRunByName, findRunAnywhere, insertRunIfAbsent, listRuns, runNamesOf, toRun, updateRun, type RunRow } from "../db/runs";
import { ApiError, badRequest } from "../errors";
import { generateRunName, newRunId } from "../runs/names";
import { assertSafeWebhookUrl } from "../webhooks/targets";
import { alertCountsFor, projectObject } from "./alerts";
import { listNotes, notesFromRows, runNotesStatement } from "../db/notes";
import { audit } from "./audit";
import type { Svc } from "./context";
import { ensureProjectOnce } from "./known-projects";
import { deleteRunObjects } from "./media";
import { getRunOr404, isRunId, requireProject } from "./run-refs";
import { watchStartedRun } from "./rules";

/** Notes shown with a run's summary (newest first); `GET …/notes` lists them all. */
const SUMMARY_NOTES = 20;

/**
 * Creates a run, or resumes one (`allow`: the newest run with the name, if any; `must`: that run
 * or 404). A client-given id that already exists in the project is resumed, so a retried
 * create never makes a second run; one that another project holds is a 409. The insert checks
 * the id (and, for `allow`, the name) in the same statement, so concurrent creates make one run.
 */
export async function createOrResumeRun(s: Svc, project: string, input: z.output<typeof CreateRun>, origin: RunRow["origin"] = "api"): Promise<CreatedRun> {
  if (input.webhook_url) assertSafeWebhookUrl(s.env, input.webhook_url, "webhook_url");
  if (input.resume !== "never" && !input.name)
    throw badRequest(`name is required when resume is '${input.resume}'`, [{ path: "name", message: "required when resume is not 'never'" }]);
  for (let attempt = 0; ; attempt++) {
    if (input.id) {
      const existing = await findRunAnywhere(s.db, input.id);
      if (existing) return sameId(project, existing);
    }
    if (input.resume !== "never") {
      const existing = await findNewestRunByName(s.db, project, input.name!);
      if (existing) return resume(s, project, existing, input);
      if (input.resume === "must") throw new ApiError("not_found", `Run '${input.name}' does not exist in project '${project}'`);
    }
    const row = await insertNew(s, project, input, origin);
    if (row) {
      await audit(s, project, "run.create", row.id, { name: row.name });
      await watchStartedRun(s, row);
      return { ...toRun(row), resumed: false };
    }
    // Another create took the id or the name between the reads and the insert: answer as it now stands.
    if (attempt > 0) throw new ApiError("conflict", `Run '${input.id ?? input.name}' is being created by another request; retry`);
  }
}

function sameId(project: string, existing: RunRow): CreatedRun {
  if (existing.project !== project)
    throw new ApiError("conflict", `Invalid body: id: run id ${existing.id} belongs to another project`, [{ path: "id", message: "belongs to another project" }]);
  return { ...toRun(existing), resumed: true };
}

async function resume(s: Svc, project: string, existing: RunRow, input: z.output<typeof CreateRun>): Promise<CreatedRun> {
  const patch: Partial<RunRow> = { updatedAt: formatTimestamp(s.nowUs), status: "running", finishedAt: null };
  if (input.config) patch.config = { ...existing.config, ...input.config };
  const row = (await updateRun(s.db, existing.id, patch)) ?? existing;
  await audit(s, project, "run.resume", row.id, { name: row.name });
  await watchStartedRun(s, row);
  return { ...toRun(row), resumed: true };
}

async function insertNew(s: Svc, project: string, input: z.output<typeof CreateRun>, origin: RunRow["origin"]): Promise<RunRow | undefined> {
  let name = input.name;
  if (!name) {
    const { names, count } = await runNamesOf(s.db, project);
    name = generateRunName(names, count);
  }
  const now = formatTimestamp(s.nowUs);
  await ensureProjectOnce(s, project);
  return insertRunIfAbsent(
    s.db,
    {
      id: input.id ?? newRunId(),
      project,
      name,
      groupName: input.group ?? null,
      config: input.config ?? {},
      status: "running",
      createdAt: now,
      createdUs: s.nowUs,
      updatedAt: now,
      webhookUrl: input.webhook_url ?? null,
      webhookMinLevel: input.webhook_min_level ?? null,
      origin,
    },
    input.resume === "allow",
  );
}

/** `key=value` filters: the value is compared as JSON when it parses (`lr=0.01`, `aug=true`), else as text. */
export function parseConfigFilters(filters: string[]): [string, unknown][] {
  return filters.map((f) => {
    const i = f.indexOf("=");
    const key = f.slice(0, i);
    const raw = f.slice(i + 1);
    try {
      return [key, JSON.parse(raw)];
    } catch {
      return [key, raw];
    }
  });
}

export async function listProjectRuns(s: Svc, project: string, q: z.output<typeof ListRunsQuery>): Promise<Run[]> {
  await requireProject(s, project);
  const rows = await listRuns(s.db, project, {
    group: q.group,
    status: q.status,
    name: q.name,
    config: parseConfigFilters(q.config),
  });
  return rows.map((r) => toRun(r));
}

/** A run by id costs one D1 round trip (the run and its metric names together), beside the object's counts. */
export async function runSummary(s: Svc, project: string, ref: string): Promise<RunSummary> {
  // By id: the run, its metric names and its notes in one D1 batch (one round trip).
  const byId = isRunId(ref) ? await runWithMetricNames(s.env.DB, project, ref, [runNotesStatement(s.env.DB, project, ref, SUMMARY_NOTES)]) : null;
  const row = byId?.run ?? (await getRunOr404(s, project, ref));
  const [names, alertCounts, notes] = await Promise.all([
    byId?.names ?? metricNamesOf(s.env.DB, row.id),
    alertCountsFor(s.env, project, row.id),
    byId ? notesFromRows(byId.also[0]) : listNotes(s.db, project, row.id, SUMMARY_NOTES),
  ]);
  return { ...toRun(row), metrics: names.map((n) => n.name), alert_counts: alertCounts, notes };
}

export async function renameRun(s: Svc, project: string, ref: string, name: string): Promise<Run> {
  const row = await getRunOr404(s, project, ref);
  const updated = await updateRun(s.db, row.id, { name, updatedAt: formatTimestamp(s.nowUs) });
  // Alerts carry their run's name (Trackio's shape), so the project's object renames them too.
  await projectObject(s.env, project).renameRunAlerts(row.id, name);
  await audit(s, project, "run.rename", row.id, { from: row.name, to: name });
  return toRun(updated ?? row);
}

export async function finishRun(s: Svc, project: string, ref: string, body: z.output<typeof FinishRun>): Promise<Run> {
  const row = await getRunOr404(s, project, ref);
  const now = formatTimestamp(s.nowUs);
  // A script that stops because it was asked to ends `stopped`, whichever SDK it uses.
  const status = body.status === "finished" && row.stopRequestedAt ? "stopped" : body.status;
  const updated = await updateRun(s.db, row.id, { status, finishedAt: now, updatedAt: now });
  // Waits on `ended` are held by the project's object; finish is the Worker's write, so it tells it.
  await projectObject(s.env, project).runEnded(row.id, status);
  await audit(s, project, "run.finish", row.id, { status });
  return toRun(updated ?? row);
}

/**
 * Deletes the run's media files, its D1 rows (references included), then its alerts in the
 * project's Durable Object. Files go first, so a failure to delete them (a 503 after retries)
 * deletes nothing; they are swept once more after the run is gone, for an upload that was being
 * stored meanwhile (from then on a late upload finds no run and deletes its own file).
 */
export async function deleteRun(s: Svc, project: string, ref: string): Promise<{ deleted: true; id: string }> {
  const row = await getRunOr404(s, project, ref);
  await deleteRunObjects(s, project, row.id);
  await deleteRunRows(s.db, row.id);
  await deleteRunObjects(s, project, row.id);
  await projectObject(s.env, project).deleteRunAlerts(row.id);
  await audit(s, project, "run.delete", row.id, { name: row.name });
  return { deleted: true, id: row.id };
}

