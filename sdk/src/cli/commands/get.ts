import { group, intFlag, leaf, projectArg, runArg, UsageError } from "../_args";
import { cliClient } from "../config";
import { keyValues, print, table } from "../output";
import { pointDoc, projectDoc, runDoc } from "../shapes";
import { alertsCommand } from "./list";

const windowArgs = {
  step: { type: "string", description: "Exactly this step" },
  around: { type: "string", description: "Steps within --window of this one" },
  window: { type: "string", description: "Half-width of the --around range (default 10)" },
} as const;

function range(args: Record<string, unknown>) {
  const step = intFlag(args, "step");
  const around = intFlag(args, "around");
  const window = intFlag(args, "window");
  if (step !== undefined && around !== undefined) throw new UsageError("Give --step or --around, not both");
  if (window !== undefined && around === undefined) throw new UsageError("--window goes with --around");
  return { step, around, window };
}

const project = leaf({
  name: "get project",
  description: "A project's runs and last step",
  args: { ...projectArg },
  async run({ args }) {
    const doc = projectDoc(await cliClient(args).projects.get(args.project));
    print(args, doc, (d) =>
      [
        keyValues({ project: d.project, num_runs: d.num_runs, last_activity: d.last_activity, last_step: d.last_step }),
        "",
        d.runs.length ? table(d.runs, ["id", "name", "created_at"]) : "No runs found.",
      ].join("\n"),
    );
  },
});

const run = leaf({
  name: "get run",
  description: "A run's summary: logs, metrics, config, last step",
  args: { ...projectArg, ...runArg },
  async run({ args }) {
    const doc = runDoc(args.project, await cliClient(args).runs.get(args.project, args.run));
    print(args, doc, (d) => keyValues({ ...d, metrics: d.metrics.join(", ") }));
  },
});

const metric = leaf({
  name: "get metric",
  description: "A metric's values (all, --step N, or --around N --window W)",
  args: {
    ...projectArg,
    ...runArg,
    metric: { type: "string", required: true, description: "Metric name" },
    ...windowArgs,
    "max-points": { type: "string", description: "Downsample to at most this many points (min/max kept per bucket)" },
  },
  async run({ args }) {
    const r = { ...range(args), maxPoints: intFlag(args, "max-points", { min: 2 }) };
    const res = await cliClient(args).metrics.values(args.project, args.run, args.metric, r.around !== undefined ? { ...r, window: r.window ?? 10 } : r);
    const doc = { project: args.project, run: args.run, metric: args.metric, values: res.values.map(pointDoc) };
    print(args, doc, (d) => (d.values.length ? table(d.values, ["step", "timestamp", "value"]) : `No values found for '${d.metric}'.`));
  },
});

const snapshot = leaf({
  name: "get snapshot",
  description: "Every metric at --step N, or within --window of --around N",
  args: { ...projectArg, ...runArg, ...windowArgs },
  async run({ args }) {
    const r = range(args);
    if (r.step === undefined && r.around === undefined) throw new UsageError("Give --step N or --around N (with --window W)");
    const res = await cliClient(args).metrics.snapshot(args.project, args.run, r.around !== undefined ? { around: r.around, window: r.window ?? 10 } : { step: r.step });
    const metrics = Object.fromEntries(Object.entries(res.metrics).map(([k, v]) => [k, v.map(pointDoc)]));
    const where = r.step !== undefined ? { step: r.step } : { around: r.around, window: r.window ?? 10 };
    const doc = { project: args.project, run: args.run, metrics, ...where };
    print(args, doc, (d) => {
      const rows = Object.entries(d.metrics).flatMap(([name, pts]) => pts.map((p) => ({ metric: name, ...p })));
      return rows.length ? table(rows, ["metric", "step", "timestamp", "value"]) : "No metrics found.";
    });
  },
});

export const get = group("get", "Get a project, run, metric, snapshot or alerts", {
  project,
  run,
  metric,
  snapshot,
  alerts: alertsCommand("get alerts"),
});
