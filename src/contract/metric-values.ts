import { z } from "zod";
import { BoundedRecord, LIMITS, StoredName } from "./limits";

/**
 * JSON cannot carry NaN or ±Infinity, so on the wire they are the strings Trackio uses.
 * Storage and reads keep them as these strings: a round trip is exact and never invalid JSON.
 */
export const NON_FINITE = ["NaN", "Infinity", "-Infinity"] as const;
export type NonFinite = (typeof NON_FINITE)[number];

export function isNonFinite(v: unknown): v is NonFinite {
  return v === "NaN" || v === "Infinity" || v === "-Infinity";
}

/** Converts a JS number to its wire form (finite numbers unchanged). */
export function encodeNumber(n: number): number | NonFinite {
  if (Number.isFinite(n)) return n;
  if (Number.isNaN(n)) return "NaN";
  return n > 0 ? "Infinity" : "-Infinity";
}

/** Converts a wire value back to a JS number when it is numeric; other values pass through. */
export function decodeNumber(v: unknown): unknown {
  if (v === "NaN") return Number.NaN;
  if (v === "Infinity") return Number.POSITIVE_INFINITY;
  if (v === "-Infinity") return Number.NEGATIVE_INFINITY;
  return v;
}

/** A metric value: a number, a non-finite string, or any nested JSON value stored verbatim. */
export const MetricValue = z.json();
export type MetricValue = z.infer<typeof MetricValue>;

/** Read back by URL path (`…/metrics/train/loss`), so no segment may be `.` or `..`. */
export const MetricName = StoredName("metric names", { dots: "segments" });

/** One entry's metrics: values nested within LIMITS.depth, the whole within LIMITS.entryBytes. */
export const Metrics = BoundedRecord("metrics", MetricName, LIMITS.entryBytes);
export type Metrics = z.infer<typeof Metrics>;
