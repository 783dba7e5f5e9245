import { z } from "zod";
import { FinishRun, Run, RunName, RunRef } from "../../contract";
import { deleteRun, finishRun, renameRun } from "../../services/runs";
import { projectArg, runArgs } from "../args";
import { defineTool, runRef, visibleProject } from "../tool";

// Trackio's mutation tools take its tokens as arguments; here the key in the Authorization
// header decides, so the arguments are accepted (a Trackio-trained caller may send them) and ignored.
const trackioTokens = {
  hf_token: z.string().optional().describe("Ignored: Trackflare authorises with the API key in the Authorization header"),
  write_token: z.string().optional().describe("Ignored: Trackflare authorises with the API key in the Authorization header"),
};

export const finishRunTool = defineTool({
  name: "finish_run",
  title: "Mark a run finished or failed",
  description:
    "Mark a run as finished (default) or failed, e.g. after stopping a diverging run. Needs a write key. Returns the updated run.",
  scope: "write",
  input: z.strictObject({ project: projectArg, ...runArgs, status: FinishRun.shape.status.describe("finished (default) or failed") }),
  output: Run,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  run: async (args, t) => finishRun(t.s, visibleProject(t, args.project), runRef(args), { status: args.status }),
});

export const renameRunTool = defineTool({
  name: "rename_run",
  title: "Rename a run",
  description: "Rename a run (Trackio's signature: old_name or run_id, and new_name). Needs a write key. Returns result: true and the renamed run.",
  scope: "write",
  input: z.strictObject({
    project: projectArg,
    old_name: RunRef.optional().describe("Current run name (the newest run with it). Give old_name or run_id"),
    run_id: RunRef.optional().describe("Run id; takes precedence over old_name"),
    new_name: RunName.describe("The new name"),
    ...trackioTokens,
  }),
  output: z.object({ result: z.boolean(), run: Run }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  run: async (args, t) => {
    const run = await renameRun(t.s, visibleProject(t, args.project), runRef({ run: args.old_name, run_id: args.run_id }), args.new_name);
    return { result: true, run };
  },
});

export const deleteRunTool = defineTool({
  name: "delete_run",
  title: "Delete a run",
  description:
    "Delete a run with all its metric logs and alerts. This cannot be undone. Needs a write key. Returns result: true and the deleted run's id.",
  scope: "write",
  input: z.strictObject({ project: projectArg, ...runArgs, ...trackioTokens }),
  output: z.object({ result: z.boolean(), id: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  run: async (args, t) => {
    const { id } = await deleteRun(t.s, visibleProject(t, args.project), runRef(args));
    return { result: true, id };
  },
});
