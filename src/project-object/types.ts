import { z } from "zod";
import { AlertLevel, type RunStatus } from "../contract";

/**
 * What the Worker hands the Durable Object: runs already resolved against D1, the timestamp
 * still as the client sent it (the object parses it, so a null is stamped with its own clock).
 */
export type AlertInput = {
  alert_id: string;
  run_id: string | null;
  run: string | null;
  title: string;
  text: string | null;
  level: AlertLevel;
  step: number | null;
  /** Client ISO-8601 instant in any offset; null means the object's own time. */
  timestamp: string | null;
  rule_id?: string | null;
  /** The alert's own webhook, replacing its run's `webhook_url` for this alert (CreateAlert's `webhook_url`). */
  webhook_url?: string | null;
};

/** The run a log batch belongs to, as D1 had it before the batch. */
export type EvaluatedRun = { id: string; name: string; status: RunStatus };

/**
 * Filters as the object applies them: the run is already resolved (`run_id` when the name or id
 * is a known run, else `run_name`, which matches alerts stored under that name).
 */
export const StoredFilters = z.object({
  run_id: z.string().optional(),
  run_name: z.string().optional(),
  level: AlertLevel.optional(),
  min_level: AlertLevel.optional(),
  /** Strictly after this instant, in epoch microseconds. */
  since_us: z.number().int().optional(),
});
export type StoredFilters = z.infer<typeof StoredFilters>;

export type AlertQueryFilters = StoredFilters & {
  /** Strictly after this sequence number. */
  cursor?: number;
  limit: number;
};

/**
 * A subscriber's state. It lives in the socket's attachment because class fields are lost when
 * the object hibernates and `webSocketMessage` may run on a fresh instance.
 */
export const SocketMeta = z.object({
  filters: StoredFilters,
  /** Where the socket went live, after its replay; live frames follow it in cursor order. */
  cursor: z.number().int(),
});
export type SocketMeta = z.infer<typeof SocketMeta>;

/** Header on the Worker → object upgrade request carrying the already-checked subscription. */
export const SUBSCRIPTION_HEADER = "x-trackflare-subscription";
export const SocketSubscription = z.object({
  project: z.string(),
  filters: StoredFilters,
  /** Replay strictly after this cursor; absent: live only, from the moment of connection. */
  cursor: z.number().int().nullable(),
});
export type SocketSubscription = z.infer<typeof SocketSubscription>;
