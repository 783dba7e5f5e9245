import { isNonFinite } from "../contract";

/**
 * Stored values keep NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity". Trackio's
 * server decodes those (top-level keys only) and its JSON encoder writes non-finite floats as
 * null, so on this protocol they read back as null; nested values are returned as stored.
 */
export const wireValue = (v: unknown) => (isNonFinite(v) ? null : v);

export function wireMetrics(metrics: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metrics)) out[k] = wireValue(v);
  return out;
}

/** Trackio's `scalar_only`: numbers (not booleans, not the non-finite strings) and histograms. */
export function isScalarValue(v: unknown): boolean {
  if (typeof v === "number") return true;
  return typeof v === "object" && v !== null && !Array.isArray(v) && (v as Record<string, unknown>)._type === "trackio.histogram";
}

/** Orders points by timestamp as Trackio's `ORDER BY timestamp` does (stable: ties keep step order). */
export const byTimestamp = <T extends { timestamp: string }>(rows: T[]) => [...rows].sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
