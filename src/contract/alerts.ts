import { z } from "zod";
import { AlertLevel, IsoTimestamp, LooseAlertLevel, QueryInt, RunRef, Step } from "./common";

export const Alert = z.object({
  /** The alert's sequence number in its project: the exact cursor. */
  cursor: z.number().int(),
  alert_id: z.string(),
  project: z.string(),
  run: z.string().nullable(),
  run_id: z.string().nullable(),
  title: z.string(),
  text: z.string().nullable(),
  level: AlertLevel,
  step: z.number().int().nullable(),
  /** As Trackio emits it: `2026-11-28T16:57:00.911818+00:00`. */
  timestamp: z.string(),
  /** Set when a server-side rule or detector raised the alert. */
  rule_id: z.string().nullable().optional(),
});
export type Alert = z.infer<typeof Alert>;

export const CreateAlert = z.object({
  title: z.string().min(1, "title must not be empty").max(1024),
  text: z.string().max(16_384).nullish(),
  level: LooseAlertLevel.default("warn"),
  /** The run's name or id. */
  run: RunRef.optional(),
  run_id: z.string().min(1, "run_id must not be empty").max(256, "run_id must be at most 256 characters").optional(),
  step: Step.nullish(),
  /** The client's time; the server's time when absent. */
  timestamp: IsoTimestamp.optional(),
  /** Idempotency key: a retried alert with the same alert_id is stored once. */
  alert_id: z.string().min(1).max(128).optional(),
  /**
   * Trackio's `alert(webhook_url=…)`: this alert's own webhook, instead of its run's
   * `webhook_url` (the run's `webhook_min_level` still applies). Not stored with the alert.
   */
  webhook_url: z.url("webhook_url must be a URL").max(2048, "webhook_url must be at most 2048 characters").nullish(),
});
export type CreateAlert = z.input<typeof CreateAlert>;

export const CreateAlertBatch = z.object({
  alerts: z.array(CreateAlert).min(1, "alerts must hold at least one alert").max(1000, "alerts may hold at most 1000 alerts"),
});
export const CreateAlerts = z.union([CreateAlertBatch, CreateAlert]);
export type CreateAlerts = z.input<typeof CreateAlerts>;

export const CreatedAlerts = z.object({ alerts: z.array(Alert) });
export type CreatedAlerts = z.infer<typeof CreatedAlerts>;

export const AlertFilters = z.object({
  run: RunRef.optional(),
  level: LooseAlertLevel.optional(),
  min_level: LooseAlertLevel.optional(),
  /** Strictly after this instant (compared as instants, not strings). */
  since: IsoTimestamp.optional(),
  /** Strictly after this sequence number (exact, whatever the clients' clocks). */
  cursor: QueryInt("cursor").optional(),
});
export type AlertFilters = z.input<typeof AlertFilters>;

export const AlertQuery = AlertFilters.extend({ limit: QueryInt("limit", 1, 1000).default(100) });
export type AlertQuery = z.input<typeof AlertQuery>;

export const MAX_WAIT_SECONDS = 60;
export const WaitQuery = AlertQuery.extend({
  timeout: z.coerce.number({ error: "timeout must be a number of seconds" }).min(0, "timeout must be >= 0").max(MAX_WAIT_SECONDS, `timeout must be <= ${MAX_WAIT_SECONDS} seconds`).default(30),
});
export type WaitQuery = z.input<typeof WaitQuery>;

export const AlertPage = z.object({
  /** Newest first. */
  alerts: z.array(Alert),
  /**
   * Poll from here next (`cursor=`): the highest cursor this answer covers. With a cursor, a page
   * holds the oldest matching alerts after it, so paging on from `next_cursor` misses none.
   */
  next_cursor: z.number().int(),
  /** More matching alerts exist than `limit` let through (after next_cursor when paging by cursor; older otherwise). */
  has_more: z.boolean(),
});
export type AlertPage = z.infer<typeof AlertPage>;

export const WaitResult = AlertPage.extend({ timed_out: z.boolean() });
export type WaitResult = z.infer<typeof WaitResult>;

/**
 * Server → client WebSocket frames. `alerts` frames hold alerts in cursor order (oldest first);
 * their `cursor` is where to resume after this frame. Replay frames come first, then `ready`
 * (live from its cursor), then live frames; a burst of alerts is batched into one frame.
 */
export const AlertSocketMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready"), cursor: z.number().int() }),
  z.object({ type: z.literal("alerts"), alerts: z.array(Alert), cursor: z.number().int(), replay: z.boolean() }),
  z.object({ type: z.literal("error"), message: z.string() }),
]);
export type AlertSocketMessage = z.infer<typeof AlertSocketMessage>;
