import { z } from "zod";
import { parseTimestamp, type MetricPoint } from "../../contract";
import type { RunRow } from "../../db/runs";
import { seriesOf, snapshot } from "../../services/metrics";
import { endpoint, OptInt, OptString, OptWindow, Project, type Ctx } from "../endpoint";
import { trackioBadRequest } from "../errors";
import { runForRead } from "../identity";
import { readRows } from "../rows";
import { byTimestamp, isScalarValue, wireMetrics, wireValue } from "../values";

/** Trackio's `--window` default, also used when a caller gives `around_step` or `at_time` alone. */
const DEFAULT_WINDOW = 10;

type Where = { step?: number | null; around_step?: number | null; at_time?: string | null; window?: number | null };

/**
 * The step range a query selects, plus an instant window for `at_time` (compared as instants:
 * Trackio's own `--at-time` compares strings of different forms and never matches).
 */
function selection(run: RunRow, w: Where) {
  const window = w.window ?? DEFAULT_WINDOW;
  if (w.step != null) return { step: w.step, window, time: null };
  if (w.around_step != null) return { around: w.around_step, window, time: null };
  const all = { around: 0, window: Math.max(run.lastStep ?? 0, 0) };
  if (w.at_time == null) return { ...all, time: null };
  const us = parseTimestamp(w.at_time);
  if (us === null) throw trackioBadRequest("Invalid at_time: must be an ISO-8601 timestamp such as 2026-11-28T16:57:00.911818+00:00");
  return { ...all, time: { lo: us - window * 1_000_000, hi: us + window * 1_000_000 } };
}

const inTime = (time: { lo: number; hi: number } | null) => (p: { timestamp: string }) => {
  if (!time) return true;
  const us = parseTimestamp(p.timestamp) ?? 0;
  return us >= time.lo && us <= time.hi;
};

const wirePoint = (p: MetricPoint) => ({ timestamp: p.timestamp, step: p.step, value: wireValue(p.value) });

export const getMetricValues = endpoint({
  params: ["project", "run", "metric_name", "step", "around_step", "at_time", "window", "run_id"],
  required: ["project", "run", "metric_name"],
  access: "read",
  args: z.object({
    project: Project,
    run: OptString("run"),
    metric_name: z.string({ error: "metric_name must be a string" }),
    step: OptInt("step"),
    around_step: OptInt("around_step"),
    at_time: OptString("at_time"),
    window: OptWindow,
    run_id: OptString("run_id"),
  }),
  run: async (ctx, a) => {
    const run = await runForRead(ctx, a.project, a.run, a.run_id);
    if (!run) return [];
    const sel = selection(run, a);
    const { values } = await seriesOf(ctx.s, run, a.metric_name, { step: sel.step, around: sel.around, window: sel.window });
    return byTimestamp(values.filter(inTime(sel.time))).map(wirePoint);
  },
});

/**
 * The `trackio` CLI sends `[project, run, step, around, at_time, window]` (no run_id), which
 * Trackio's server binds one place off; read in the CLI's order, `--step`/`--around` work.
 */
export const getSnapshot = endpoint({
  params: ["project", "run", "run_id", "step", "around_step", "at_time", "window"],
  required: ["project"],
  cliOrder: ["project", "run", "step", "around_step", "at_time", "window"],
  access: "read",
  args: z.object({
    project: Project,
    run: OptString("run"),
    run_id: OptString("run_id"),
    step: OptInt("step"),
    around_step: OptInt("around_step"),
    at_time: OptString("at_time"),
    window: OptWindow,
  }),
  run: async (ctx, a) => {
    const run = await runForRead(ctx, a.project, a.run, a.run_id);
    if (!run || run.lastStep === null) return {};
    const sel = selection(run, a);
    const snap = await snapshot(ctx.s, a.project, run.id, sel.step != null ? { step: sel.step, window: sel.window } : { around: sel.around, window: sel.window });
    const out: Record<string, unknown[]> = {};
    for (const [name, points] of Object.entries(snap.metrics)) {
      const kept = byTimestamp(points.filter(inTime(sel.time))).map(wirePoint);
      if (kept.length) out[name] = kept;
    }
    return out;
  },
});

const flag = z
  .union([z.boolean(), z.string(), z.null()], { error: "scalar_only must be a boolean" })
  .optional()
  .transform((v, ctx) => {
    if (v == null || typeof v === "boolean") return v ?? false;
    const s = v.trim().toLowerCase();
    if (["true", "1", "yes", "on"].includes(s)) return true;
    if (["false", "0", "no", "off", ""].includes(s)) return false;
    ctx.addIssue({ code: "custom", message: "scalar_only must be a boolean" });
    return z.NEVER;
  });

/** Whole rows, `{...metrics, timestamp, step}`, downsampled to at most 3,000 keeping each group's last. */
export const getLogs = endpoint({
  params: ["project", "run", "run_id", "scalar_only"],
  required: ["project"],
  access: "read",
  args: z.object({ project: Project, run: OptString("run"), run_id: OptString("run_id"), scalar_only: flag }),
  run: async (ctx, a) => {
    const run = await runForRead(ctx, a.project, a.run, a.run_id);
    if (!run) return [];
    return logsOf(ctx, run, a.scalar_only);
  },
});

async function logsOf(ctx: Ctx, run: RunRow, scalarOnly: boolean) {
  const rows = await readRows(ctx.s.env.DB, "metrics", run.id, run.logCount, scalarOnly);
  return rows.map((r) => {
    const metrics = scalarOnly ? Object.fromEntries(Object.entries(r.metrics).filter(([, v]) => isScalarValue(v))) : wireMetrics(r.metrics);
    return { ...metrics, timestamp: r.ts, step: r.step };
  });
}
