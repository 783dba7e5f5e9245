import { sha256Hex } from "../auth/tokens";
import { canSeeProject } from "../auth/principal";
import { findNewestRunByName, findRunAnywhere, findRunById, updateRun, type RunRow } from "../db/runs";
import { formatTimestamp, type RunConfig } from "../contract";
import { isRunId } from "../services/run-refs";
import { createOrResumeRun } from "../services/runs";
import type { Ctx } from "./endpoint";

/**
 * Trackio's run ids are the client's uuid4 hex, unique per project file; here ids are 32 hex
 * digits and unique across projects. A client id that is not 32 hex digits (Trackio uses the run
 * name when there is none) or that another project already holds maps to a stable id derived
 * from (project, client id), so every later call with the same pair finds the same run.
 */
export async function derivedRunId(project: string, clientId: string): Promise<string> {
  return (await sha256Hex(`trackio\u0000${project}\u0000${clientId}`)).slice(0, 32);
}

/**
 * (project, client id) → run id, for runs this isolate has written to: the `trackio` client sends
 * a batch every ~0.5 s per run, and mapping its id cost a D1 lookup each time. A mapping only
 * changes when its run is deleted, and a write to a deleted run finds no run and is re-resolved.
 */
const KNOWN_MAX = 4096;
const knownRunIds = new Map<string, string>();
const knownKey = (project: string, clientId: string) => `${project}\u0000${clientId}`;

export const knownRunId = (project: string, clientId: string) => knownRunIds.get(knownKey(project, clientId)) ?? null;

export function rememberRunId(project: string, clientId: string, id: string) {
  if (knownRunIds.size >= KNOWN_MAX) knownRunIds.delete(knownRunIds.keys().next().value!);
  knownRunIds.set(knownKey(project, clientId), id);
}

export const forgetRunId = (project: string, clientId: string) => knownRunIds.delete(knownKey(project, clientId));

/** The run id the client's `run_id` (or, without one, its run name) stands for in `project`, and the run if it exists. */
export async function mapRunId(ctx: Ctx, project: string, clientId: string): Promise<{ id: string; row: RunRow | undefined }> {
  if (isRunId(clientId)) {
    const row = await findRunAnywhere(ctx.s.db, clientId);
    if (!row || row.project === project) return { id: clientId, row };
  }
  const id = await derivedRunId(project, clientId);
  return { id, row: await findRunById(ctx.s.db, project, id) };
}

/**
 * The run a write goes to, created on its first write as Trackio derives runs from their logs.
 * A config (sent with the first entry after each `init`) replaces the stored one, as Trackio's
 * `INSERT OR REPLACE` into its configs table does; `_Group` becomes the run's group.
 */
export async function runForWrite(
  ctx: Ctx,
  project: string,
  name: string,
  clientId: string,
  config: Record<string, unknown> | null,
  mapped?: { id: string; row: RunRow | undefined },
): Promise<RunRow> {
  const { id, row } = mapped ?? (await mapRunId(ctx, project, clientId));
  const group = config && typeof config._Group === "string" ? config._Group : null;
  if (row) {
    if (!config) return row;
    return (await updateRun(ctx.s.db, row.id, { config, groupName: group, updatedAt: formatTimestamp(ctx.s.nowUs) })) ?? row;
  }
  try {
    // Trackio's SDK adds `_Username`, `_Created` and `_Group` to the config; they are kept as sent.
    // Its runs have no finish call, so silence ends them (`ended`) rather than making them `stale`.
    await createOrResumeRun(ctx.s, project, { id, name, config: (config ?? undefined) as RunConfig | undefined, group, resume: "never" }, "trackio");
  } catch (err) {
    // Two first writes of one run at once: the other request created it.
    if (!(await findRunById(ctx.s.db, project, id))) throw err;
  }
  const created = await findRunById(ctx.s.db, project, id);
  if (!created) throw new Error(`run ${id} vanished after creation`);
  return created;
}

/**
 * What `runForWrite` would do, without writing: the run as it will be after the write, whether
 * it must be created, and whether its config is replaced. For writes that store everything in
 * one transaction (services/logs.ts appendLogsToRuns).
 */
export function plannedRun(
  ctx: Ctx,
  project: string,
  name: string,
  config: Record<string, unknown> | null,
  mapped: { id: string; row: RunRow | undefined },
): { run: RunRow; create: boolean; replaceConfig: boolean } {
  const group = config && typeof config._Group === "string" ? config._Group : null;
  const now = formatTimestamp(ctx.s.nowUs);
  if (mapped.row) {
    if (!config) return { run: mapped.row, create: false, replaceConfig: false };
    return { run: { ...mapped.row, config, groupName: group, updatedAt: now }, create: false, replaceConfig: true };
  }
  const run: RunRow = {
    id: mapped.id,
    project,
    name,
    groupName: group,
    config: config ?? {},
    status: "running",
    createdAt: now,
    createdUs: ctx.s.nowUs,
    updatedAt: now,
    finishedAt: null,
    lastLogAt: null,
    lastLogUs: null,
    lastStep: null,
    logCount: 0,
    webhookUrl: null,
    webhookMinLevel: null,
    origin: "trackio",
    stopRequestedAt: null,
    stopRequestedBy: null,
    stopReason: null,
  };
  return { run, create: true, replaceConfig: false };
}

/**
 * The run a read addresses: `run_id` wins, else the newest run with the name (Trackio's by-name
 * resolution). Null for an unknown run, and for a project the key may not see (answered exactly
 * as a project that does not exist).
 */
export async function runForRead(ctx: Ctx, project: string, run: string | null | undefined, runId: string | null | undefined): Promise<RunRow | null> {
  if (!canRead(ctx, project)) return null;
  if (runId) return (await mapRunId(ctx, project, runId)).row ?? null;
  if (run) return (await findNewestRunByName(ctx.s.db, project, run)) ?? null;
  return null;
}

export const canRead = (ctx: Ctx, project: string) => !!ctx.caller && canSeeProject(ctx.caller, project);

/** Trackio derives runs from their metric rows: a run with none is not listed. */
export const hasLogs = (r: { last_step: number | null }) => r.last_step !== null;
