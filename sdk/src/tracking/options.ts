import { LooseAlertLevel, ProjectName, ResumeMode, RunConfig, RunName, type CreateRun } from "../../../src/contract";
import type { AlertLevel } from "../alert-level";
import { TrackflareError } from "../errors";
import { hexId } from "../internal/ids";

export type InitOptions = {
  project: string;
  name?: string;
  group?: string | null;
  config?: Record<string, unknown>;
  /** "never" (default): always a new run; "allow": resume the newest run with `name`; "must": that run or an error. */
  resume?: "never" | "allow" | "must";
  /** The run's default alert webhook, posted by the server. */
  webhook_url?: string | null;
  webhook_min_level?: AlertLevel | string | null;
  /** Default TRACKFLARE_URL, then TRACKIO_SERVER_URL. */
  url?: string;
  /** Default TRACKFLARE_TOKEN, then TRACKIO_WRITE_TOKEN. */
  token?: string;
  /**
   * Called once when the server answers a log batch with a stop request (`trackflare runs stop`,
   * MCP `stop_run`), with its reason. The script should then wind down and call `finish()`; the
   * run ends `stopped`. `shouldStop()` tells the same without a callback.
   */
  onStop?: (reason: string | null) => void;
  /** Called with each warning instead of console.warn. */
  onWarning?: (message: string) => void;
  /** No `* Created new run` / alert lines on stdout. */
  quiet?: boolean;
  /** At most this many entries are buffered (default 100,000); beyond it the oldest are dropped. */
  maxBuffer?: number;
  /** Entries per request (default 1,000). */
  maxBatch?: number;
  /** Send as soon as this many entries wait (default 100). */
  flushAt?: number;
  /** Send what waits at least this often (default 500 ms). */
  flushIntervalMs?: number;
  /** How long `finish()` keeps retrying (default 30 s). */
  finishTimeoutMs?: number;
  /** How long `init` retries an unreachable server (default 10 s) before carrying on offline. */
  initTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Flush and finish on process exit in Node (default true). */
  exitHook?: boolean;
  fetch?: typeof fetch;
};

/**
 * Checks `init`'s arguments as Trackio does (ValueError there, TrackflareError here) and builds the
 * create-run body with a client-made id, so a retried or deferred create is the same request.
 */
export function createRunBody(opts: InitOptions): CreateRun {
  const project = ProjectName.safeParse(opts?.project);
  if (!project.success) throw new TrackflareError(`Invalid project: ${project.error.issues[0].message}`);
  if (opts.name !== undefined && !RunName.safeParse(opts.name).success) throw new TrackflareError("Invalid name: it must be 1 to 256 characters");
  let jsonConfig: unknown;
  try {
    // JSON-safe as Trackio makes it: Dates become strings, undefined and functions vanish.
    jsonConfig = JSON.parse(JSON.stringify(opts.config ?? {}));
  } catch (err) {
    throw new TrackflareError(`Invalid config: it must be JSON-serialisable (${err instanceof Error ? err.message : String(err)})`);
  }
  const config = RunConfig.safeParse(jsonConfig);
  if (!config.success) throw new TrackflareError(`Invalid config: ${config.error.issues[0].message}`);
  const resume = ResumeMode.safeParse(opts.resume ?? "never");
  if (!resume.success) throw new TrackflareError(`Invalid resume '${String(opts.resume)}': use "never", "allow" or "must"`);
  if (resume.data === "must" && !opts.name) throw new TrackflareError("resume: 'must' needs a name");
  let minLevel: string | null = null;
  if (opts.webhook_min_level != null) {
    const l = LooseAlertLevel.safeParse(opts.webhook_min_level);
    if (!l.success) throw new TrackflareError(`Invalid webhook_min_level '${String(opts.webhook_min_level)}': use info, warn or error`);
    minLevel = l.data;
  }
  return {
    id: hexId(),
    name: opts.name,
    group: opts.group ?? undefined,
    config: opts.config ? config.data : undefined,
    resume: resume.data,
    webhook_url: opts.webhook_url ?? undefined,
    webhook_min_level: minLevel ?? undefined,
  };
}
