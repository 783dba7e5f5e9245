import { z } from "zod";
import { CompareMode, Comparison, MAX_COMPARED_RUNS, MetricName, RunRef } from "../../contract";
import { compareRuns as compare } from "../../services/compare";
import { projectArg } from "../args";
import { defineTool, knownProject } from "../tool";

export const compareRuns = defineTool({
  name: "compare_runs",
  title: "Compare runs side by side",
  description:
    "Compare runs of a project after a sweep: each run's config, status and alert counts, and for each metric its final value (at the last step) and its best value (with the step it was reached), plus which run is best per metric and which config keys differ between the runs. 'Best' is the minimum, except for metrics whose name says higher is better (accuracy, acc, f1, auc, precision, recall, reward, score, ...), which are maximised; override with mode or modes. Without runs, compares the project's most recent runs (up to 50), optionally only one group.",
  scope: "read",
  input: z.strictObject({
    project: projectArg,
    runs: z.array(RunRef).min(1).max(MAX_COMPARED_RUNS).optional().describe(`Run names or ids to compare (at most ${MAX_COMPARED_RUNS}); default: the project's runs`),
    group: z.string().max(256).optional().describe("Without runs: only the runs of this group"),
    metrics: z.array(MetricName).min(1).max(100).optional().describe("Metric names to compare; default: every numeric metric the runs logged"),
    mode: z.enum(["auto", "min", "max"]).default("auto").describe("What 'best' means for every metric: auto (by name), min or max"),
    modes: z.record(MetricName, CompareMode).optional().describe('Per-metric override of mode, e.g. {"val_loss": "min", "bleu": "max"}'),
  }),
  output: Comparison,
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: async ({ project, ...args }, t) => compare(t.s, await knownProject(t, project), args),
});
