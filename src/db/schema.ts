import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// Timestamps are stored twice where they are compared: `*_at` as Trackio's ISO text (what every
// reader emits) and `*_us` as integer epoch microseconds (what ordering and filters use).

export const projects = sqliteTable("projects", {
  name: text("name").primaryKey(),
  createdAt: text("created_at").notNull(),
  /** Per-project settings (JSON): stale_after, built-in detectors on/off. */
  settings: text("settings", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
  /** Why the project's object must see a stored batch (src/ingest/hooks.ts), as the object last published it. */
  ingestHooks: integer("ingest_hooks").notNull().default(0),
  /** The version of that publication; only a higher one replaces it. */
  ingestHooksVersion: integer("ingest_hooks_version").notNull().default(0),
  /** The shard directory: the D1 binding holding the project's metric logs (all in `DB` for now). */
  shard: text("shard").notNull().default("DB"),
});

export const runs = sqliteTable(
  "runs",
  {
    id: text("id").primaryKey(),
    project: text("project").notNull().references(() => projects.name, { onDelete: "cascade" }),
    name: text("name").notNull(),
    groupName: text("group_name"),
    config: text("config", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    status: text("status", { enum: ["running", "finished", "failed", "stopped", "stale", "ended"] }).notNull().default("running"),
    createdAt: text("created_at").notNull(),
    createdUs: integer("created_us").notNull(),
    updatedAt: text("updated_at").notNull(),
    finishedAt: text("finished_at"),
    lastLogAt: text("last_log_at"),
    lastLogUs: integer("last_log_us"),
    lastStep: integer("last_step"),
    logCount: integer("log_count").notNull().default(0),
    webhookUrl: text("webhook_url"),
    webhookMinLevel: text("webhook_min_level"),
    /**
     * How the run was made: `trackio` (Trackio's protocol, which has no finish call, so silence
     * ends it without an alert) or `api` (REST, the SDKs, MCP: silence makes it `stale` and warns).
     */
    origin: text("origin", { enum: ["api", "trackio"] }).notNull().default("api"),
    /** A stop request (`POST …/stop`): when, why, and the name of the key that asked. */
    stopRequestedAt: text("stop_requested_at"),
    stopReason: text("stop_reason"),
    stopRequestedBy: text("stop_requested_by"),
  },
  (t) => [
    index("runs_project_created").on(t.project, t.createdUs),
    index("runs_project_name_created").on(t.project, t.name, t.createdUs),
    index("runs_project_group").on(t.project, t.groupName),
    index("runs_project_status").on(t.project, t.status),
  ],
);

/**
 * One row per log entry with its metrics as JSON (Trackio's layout): one D1 row written per
 * entry, bound in bulk through json_each. Per-metric reads of long series come from
 * `metric_rollups`; see docs/architecture.md.
 */
export const metricLogs = sqliteTable(
  "metric_logs",
  {
    id: integer("id").primaryKey(),
    runId: text("run_id").notNull(),
    logId: text("log_id").notNull(),
    step: integer("step").notNull(),
    timestamp: text("ts").notNull(),
    metrics: text("metrics").notNull(),
  },
  (t) => [uniqueIndex("metric_logs_run_log_id").on(t.runId, t.logId), index("metric_logs_run_step").on(t.runId, t.step)],
);

/** The metric names each run has logged; `numeric` is 1 once a number was seen. */
export const metricNames = sqliteTable(
  "metric_names",
  {
    runId: text("run_id").notNull(),
    name: text("name").notNull(),
    numeric: integer("numeric").notNull().default(0),
    /** NaN/±Infinity values stored (counted for the entries a batch actually stored). */
    nonFinite: integer("non_finite").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.runId, t.name] })],
);

/**
 * Rollups written at ingest: per (run, metric, bucket width, bucket) the first, last, minimum and
 * maximum finite values with their steps. A downsampled read of any length reads at most a few
 * thousand of these rows instead of scanning the series.
 */
export const metricRollups = sqliteTable(
  "metric_rollups",
  {
    runId: text("run_id").notNull(),
    name: text("name").notNull(),
    width: integer("width").notNull(),
    bucket: integer("bucket").notNull(),
    firstStep: integer("first_step").notNull(),
    first: real("first").notNull(),
    firstUs: integer("first_us").notNull(),
    lastStep: integer("last_step").notNull(),
    last: real("last").notNull(),
    lastUs: integer("last_us").notNull(),
    minStep: integer("min_step").notNull(),
    min: real("min").notNull(),
    minUs: integer("min_us").notNull(),
    maxStep: integer("max_step").notNull(),
    max: real("max").notNull(),
    maxUs: integer("max_us").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.name, t.width, t.bucket] })],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** SHA-256 of the key, hex. Keys are 160-bit random, so a fast hash is enough. */
    hash: text("hash").notNull(),
    prefix: text("prefix").notNull(),
    scope: text("scope", { enum: ["read", "write", "admin"] }).notNull(),
    projects: text("projects", { mode: "json" }).$type<string[] | null>(),
    createdAt: text("created_at").notNull(),
    lastUsedAt: text("last_used_at"),
    revokedAt: text("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.hash)],
);

export const webhooks = sqliteTable(
  "webhooks",
  {
    id: text("id").primaryKey(),
    project: text("project").notNull().references(() => projects.name, { onDelete: "cascade" }),
    url: text("url").notNull(),
    kind: text("kind", { enum: ["slack", "discord", "generic"] }).notNull(),
    minLevel: text("min_level", { enum: ["info", "warn", "error"] }).notNull().default("info"),
    runFilter: text("run_filter"),
    secret: text("secret").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    disabledReason: text("disabled_reason"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("webhooks_project").on(t.project)],
);

export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    project: text("project").notNull(),
    webhookId: text("webhook_id"),
    alertId: text("alert_id").notNull(),
    url: text("url").notNull(),
    kind: text("kind").notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed"] }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    deliveredAt: text("delivered_at"),
  },
  (t) => [index("webhook_deliveries_project_created").on(t.project, t.createdAt)],
);

/**
 * Trackio's system metrics (`log_system`, GPU/CPU monitors): timestamped rows without a step,
 * keyed by the client's time. Idempotent by (run_id, log_id); SQLite's unique index lets rows
 * without a log_id (NULL) repeat.
 */
export const systemMetrics = sqliteTable(
  "system_metrics",
  {
    id: integer("id").primaryKey(),
    project: text("project").notNull(),
    runId: text("run_id").notNull(),
    logId: text("log_id"),
    timestamp: text("ts").notNull(),
    timestampUs: integer("ts_us").notNull(),
    metrics: text("metrics").notNull(),
  },
  (t) => [
    uniqueIndex("system_metrics_run_log_id").on(t.runId, t.logId),
    index("system_metrics_run_ts").on(t.runId, t.timestampUs),
    index("system_metrics_project").on(t.project),
  ],
);

/**
 * References to media files in R2 (`r2_key` is `<project>/<run_id>/<step>/<file name>`, so a
 * rename keeps them). `file_path` is what metric values hold (`{"_type": "trackio.image",
 * "file_path", ...}`): Trackio's client makes it from the run's name, REST from its id. `name` is
 * the metric the file was logged under, when known.
 */
export const media = sqliteTable(
  "media",
  {
    id: integer("id").primaryKey(),
    project: text("project").notNull(),
    runId: text("run_id").notNull(),
    step: integer("step").notNull(),
    name: text("name"),
    filePath: text("file_path").notNull(),
    r2Key: text("r2_key").notNull(),
    kind: text("kind", { enum: ["image", "audio", "video"] }).notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    caption: text("caption"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("media_project_file_path").on(t.project, t.filePath), index("media_run_name_step").on(t.runId, t.name, t.step)],
);

/**
 * Files sent to Trackio's `/api/upload`, waiting for the `bulk_upload_media` call that files them
 * under a run. Only the key that uploaded one may claim it (`key_id`, null for the admin token).
 */
export const mediaStaged = sqliteTable(
  "media_staged",
  {
    id: text("id").primaryKey(),
    keyId: text("key_id"),
    r2Key: text("r2_key").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    createdUs: integer("created_us").notNull(),
  },
  (t) => [index("media_staged_created").on(t.createdUs)],
);

/** Notes an agent keeps on a run (`run_id`) or on the project (`run_id` null): why it chose what it did. */
export const notes = sqliteTable(
  "notes",
  {
    id: integer("id").primaryKey(),
    project: text("project").notNull().references(() => projects.name, { onDelete: "cascade" }),
    runId: text("run_id"),
    text: text("text").notNull(),
    author: text("author").notNull(),
    createdAt: text("created_at").notNull(),
    createdUs: integer("created_us").notNull(),
  },
  (t) => [index("notes_project_run").on(t.project, t.runId, t.id)],
);

/**
 * Who changed what: one row per write of runs, notes, rules, webhooks, settings and keys, with the
 * key's id and name (kept even after the key is revoked). Pruned past AUDIT_RETENTION_DAYS.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey(),
    project: text("project"),
    keyId: text("key_id"),
    keyName: text("key_name").notNull(),
    action: text("action").notNull(),
    target: text("target"),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown> | null>(),
    at: text("at").notNull(),
    atUs: integer("at_us").notNull(),
  },
  (t) => [index("audit_log_at").on(t.atUs), index("audit_log_project_at").on(t.project, t.atUs)],
);
