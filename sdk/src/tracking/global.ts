import type { AlertLevel } from "../alert-level";
import { TrackflareError } from "../errors";
import { Run, type FinishStatus, type InitOptions } from "./run";

let current: Run | null = null;

/** The current run's config (Trackio's `trackio.config`); `{}` before `init`. */
export let config: Record<string, unknown> = {};

/**
 * Starts a run (finishing the current one first) and makes it current for `log`, `alert` and
 * `finish`. The only call that throws: a bad argument, or a key the server refuses.
 */
export async function init(opts: InitOptions): Promise<Run> {
  if (current) await finish();
  const run = await Run.start(opts);
  current = run;
  config = run.config;
  return run;
}

/** Logs metrics on the current run: buffered, returns at once. */
export function log(metrics: Record<string, unknown>, step?: number | null): void {
  if (!current) throw new TrackflareError("Call trackflare.init() before trackflare.log().");
  current.log(metrics, step);
}

/** Raises an alert on the current run (level `warn` by default; `AlertLevel` members or plain strings), to `webhookUrl` too if given. */
export function alert(title: string, text?: string | null, level: AlertLevel | string = "warn", webhookUrl?: string | null): void {
  if (!current) throw new TrackflareError("Call trackflare.init() before trackflare.alert().");
  current.alert(title, text, level, undefined, webhookUrl);
}

/** Flushes and finishes the current run. Never throws. */
export async function finish(opts?: { status?: FinishStatus; timeoutMs?: number }): Promise<void> {
  const run = current;
  current = null;
  await run?.finish(opts);
}

/**
 * True once a stop was requested for the current run (`trackflare runs stop`, MCP `stop_run`,
 * `POST …/stop`). Learnt from the answer to its next log batch, so no request is spent on it;
 * false without a current run.
 */
export function shouldStop(): boolean {
  return current?.shouldStop() ?? false;
}

/** The current run, or null. */
export function currentRun(): Run | null {
  return current;
}
