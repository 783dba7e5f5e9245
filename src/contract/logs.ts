import { z } from "zod";
import { IsoTimestamp, Step } from "./common";
import { LIMITS } from "./limits";
import { Metrics } from "./metric-values";

/** Entries per request. D1 binds the batch as JSON text, chunked under its 2 MB string limit. */
export const MAX_LOG_ENTRIES = LIMITS.logEntries;
/** Request bodies above this are refused with 413 before parsing. */
export const MAX_BODY_BYTES = LIMITS.bodyBytes;

export const LogEntry = z.object({
  /** Missing or null: the run's max step + 1, assigned in order on the server. */
  step: Step.nullish(),
  metrics: Metrics,
  /** Idempotency key: an entry whose log_id is already stored is skipped. */
  log_id: z.string().min(1).max(128).optional(),
  timestamp: IsoTimestamp.optional(),
});
export type LogEntry = z.input<typeof LogEntry>;

export const AppendLogs = z.object({
  logs: z.array(LogEntry).min(1, "logs must hold at least one entry").max(MAX_LOG_ENTRIES, `logs may hold at most ${MAX_LOG_ENTRIES} entries`),
});
export type AppendLogs = z.input<typeof AppendLogs>;

export const AppendLogsResult = z.object({
  run_id: z.string(),
  accepted: z.number().int(),
  duplicates: z.number().int(),
  last_step: z.number().int().nullable(),
  /** A stop was requested for the run: the script should stop and call finish() (its run then ends `stopped`). */
  stop_requested: z.boolean().optional(),
  stop_reason: z.string().nullable().optional(),
});
export type AppendLogsResult = z.infer<typeof AppendLogsResult>;

/** A system-metrics entry (GPU, CPU, memory…): no step, the client's time (the server's when absent). */
export const SystemEntry = z.object({
  metrics: Metrics,
  timestamp: IsoTimestamp.optional(),
  /** Idempotency key: an entry whose log_id is already stored for the run is skipped. */
  log_id: z.string().min(1).max(128).optional(),
});
export type SystemEntry = z.input<typeof SystemEntry>;

export const AppendSystemMetrics = z.object({
  logs: z.array(SystemEntry).min(1, "logs must hold at least one entry").max(MAX_LOG_ENTRIES, `logs may hold at most ${MAX_LOG_ENTRIES} entries`),
});
export type AppendSystemMetrics = z.input<typeof AppendSystemMetrics>;

export const AppendSystemResult = z.object({ run_id: z.string(), received: z.number().int() });
export type AppendSystemResult = z.infer<typeof AppendSystemResult>;
