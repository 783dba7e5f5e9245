import { z } from "zod";
import { Alert, CreateAlert, FinishRun, Run, RunName, RunRef } from "../../contract";
import { createAlerts } from "../../services/alerts";
import { deleteRun, finishRun, renameRun } from "../../services/runs";
import { projectArg, runArgs, withLevelEnum } from "../args";
import { defineTool, runRef, knownProject } from "../tool";

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
  input: z.strictObject({ project: projectArg, ...runArgs, status: FinishRun.shape.status.describe("finished (default), failed, or stopped") }),
  output: Run,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  run: async (args, t) => finishRun(t.s, await knownProject(t, args.project), runRef(args), { status: args.status }),
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
    const run = await renameRun(t.s, await knownProject(t, args.project), runRef({ run: args.old_name, run_id: args.run_id }), args.new_name);
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
    // The run service deletes the run's metrics, system metrics and alerts, as on every interface.
    const { id } = await deleteRun(t.s, await knownProject(t, args.project), runRef(args));
    return { result: true, id };
  },
});

const a = CreateAlert.shape;

export const logAlert = defineTool({
  name: "log_alert",
  title: "Raise an alert",
  description:
    "Raise an alert on a project (usually on a run), exactly as a training script's alert() does: it reaches every watcher (get_alerts, wait_for_alerts, WebSocket subscribers, webhooks). Levels: info (milestone), warn (tweak), error (stop and change approach). Give alert_id to make a retry safe: the same alert_id is stored once. Needs a write key. Returns the stored alert with its cursor.",
  scope: "write",
  input: z.strictObject({
    project: projectArg,
    title: a.title.describe("Short summary, e.g. 'val_loss diverged'"),
    text: a.text.describe("Details: what happened and what to do"),
    level: withLevelEnum(a.level, "info, warn (default) or error"),
    run: a.run.describe("The run it concerns: a run name (its newest run) or id"),
    run_id: a.run_id.describe("The run it concerns, by id"),
    step: a.step.describe("The step it concerns"),
    timestamp: a.timestamp.describe("When it happened (ISO-8601); default now"),
    alert_id: a.alert_id.describe("Idempotency key: retrying with the same alert_id stores the alert once"),
    webhook_url: a.webhook_url.describe("This alert's own webhook (Slack, Discord or HTTPS), instead of its run's webhook_url"),
  }),
  output: Alert,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  run: async ({ project, ...alert }, t) => {
    const [stored] = await createAlerts(t.s, await knownProject(t, project), [alert]);
    return stored;
  },
});
