import { z } from "zod";
import { getRunOr404 } from "../../services/run-refs";
import { getLogs as trackioGetLogs } from "../../trackio/endpoints/metrics";
import { getSystemLogs as trackioGetSystemLogs } from "../../trackio/endpoints/system";
import { projectArg, runArgs } from "../args";
import { defineTool, runRef, knownProject } from "../tool";
import { viaTrackio } from "../trackio-bridge";

const READ = { readOnlyHint: true, openWorldHint: false } as const;
const Rows = z.array(z.record(z.string(), z.json()));

export const getLogsTool = defineTool({
  name: "get_logs",
  title: "Read a run's log rows",
  description:
    "Read a run's logged rows in time order as [{...metrics, timestamp, step}], as Trackio does: at most 3,000 rows (longer runs are thinned evenly, keeping the last row). scalar_only drops non-numeric values. Non-finite values read as null here. For one metric, get_metric_values is smaller and exact.",
  scope: "read",
  input: z.strictObject({ project: projectArg, ...runArgs, scalar_only: z.boolean().default(false).describe("Only numeric values (and histograms)") }),
  output: z.object({ result: Rows }),
  annotations: READ,
  run: async (args, t) => {
    // Resolved here first so that an unknown run is a tool error naming it, not an empty list.
    const run = await getRunOr404(t.s, await knownProject(t, args.project), runRef(args));
    return { result: (await viaTrackio(trackioGetLogs, t, { project: args.project, run_id: run.id, scalar_only: args.scalar_only })) as z.infer<typeof Rows> };
  },
});

export const getSystemLogsTool = defineTool({
  name: "get_system_logs",
  title: "Read a run's system metrics",
  description:
    "Read a run's system metrics (GPU, CPU, memory, as Trackio's log_system or its automatic GPU logging sends them) in time order as [{...metrics, timestamp}], at most 3,000 rows. Empty when the script logged none.",
  scope: "read",
  input: z.strictObject({ project: projectArg, ...runArgs }),
  output: z.object({ result: Rows }),
  annotations: READ,
  run: async (args, t) => {
    const run = await getRunOr404(t.s, await knownProject(t, args.project), runRef(args));
    return { result: (await viaTrackio(trackioGetSystemLogs, t, { project: args.project, run_id: run.id })) as z.infer<typeof Rows> };
  },
});
