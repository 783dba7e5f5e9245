import { z } from "zod";
import { AlertCounts, ListRunsQuery, MetricName, RunRef, RunStatus, SeriesQuery } from "../../contract";
import { series } from "../../services/metrics";
import { listProjectRuns, runSummary } from "../../services/runs";
import { parseOrThrow } from "../../validate";
import { projectArg } from "../args";
import { differingKeys, finalAndBest, guessMode, type Mode } from "../compare";
import { defineTool, knownProject } from "../tool";

const MAX_RUNS = 50;
// Enough points that every bucket's minimum and maximum survive; the best value is exact at any length.
const POINTS_PER_SERIES = 200;

const ModeArg = z.enum(["min", "max"]);
const Picked = z.object({ step: z.number().int(), timestamp: z.string(), value: z.json() }).nullable();

export const compareRuns = defineTool({
  name: "compare_runs",
  title: "Compare runs side by side",
  description:
    "Compare runs of a project after a sweep: each run's config, status and alert counts, and for each metric its final value (at the last step) and its best value (with the step it was reached), plus which run is best per metric and which config keys differ between the runs. 'Best' is the minimum, except for metrics whose name says higher is better (accuracy, acc, f1, auc, precision, recall, reward, score, ...), which are maximised; override with mode or modes. Without runs, compares the project's most recent runs (up to 50), optionally only one group.",
  scope: "read",
  input: z.strictObject({
    project: projectArg,
    runs: z.array(RunRef).min(1).max(MAX_RUNS).optional().describe(`Run names or ids to compare (at most ${MAX_RUNS}); default: the project's runs`),
    group: z.string().max(256).optional().describe("Without runs: only the runs of this group"),
    metrics: z.array(MetricName).min(1).max(100).optional().describe("Metric names to compare; default: every numeric metric the runs logged"),
    mode: z.enum(["auto", "min", "max"]).default("auto").describe("What 'best' means for every metric: auto (by name), min or max"),
    modes: z.record(MetricName, ModeArg).optional().describe('Per-metric override of mode, e.g. {"val_loss": "min", "bleu": "max"}'),
  }),
  output: z.object({
    project: z.string(),
    metrics: z.array(
      z.object({
        name: z.string(),
        mode: ModeArg,
        best_run: z.object({ id: z.string(), name: z.string(), step: z.number().int(), value: z.number() }).nullable(),
      }),
    ),
    differing_config_keys: z.array(z.string()),
    runs: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        group: z.string().nullable(),
        status: RunStatus,
        last_step: z.number().int().nullable(),
        config: z.record(z.string(), z.json()),
        alert_counts: AlertCounts,
        metrics: z.record(z.string(), z.object({ final: Picked, best: Picked })),
      }),
    ),
    /** True when the project has more runs than were compared. */
    truncated: z.boolean(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: async (args, t) => {
    const project = await knownProject(t, args.project);
    let refs = args.runs;
    let truncated = false;
    if (!refs) {
      const all = await listProjectRuns(t.s, project, ListRunsQuery.parse({ group: args.group }));
      truncated = all.length > MAX_RUNS;
      refs = all.slice(-MAX_RUNS).map((r) => r.id);
    }
    const summaries = await Promise.all(refs.map((ref) => runSummary(t.s, project, ref)));
    const q = parseOrThrow(SeriesQuery, { runs: summaries.map((r) => r.id).join(","), metrics: args.metrics?.join(","), max_points: String(POINTS_PER_SERIES) }, "arguments");
    const { series: all } = summaries.length ? await series(t.s, project, q) : { series: [] };

    const modeOf = (name: string): Mode => args.modes?.[name] ?? (args.mode === "auto" ? guessMode(name) : args.mode);
    const names = args.metrics ?? [...new Set(all.map((x) => x.metric))].sort();
    const perRun = new Map<string, Record<string, ReturnType<typeof finalAndBest>>>();
    for (const x of all) {
      const row = perRun.get(x.run_id) ?? {};
      row[x.metric] = finalAndBest(x.values, modeOf(x.metric));
      perRun.set(x.run_id, row);
    }
    const metrics = names.map((name) => {
      const mode = modeOf(name);
      let best: { id: string; name: string; step: number; value: number } | null = null;
      for (const r of summaries) {
        const b = perRun.get(r.id)?.[name]?.best;
        if (!b || typeof b.value !== "number") continue;
        if (!best || (mode === "min" ? b.value < best.value : b.value > best.value)) best = { id: r.id, name: r.name, step: b.step, value: b.value };
      }
      return { name, mode, best_run: best };
    });
    return {
      project,
      metrics,
      differing_config_keys: differingKeys(summaries.map((r) => r.config)),
      runs: summaries.map((r) => ({
        id: r.id,
        name: r.name,
        group: r.group,
        status: r.status,
        last_step: r.last_step,
        config: r.config,
        alert_counts: r.alert_counts,
        metrics: Object.fromEntries(names.map((n) => [n, perRun.get(r.id)?.[n] ?? { final: null, best: null }])),
      })),
      truncated,
    };
  },
});
