import { z } from "zod";
import { AlertCounts, IsoTimestamp, Note, MAX_POINTS_LIMIT, MetricName, MetricQuery, Run, RunStatus, SnapshotQuery, Step } from "../../contract";
import { metricNames, metricValues, snapshot } from "../../services/metrics";
import { getRunOr404 } from "../../services/run-refs";
import { runSummary } from "../../services/runs";
import { getMetricValues as trackioMetricValues, getSnapshot as trackioSnapshot } from "../../trackio/endpoints/metrics";
import { parseOrThrow } from "../../validate";
import { projectArg, runArgs } from "../args";
import { defineTool, runRef, knownProject } from "../tool";
import { viaTrackio } from "../trackio-bridge";
import { TrackioPoint, TrackioRunSummary, toTrackioPoint, toTrackioRunSummary } from "../trackio-shapes";

const READ = { readOnlyHint: true, openWorldHint: false } as const;

/** Trackio's selectors: a step, a window of steps around one, or a window of seconds around an instant. */
const stepArgs = {
  step: Step.optional().describe("Only the values logged at exactly this step"),
  around_step: Step.optional().describe("Only the values within `window` steps of this step"),
  at_time: IsoTimestamp.optional().describe("Only the values logged within `window` seconds of this ISO-8601 instant"),
  window: Step.max(1_000_000).default(10).describe("Half-width: steps for around_step, seconds for at_time (default 10)"),
};
const oneSelector = (a: { step?: number; around_step?: number; at_time?: string }) =>
  [a.step, a.around_step, a.at_time].filter((x) => x !== undefined).length <= 1;

export const getRunSummary = defineTool({
  name: "get_run_summary",
  title: "Summarise a run",
  description:
    "Summarise one run: its config (hyperparameters), metric names, number of log entries and last step. Trackflare adds its status (running, finished, failed, stopped after a stop request, stale when a script logging through the SDK or REST stopped reporting without finishing, or ended when a script logging through Trackio's protocol, which has no finish call, went quiet: not a failure), its alert counts by level, its notes (newest first) and a pending stop request.",
  scope: "read",
  input: z.strictObject({ project: projectArg, ...runArgs }),
  output: TrackioRunSummary.extend({ status: RunStatus, alert_counts: AlertCounts, notes: z.array(Note), stop_requested: Run.shape.stop_requested }),
  annotations: READ,
  run: async (args, t) => {
    const summary = await runSummary(t.s, await knownProject(t, args.project), runRef(args));
    return { ...toTrackioRunSummary(summary), status: summary.status, alert_counts: summary.alert_counts, notes: summary.notes, stop_requested: summary.stop_requested };
  },
});

export const getMetricsForRun = defineTool({
  name: "get_metrics_for_run",
  title: "List a run's metrics",
  description: "List the names of the metrics a run has logged, sorted. Use a name with get_metric_values.",
  scope: "read",
  input: z.strictObject({ project: projectArg, ...runArgs }),
  output: z.object({ result: z.array(z.string()) }),
  annotations: READ,
  run: async (args, t) => ({ result: (await metricNames(t.s, await knownProject(t, args.project), runRef(args))).metrics }),
});

export const getMetricValues = defineTool({
  name: "get_metric_values",
  title: "Read a metric's values",
  description:
    "Read one metric of a run as [{timestamp, step, value}] in step order: every value, only a step, a window of steps around a step, or a window of seconds around an instant (at_time). Long series are downsampled to at most max_points (default 500) keeping the first and last values and every local minimum and maximum; `downsampled` says whether that happened. Non-finite values read as \"NaN\", \"Infinity\" or \"-Infinity\".",
  scope: "read",
  input: z
    .strictObject({
      project: projectArg,
      ...runArgs,
      metric_name: MetricName.describe("Metric name, as listed by get_metrics_for_run"),
      ...stepArgs,
      max_points: Step.min(2).max(MAX_POINTS_LIMIT).default(500).describe(`At most this many points (2..${MAX_POINTS_LIMIT}, default 500)`),
    })
    .refine(oneSelector, { message: "give at most one of step, around_step and at_time", path: ["around_step"] }),
  output: z.object({ result: z.array(TrackioPoint), downsampled: z.boolean() }),
  annotations: READ,
  run: async (args, t) => {
    if (args.at_time !== undefined) {
      // Time windows are Trackio's selector; its handler is the one implementation of them.
      const run = await getRunOr404(t.s, await knownProject(t, args.project), runRef(args));
      const values = await viaTrackio(trackioMetricValues, t, { project: args.project, run: run.name, run_id: run.id, metric_name: args.metric_name, at_time: args.at_time, window: args.window });
      return { result: values as z.infer<typeof TrackioPoint>[], downsampled: false };
    }
    const q = parseOrThrow(MetricQuery, { step: args.step, around: args.around_step, window: args.window, max_points: args.max_points }, "arguments");
    const r = await metricValues(t.s, await knownProject(t, args.project), runRef(args), args.metric_name, q);
    return { result: r.values.map(toTrackioPoint), downsampled: r.downsampled };
  },
});

export const getSnapshot = defineTool({
  name: "get_snapshot",
  title: "Read every metric at a step",
  description:
    "Read every metric a run logged at one step (step), within window steps around one (around_step), or within window seconds of an instant (at_time), as {metric_name: [{timestamp, step, value}]}. Give one of them.",
  scope: "read",
  input: z
    .strictObject({ project: projectArg, ...runArgs, ...stepArgs })
    .refine(oneSelector, { message: "give one of step, around_step and at_time", path: ["around_step"] })
    .refine((a) => a.step !== undefined || a.around_step !== undefined || a.at_time !== undefined, { message: "give step, around_step or at_time", path: ["step"] }),
  output: z.object({}).catchall(z.array(TrackioPoint)),
  annotations: READ,
  run: async (args, t) => {
    if (args.at_time !== undefined) {
      const run = await getRunOr404(t.s, await knownProject(t, args.project), runRef(args));
      const snap = await viaTrackio(trackioSnapshot, t, { project: args.project, run_id: run.id, at_time: args.at_time, window: args.window });
      return snap as Record<string, z.infer<typeof TrackioPoint>[]>;
    }
    const q = parseOrThrow(SnapshotQuery, { step: args.step, around: args.around_step, window: args.window }, "arguments");
    const snap = await snapshot(t.s, await knownProject(t, args.project), runRef(args), q);
    return Object.fromEntries(Object.entries(snap.metrics).map(([name, points]) => [name, points.map(toTrackioPoint)]));
  },
});
