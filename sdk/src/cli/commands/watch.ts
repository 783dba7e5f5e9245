import type { Alert } from "../../../../src/contract";
import { alertFilterArgs, group, intFlag, leaf, projectArg } from "../_args";
import { cliClient } from "../config";
import { note, printLine } from "../output";
import { alertFilter, alertLine } from "./_alerts";

const alerts = leaf({
  name: "watch alerts",
  description: "Stream matching alerts live (NDJSON with --json), reconnecting and resuming after the last cursor",
  args: {
    ...projectArg,
    ...alertFilterArgs,
    count: { type: "string", description: "Exit after this many alerts" },
  },
  async run({ args }) {
    const filter = alertFilter(args);
    const count = intFlag(args, "count", { min: 1 });
    const client = cliClient(args);
    let seen = 0;
    let failure: Error | null = null;
    const watch = client.alerts.watch(args.project, filter, {
      onAlert(a: Alert) {
        if (count !== undefined && seen >= count) return;
        seen++;
        if (args.json) printLine(a);
        else process.stdout.write(`${alertLine(a)}\n`);
        if (count !== undefined && seen >= count) watch.close();
      },
      onReady: (cursor) => note(`Watching alerts of '${args.project}' after cursor ${cursor}${count ? ` (until ${count})` : ""}; Ctrl-C to stop.`),
      onDisconnect: (reason) => note(`Connection lost (${reason}); reconnecting…`),
      onError: (err) => (failure = err),
    });
    await watch.done;
    if (failure) throw failure;
  },
});

export const watch = group("watch", "Watch alerts live", { alerts });
