import { z } from "zod";
import { deleteRun, renameRun, runSummary } from "../../services/runs";
import { metricNames } from "../../services/metrics";
import { endpoint, OptString, Project } from "../endpoint";
import { requireWriter } from "../auth";
import { trackioBadRequest } from "../errors";
import { runForRead } from "../identity";
import { wireMetrics } from "../values";

const RunArgs = z.object({ project: Project, run: OptString("run"), run_id: OptString("run_id") });
const RUN_PARAMS = { params: ["project", "run", "run_id"], required: ["project"] } as const;

/**
 * `run_id` echoes the argument (null when the run was named), and a run with no logs has
 * Trackio's empty summary; `config` is null until a config was sent.
 */
export const getRunSummary = endpoint({
  ...RUN_PARAMS,
  access: "read",
  args: RunArgs,
  run: async (ctx, a) => {
    const row = await runForRead(ctx, a.project, a.run, a.run_id);
    const base = { project: a.project, run: row?.name ?? a.run ?? null, run_id: a.run_id ?? null };
    if (!row || row.logCount === 0) return { ...base, num_logs: 0, metrics: [], config: null, last_step: null };
    const summary = await runSummary(ctx.s, a.project, row.id);
    return {
      ...base,
      num_logs: summary.log_count,
      metrics: summary.metrics,
      config: Object.keys(summary.config).length ? wireMetrics(summary.config) : null,
      last_step: summary.last_step,
    };
  },
});

export const getMetricsForRun = endpoint({
  ...RUN_PARAMS,
  access: "read",
  args: RunArgs,
  run: async (ctx, a) => {
    const row = await runForRead(ctx, a.project, a.run, a.run_id);
    return row ? (await metricNames(ctx.s, a.project, row.id)).metrics : [];
  },
});

const MUTATE_DENIED =
  "A write_token is required to delete or rename runs. Open the dashboard using the link that includes the write_token query parameter.";

/** True when a run was deleted, false when there was none. */
export const deleteRunEndpoint = endpoint({
  ...RUN_PARAMS,
  access: "write",
  writeDenied: MUTATE_DENIED,
  args: RunArgs,
  run: async (ctx, a) => {
    requireWriter(ctx.caller, [a.project], MUTATE_DENIED);
    const row = await runForRead(ctx, a.project, a.run, a.run_id);
    if (!row) return false;
    // The service deletes the run's metrics, system metrics and alerts, as on every interface.
    await deleteRun(ctx.s, a.project, row.id);
    return true;
  },
});

export const renameRunEndpoint = endpoint({
  params: ["project", "old_name", "new_name", "run_id"],
  required: ["project", "old_name", "new_name"],
  access: "write",
  writeDenied: MUTATE_DENIED,
  args: z.object({
    project: Project,
    old_name: z.string({ error: "old_name must be a string" }),
    new_name: z.string({ error: "new_name must be a string" }).max(256, "new_name must be at most 256 characters"),
    run_id: OptString("run_id"),
  }),
  run: async (ctx, a) => {
    const name = a.new_name.trim();
    requireWriter(ctx.caller, [a.project], MUTATE_DENIED);
    if (!name) throw trackioBadRequest("New run name cannot be empty");
    const row = await runForRead(ctx, a.project, a.old_name, a.run_id);
    if (!row) throw trackioBadRequest(`Run '${a.old_name}' does not exist in project '${a.project}'`);
    await renameRun(ctx.s, a.project, row.id, name);
    return true;
  },
});
