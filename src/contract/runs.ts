import { z } from "zod";
import { AlertCounts, LooseAlertLevel, RunId, RunName } from "./common";
import { BoundedRecord, LIMITS, StoredName } from "./limits";
import { Note } from "./notes";

/**
 * `stale`: a run made over REST, the SDKs or MCP that went silent for its project's `stale_after`
 * (with a `warn` alert: it was expected to finish). `ended`: a run made over Trackio's protocol,
 * which has no finish call, that went silent as long: the client stopped sending, and the protocol
 * cannot say whether it finished or crashed, so no alert. A later entry makes either `running`.
 * `stopped`: finished after a stop request (`POST …/stop`).
 */
export const RunStatus = z.enum(["running", "finished", "failed", "stopped", "stale", "ended"]);
export type RunStatus = z.infer<typeof RunStatus>;

export const ResumeMode = z.enum(["never", "allow", "must"]);
export type ResumeMode = z.infer<typeof ResumeMode>;

/** A config key (filtered on by `config=key=value`): a stored name. */
export const ConfigKey = StoredName("config keys");

/** A config as stored: values within LIMITS.depth, the whole within LIMITS.configBytes. */
export const StoredConfig = BoundedRecord("config", ConfigKey, LIMITS.configBytes);

/** Run config: any JSON object whose keys do not start with `_` (reserved, as in Trackio). */
export const RunConfig = StoredConfig.superRefine((cfg, ctx) => {
  for (const key of Object.keys(cfg)) {
    if (key.startsWith("_"))
      ctx.addIssue({ code: "custom", path: [key], message: `config key '${key}' is reserved: keys starting with '_' are not allowed` });
  }
});
export type RunConfig = z.infer<typeof RunConfig>;

export const CreateRun = z.object({
  name: RunName.optional(),
  /** A client-chosen run id (Trackio clients make their own); generated when absent. */
  id: RunId.optional(),
  group: StoredName("group").nullish(),
  config: RunConfig.optional(),
  resume: ResumeMode.default("never"),
  webhook_url: z.url("webhook_url must be a URL").nullish(),
  webhook_min_level: LooseAlertLevel.nullish(),
});
export type CreateRun = z.input<typeof CreateRun>;

export const Run = z.object({
  id: RunId,
  project: z.string(),
  name: z.string(),
  group: z.string().nullable(),
  config: z.record(z.string(), z.json()),
  status: RunStatus,
  created_at: z.string(),
  updated_at: z.string(),
  finished_at: z.string().nullable(),
  last_log_at: z.string().nullable(),
  last_step: z.number().int().nullable(),
  log_count: z.number().int(),
  /** Set by a stop request (`POST …/stop`); the SDKs learn it from the answer to their next log batch. */
  stop_requested: z.object({ at: z.string(), reason: z.string().nullable(), by: z.string() }).nullable(),
});
export type Run = z.infer<typeof Run>;

export const CreatedRun = Run.extend({ resumed: z.boolean() });
export type CreatedRun = z.infer<typeof CreatedRun>;

export const RunSummary = Run.extend({
  metrics: z.array(z.string()),
  alert_counts: AlertCounts,
  /** The run's newest notes (newest first). */
  notes: z.array(Note),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const RunList = z.object({ project: z.string(), runs: z.array(Run) });
export type RunList = z.infer<typeof RunList>;

/** `config` filters are `key=value`; a value is compared as JSON when it parses, else as a string. */
export const ListRunsQuery = z.object({
  group: z.string().optional(),
  status: RunStatus.optional(),
  name: z.string().optional(),
  config: z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(
      z.array(
        z
          .string()
          .regex(/^[^=]+=/, "config filters must look like key=value")
          .superRefine((f, ctx) => {
            const key = ConfigKey.safeParse(f.slice(0, f.indexOf("=")));
            if (!key.success) ctx.addIssue({ code: "custom", message: key.error.issues[0].message });
          }),
      ),
    ),
});
export type ListRunsQuery = z.input<typeof ListRunsQuery>;

export const RenameRun = z.object({ name: RunName });
export type RenameRun = z.infer<typeof RenameRun>;

/** `finished` on a run whose stop was requested is stored as `stopped`. */
export const FinishRun = z.object({ status: z.enum(["finished", "failed", "stopped"]).default("finished") });
export type FinishRun = z.input<typeof FinishRun>;

export const DeletedRun = z.object({ deleted: z.literal(true), id: RunId });

export const StopRun = z.object({ reason: z.string().trim().max(1000, "reason must be at most 1000 characters").nullish() });
export type StopRun = z.input<typeof StopRun>;
