import { isNonFinite } from "../contract/metric-values";

/**
 * Bucket widths of the rollup, in steps. A downsampled read picks the finest width whose bucket
 * count fits (see downsample.ts). ×8 between levels bounds what a read fetches to 8× the points
 * it returns; starting at 32 keeps the write cost to about 0.75 rollup rows per metric per entry
 * in 100-entry batches and 0.4 in 1,000-entry ones (series shorter than 20k rows are bucketed from
 * the exact rows instead).
 */
export const ROLLUP_WIDTHS = [32, 256, 2048, 16384, 131072] as const;

/** One rollup row: the first, last, minimum and maximum finite value of a bucket, with steps and times. */
export type Bucket = {
  bucket: number;
  fs: number; f: number; fu: number;
  ls: number; l: number; lu: number;
  as: number; a: number; au: number;
  zs: number; z: number; zu: number;
};

export type RollupRow = Bucket & { n: string; w: number };

export type IngestedEntry = { step: number; us: number; metrics: Record<string, unknown> };

/** Merges a point or bucket into an accumulator, with the rules the SQL upsert applies. */
export function mergeBucket(acc: Bucket, b: Bucket) {
  if (b.fs < acc.fs) { acc.fs = b.fs; acc.f = b.f; acc.fu = b.fu; }
  if (b.ls >= acc.ls) { acc.ls = b.ls; acc.l = b.l; acc.lu = b.lu; }
  if (b.a < acc.a) { acc.as = b.as; acc.a = b.a; acc.au = b.au; }
  if (b.z > acc.z) { acc.zs = b.zs; acc.z = b.z; acc.zu = b.zu; }
}

export const pointBucket = (bucket: number, step: number, v: number, us: number): Bucket => ({
  bucket, fs: step, f: v, fu: us, ls: step, l: v, lu: us, as: step, a: v, au: us, zs: step, z: v, zu: us,
});

/** Rollup rows for a batch: finite numbers only (NaN, ±Infinity and nested values are not charted). */
export function computeRollups(entries: IngestedEntry[]): RollupRow[] {
  const acc = new Map<string, RollupRow>();
  for (const e of entries) {
    for (const name in e.metrics) {
      const v = e.metrics[name];
      if (typeof v !== "number" || !Number.isFinite(v)) continue;
      for (const w of ROLLUP_WIDTHS) {
        const bucket = Math.floor(e.step / w);
        const key = `${name}\u0000${w}\u0000${bucket}`;
        const cur = acc.get(key);
        const p = pointBucket(bucket, e.step, v, e.us);
        if (cur) mergeBucket(cur, p);
        else acc.set(key, { n: name, w, ...p });
      }
    }
  }
  return [...acc.values()];
}

/** Names seen in a batch, with 1 when the value is numeric (finite or not). */
export function metricKinds(entries: IngestedEntry[]): { n: string; k: number }[] {
  const kinds = new Map<string, number>();
  for (const e of entries) {
    for (const name in e.metrics) {
      const v = e.metrics[name];
      const numeric = typeof v === "number" || isNonFinite(v) ? 1 : 0;
      kinds.set(name, Math.max(kinds.get(name) ?? 0, numeric));
    }
  }
  return [...kinds].map(([n, k]) => ({ n, k }));
}
