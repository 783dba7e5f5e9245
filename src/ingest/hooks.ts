import { isNonFinite } from "../contract/metric-values";

/**
 * Why a project's Durable Object must see a stored log batch. The object publishes the mask to
 * `projects.ingest_hooks` in D1 whenever one of its reasons changes, and the ingest transaction
 * reads it back in the same round trip as the write, so a batch that nothing can fire on costs
 * no call to the object. A new reason gets the next bit, a `register` in the object, and a
 * `publish` when it starts or stops holding.
 */
export const INGEST_HOOK = {
  /** The project has alert rules (besides the built-in detectors). */
  RULES: 1,
  /** Someone waits on a run's condition, woken by ingest through the object. */
  RUN_WAITERS: 2,
} as const;

/** Any top-level value the non-finite detector would see. */
export function hasNonFinite(entries: { metrics: Record<string, unknown> }[]): boolean {
  for (const e of entries) for (const k in e.metrics) if (isNonFinite(e.metrics[k])) return true;
  return false;
}

/**
 * Whether a stored batch goes to the project's object: a published reason, a value for the
 * non-finite detector, or a run that was `stale` (its "resumed" alert) or `ended` (a Trackio run
 * that logs again is watched again). The stale watch itself needs nothing per batch: when its
 * alarm fires it reads the run's last activity from D1.
 */
export function mustCallObject(hooks: number, batch: { entries: { metrics: Record<string, unknown> }[]; statusBefore: string | null }): boolean {
  if (!batch.entries.length) return false;
  return hooks !== 0 || batch.statusBefore === "stale" || batch.statusBefore === "ended" || hasNonFinite(batch.entries);
}
