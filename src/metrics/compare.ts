import type { MetricPoint } from "../contract";

export type Mode = "min" | "max";
export type Picked = { step: number; timestamp: string; value: MetricPoint["value"] };

// Words that mark a metric where higher is better. Anything else (loss, error, perplexity, wer,
// time, ...) is minimised; an agent can always say which with `mode`/`modes`.
const MAX_WORDS = new Set([
  "acc", "accuracy", "auc", "auroc", "ap", "map", "f1", "precision", "recall", "iou", "miou", "dice", "bleu", "rouge",
  "meteor", "psnr", "ssim", "r2", "score", "reward", "return", "returns", "success", "win", "winrate", "throughput", "hit", "ndcg", "mrr",
]);

/** `val/top1_acc` → max, `train_loss` → min: looks at each word of the name. */
export function guessMode(metric: string): Mode {
  const words = metric.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  for (const w of words) {
    if (MAX_WORDS.has(w) || w.startsWith("accura") || /^top\d+(acc)?$/.test(w) || /^(f1|rouge|bleu|map|hits?|ndcg)[0-9a-z]{0,2}$/.test(w)) return "max";
  }
  return "min";
}

const pick = (p: MetricPoint): Picked => ({ step: p.step, timestamp: p.timestamp, value: p.value });

/**
 * The final point (highest step) and the best finite value of a series in step order. A
 * downsampled series still holds every bucket's extremes, so the best value and its step are exact.
 */
export function finalAndBest(points: MetricPoint[], mode: Mode): { final: Picked | null; best: Picked | null } {
  let best: MetricPoint | null = null;
  for (const p of points) {
    const v = p.value;
    if (typeof v !== "number" || !Number.isFinite(v)) continue;
    if (!best || (mode === "min" ? v < (best.value as number) : v > (best.value as number))) best = p;
  }
  const last = points[points.length - 1];
  return { final: last ? pick(last) : null, best: best ? pick(best) : null };
}

/** Config keys whose values are not the same in every run (a key missing from a run counts as different). */
export function differingKeys(configs: Record<string, unknown>[]): string[] {
  const keys = new Set(configs.flatMap((c) => Object.keys(c)));
  const differ: string[] = [];
  for (const k of keys) {
    const seen = new Set(configs.map((c) => (k in c ? JSON.stringify(c[k]) : "<missing>")));
    if (seen.size > 1) differ.push(k);
  }
  return differ.sort();
}
