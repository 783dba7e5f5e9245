import type { Diagnosis } from "../../../../src/contract";
import { leaf, projectArg, runArg } from "../_args";
import { cliClient } from "../config";
import { keyValues, print, table } from "../output";

function human(d: Diagnosis): string {
  const head = keyValues({
    run: `${d.run} (${d.run_id})`,
    status: d.status,
    last_step: d.last_step ?? "-",
    steps_per_second: d.steps_per_second ?? "-",
    seconds_since_last_entry: d.seconds_since_last_entry ?? "-",
    flags: d.flags.length ? d.flags.join(", ") : "none",
    alerts: `info ${d.alerts.counts.info}, warn ${d.alerts.counts.warn}, error ${d.alerts.counts.error}`,
  });
  const metrics = table(d.metrics as unknown as Record<string, unknown>[], ["name", "last", "best", "best_step", "trend", "non_finite"]);
  const gaps = d.gaps.length ? `\n\n${table(d.gaps as unknown as Record<string, unknown>[], ["train", "val", "gap", "overfitting"])}` : "";
  const more = d.metrics_omitted ? `\n(${d.metrics_omitted} more metrics not shown)` : "";
  return `${head}\n\n${metrics}${more}${gaps}`;
}

export const diagnose = leaf({
  name: "diagnose",
  description: "A run's bounded diagnosis: per-metric last/best/trend, train/val gaps, flags, alerts, notes",
  args: { ...projectArg, ...runArg },
  async run({ args }) {
    print(args, await cliClient(args).runs.diagnosis(args.project, args.run), human);
  },
});
