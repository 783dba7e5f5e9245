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

/** Folds one finite value into a bucket in place (the same rules as mergeBucket, without allocating). */
function foldPoint(b: Bucket, step: number, v: number, us: number) {
  if (step < b.fs) { b.fs = step; b.f = v; b.fu = us; }
  if (step >= b.ls) { b.ls = step; b.l = v; b.lu = us; }
  if (v < b.a) { b.as = step; b.a = v; b.au = us; }
  if (v > b.z) { b.zs = step; b.z = v; b.zu = us; }
}

/**
 * Rollup rows for a batch: finite numbers only (NaN, ±Infinity and nested values are not charted).
 * Hot on ingest (entries × metrics × widths), so each (metric, width) remembers its current bucket:
 * steps in a batch mostly ascend, and a point then costs a compare and a fold, no map lookup.
 */
export function computeRollups(entries: IngestedEntry[]): RollupRow[] {
  type Level = { w: number; current: RollupRow | null; byBucket: Map<number, RollupRow> };
  const levelsOf = new Map<string, Level[]>();
  const rows: RollupRow[] = [];
  for (const e of entries) {
    const step = e.step;
    for (const name in e.metrics) {
      const v = e.metrics[name];
      if (typeof v !== "number" || !Number.isFinite(v)) continue;
      let levels = levelsOf.get(name);
      if (!levels) {
        levels = ROLLUP_WIDTHS.map((w) => ({ w, current: null, byBucket: new Map() }));
        levelsOf.set(name, levels);
      }
      for (const level of levels) {
        const bucket = Math.floor(step / level.w);
        let row = level.current;
        if (!row || row.bucket !== bucket) {
          row = level.byBucket.get(bucket) ?? null;
          if (!row) {
            row = { n: name, w: level.w, ...pointBucket(bucket, step, v, e.us) };
            level.byBucket.set(bucket, row);
            rows.push(row);
            level.current = row;
            continue;
          }
          level.current = row;
        }
        foldPoint(row, step, v, e.us);
      }
    }
  }
  return rows;
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

/** NaN/±Infinity values per metric name in the given entries (names without any are absent). */
export function nonFiniteCounts(entries: IngestedEntry[]): { n: string; c: number }[] {
  const counts = new Map<string, number>();
  for (const e of entries) {
    for (const name in e.metrics) {
      const v = e.metrics[name];
      if ((typeof v === "number" && !Number.isFinite(v)) || isNonFinite(v)) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  return [...counts].map(([n, c]) => ({ n, c }));
}
