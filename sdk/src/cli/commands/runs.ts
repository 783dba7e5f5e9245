import { group, leaf, projectArg, runArg, UsageError } from "../_args";
import { cliClient } from "../config";
import { print } from "../output";

const finish = leaf({
  name: "runs finish",
  description: "Mark a run finished (or --status failed)",
  args: { ...projectArg, ...runArg, status: { type: "string", description: "finished (default) or failed" } },
  async run({ args }) {
    const status = args.status ?? "finished";
    if (status !== "finished" && status !== "failed") throw new UsageError(`Option '--status' must be finished or failed, got '${status}'`);
    const run = await cliClient(args).runs.finish(args.project, args.run, { status });
    print(args, run, (r) => `Run '${r.name}' (${r.id}) is ${r.status}.`);
  },
});

const rename = leaf({
  name: "runs rename",
  description: "Rename a run",
  args: { ...projectArg, ...runArg, name: { type: "string", required: true, description: "The new name" } },
  async run({ args }) {
    const run = await cliClient(args).runs.rename(args.project, args.run, args.name);
    print(args, run, (r) => `Run ${r.id} is now named '${r.name}'.`);
  },
});

const del = leaf({
  name: "runs delete",
  description: "Delete a run with its logs and alerts",
  args: { ...projectArg, ...runArg },
  async run({ args }) {
    const res = await cliClient(args).runs.delete(args.project, args.run);
    print(args, res, (r) => `Deleted run ${r.id}.`);
  },
});

const stop = leaf({
  name: "runs stop",
  description: "Ask a run's script to stop: the SDKs see it on their next log batch (shouldStop()); the run then ends stopped",
  args: { ...projectArg, ...runArg, reason: { type: "string", description: "Why (shown in the 'Stop requested' alert)" } },
  async run({ args }) {
    const run = await cliClient(args).runs.stop(args.project, args.run, { reason: args.reason });
    print(args, run, (r) => `Stop requested for run '${r.name}' (${r.id}); its script sees it on its next log batch.`);
  },
});

export const runs = group("runs", "Finish, stop, rename or delete a run", { finish, stop, rename, delete: del });
