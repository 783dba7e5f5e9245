import { z } from "zod";
import { systemMetricNames } from "../../db/system-metrics";
import { endpoint, OptString, Project } from "../endpoint";
import { runForRead } from "../identity";
import { readRows } from "../rows";
import { wireMetrics } from "../values";

const RunArgs = z.object({ project: Project, run: OptString("run"), run_id: OptString("run_id") });
const RUN_PARAMS = { params: ["project", "run", "run_id"], required: ["project"] } as const;

export const getSystemMetricsForRun = endpoint({
  ...RUN_PARAMS,
  access: "read",
  args: RunArgs,
  run: async (ctx, a) => {
    const run = await runForRead(ctx, a.project, a.run, a.run_id);
    return run ? (await systemMetricNames(ctx.s.env.DB, run.id)).filter((n) => n !== "timestamp") : [];
  },
});

/** `{...metrics, timestamp}` in time order, downsampled like get_logs. */
export const getSystemLogs = endpoint({
  ...RUN_PARAMS,
  access: "read",
  args: RunArgs,
  run: async (ctx, a) => {
    const run = await runForRead(ctx, a.project, a.run, a.run_id);
    if (!run) return [];
    const rows = await readRows(ctx.s.env.DB, "system", run.id, null);
    return rows.map((r) => ({ ...wireMetrics(r.metrics), timestamp: r.ts }));
  },
});
