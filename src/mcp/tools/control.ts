import { z } from "zod";
import { CreateNote, Diagnosis, Note, Run, RunConditionText, RunWaitResult, StopRun } from "../../contract";
import { diagnoseRun } from "../../services/diagnosis";
import { addNote } from "../../services/notes";
import { waitForRun } from "../../services/run-wait";
import { stopRun } from "../../services/stop";
import { parseOrThrow } from "../../validate";
import { projectArg, runArgs } from "../args";
import { defineTool, knownProject, runRef } from "../tool";
import { MCP_MAX_WAIT_SECONDS } from "./alerts";

const READ = { readOnlyHint: true, openWorldHint: false } as const;

export const waitForRunTool = defineTool({
  name: "wait_for_run",
  title: "Wait for a run's condition",
  description:
    "Block until a run's condition holds, instead of polling: 'ended' (finished, failed, stopped, stale or ended), 'step>=N', or '<metric><op><value>' with op one of <, <=, >, >= (e.g. 'val/loss<0.3'). Returns {matched, timed_out, status, step, value?}; on timed_out call again. Ingest wakes the wait, so it answers within moments of the batch that makes the condition true.",
  scope: "read",
  input: z.strictObject({
    project: projectArg,
    ...runArgs,
    until: z.string().describe("ended | step>=N | <metric><op><value>, e.g. 'val/loss<0.3'"),
    timeout: z.number().min(0).max(MCP_MAX_WAIT_SECONDS).default(30).describe(`Seconds to wait at most (0..${MCP_MAX_WAIT_SECONDS}, default 30)`),
  }),
  output: RunWaitResult,
  annotations: READ,
  run: async (args, t) =>
    waitForRun(t.s, await knownProject(t, args.project), runRef(args), { until: parseOrThrow(RunConditionText, args.until, "until"), timeout: args.timeout }),
});

export const diagnoseRunTool = defineTool({
  name: "diagnose_run",
  title: "Diagnose a run",
  description:
    "A run's health in a few KB whatever its length, computed from rollups: per metric the last value, the best value and its step, the recent trend (decreasing, flat, increasing, or diverging when a loss-like metric is 3x its best), non-finite counts; train/val gaps with an overfitting flag; steps per second; seconds since the last entry; status; alerts by level with the newest titles; the newest notes; a pending stop request. `flags` lists the findings in one word each.",
  scope: "read",
  input: z.strictObject({ project: projectArg, ...runArgs }),
  output: Diagnosis,
  annotations: READ,
  run: async (args, t) => diagnoseRun(t.s, await knownProject(t, args.project), runRef(args)),
});

export const stopRunTool = defineTool({
  name: "stop_run",
  title: "Ask a run to stop",
  description:
    "Ask a run's training script to stop (e.g. it diverges or has plateaued). The request is recorded on the run and raises an info alert 'Stop requested'; a script using the Trackflare SDKs sees it on its next log batch (shouldStop()) and ends the run 'stopped'. Scripts logging through Trackio's own client get no signal (its protocol has no channel back); use finish_run for them. Needs a write key.",
  scope: "write",
  input: z.strictObject({ project: projectArg, ...runArgs, reason: StopRun.shape.reason.describe("Why; shown in the alert and the run's diagnosis") }),
  output: Run,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  run: async (args, t) => stopRun(t.s, await knownProject(t, args.project), runRef(args), { reason: args.reason }),
});

export const addNoteTool = defineTool({
  name: "add_note",
  title: "Keep a note",
  description:
    "Write down why you chose a configuration or stopped a run, on the run (give run or run_id) or on the project (give neither). Notes show in get_run_summary, diagnose_run and the dashboard. Needs a write key.",
  scope: "write",
  input: z.strictObject({
    project: projectArg,
    run: runArgs.run.describe("The run (name or id); omit both run and run_id for a project note"),
    run_id: runArgs.run_id,
    text: CreateNote.shape.text.describe("The note (up to 4000 characters)"),
  }),
  output: Note,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  run: async (args, t) => addNote(t.s, await knownProject(t, args.project), args.run_id ?? args.run ?? null, args.text),
});
