import { alertFilterArgs, group, intFlag, leaf, numberFlag, projectArg, runArg } from "../_args";
import { cliClient } from "../config";
import { print } from "../output";
import { alertFilter, alertTable } from "./_alerts";

/** Exit status of `wait alerts` when no alert came: distinct from 1 (an error). */
export const EXIT_TIMEOUT = 2;

const alerts = leaf({
  name: "wait alerts",
  description: "Block until a matching alert arrives (exit 0), or --timeout seconds pass (exit 2)",
  args: {
    ...projectArg,
    ...alertFilterArgs,
    timeout: { type: "string", description: "Seconds to wait (default 60)" },
    limit: { type: "string", description: "At most this many alerts in the answer (default 100)" },
  },
  async run({ args }) {
    // With neither --cursor nor --since the server counts only alerts raised after the wait began.
    const filter = alertFilter(args);
    const timeout = numberFlag(args, "timeout") ?? 60;
    const res = await cliClient(args).alerts.wait(args.project, { ...filter, timeout, limit: intFlag(args, "limit", { min: 1 }) });
    const doc = { project: args.project, alerts: res.alerts, next_cursor: res.next_cursor, timed_out: res.timed_out && res.alerts.length === 0 };
    print(args, doc, (d) => (d.timed_out ? `No matching alert within ${timeout} s (next cursor ${d.next_cursor}).` : `${alertTable(d.alerts)}\n\nnext cursor: ${d.next_cursor}`));
    if (doc.timed_out) process.exitCode = EXIT_TIMEOUT;
  },
});

const run = leaf({
  name: "wait run",
  description: "Block until a run's condition holds (exit 0) or --timeout seconds pass (exit 2): ended, step>=N, or <metric><op><value> such as 'val/loss<0.3'",
  args: {
    ...projectArg,
    ...runArg,
    until: { type: "string", required: true, description: "ended | step>=N | <metric><op><value> with op <, <=, > or >=" },
    timeout: { type: "string", description: "Seconds to wait (default 60)" },
  },
  async run({ args }) {
    const timeout = numberFlag(args, "timeout") ?? 60;
    const res = await cliClient(args).runs.wait(args.project, args.run, { until: args.until, timeout });
    print(args, res, (r) => {
      const value = r.value !== undefined ? `, ${args.until.split(/[<>]/)[0].trim()} = ${r.value} at step ${r.value_step}` : "";
      return r.matched ? `'${args.until}' holds: run is ${r.status} at step ${r.step ?? "-"}${value}.` : `'${args.until}' did not hold within ${timeout} s: run is ${r.status} at step ${r.step ?? "-"}${value}.`;
    });
    if (!res.matched) process.exitCode = EXIT_TIMEOUT;
  },
});

export const wait = group("wait", "Wait for alerts or for a run's condition", { alerts, run });
