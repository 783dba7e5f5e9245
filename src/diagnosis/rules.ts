// The rules a diagnosis applies, in one place; the README states them for agents to trust.

/** Names read as losses (lower is better). Checked before SCORE_LIKE. */
export const LOSS_LIKE = /loss|error|(^|[/_.-])err($|[/_.-])|perplexity|(^|[/_.-])ppl($|[/_.-])|mse|mae|rmse|nll|(^|[/_.-])(wer|cer)($|[/_.-])/i;
/** Names read as scores (higher is better). */
export const SCORE_LIKE = /acc|f1|auc|precision|recall|score|reward|bleu|rouge|iou|(^|[/_.-])map($|[/_.-])/i;

/** The recent part of a run: the last quarter of its steps, and at least its last two rollup buckets. */
export const RECENT_FRACTION = 0.25;
export const MIN_RECENT_BUCKETS = 2;
/** Rollup buckets read per metric at most (the finest width with no more over the run). */
export const BUCKETS_PER_METRIC = 128;
/** A trend whose fitted change over the recent part is under 5% of the values' magnitude is flat. */
export const FLAT_RELATIVE_CHANGE = 0.05;
/** A loss-like metric whose last value is at least 3× its best (and not decreasing) is diverging. */
export const DIVERGE_FACTOR = 3;
/** Overfitting: val worse than its own best by at least 10% while train still improves or holds. */
export const OVERFIT_RELATIVE = 0.1;
/** Newest alert titles and notes shown. */
export const RECENT_ALERTS = 3;
export const RECENT_NOTES = 3;
/** Alert titles and notes are cut to this many characters. */
export const TEXT_CHARS = 200;

export const goalOf = (name: string): "min" | "max" | null => (LOSS_LIKE.test(name) ? "min" : SCORE_LIKE.test(name) ? "max" : null);

/** `train/loss` ↔ `val/loss`, `train_loss` ↔ `val_loss`: the val name for a train name, or null. */
export function valNameFor(train: string): string | null {
  const m = /^train([/_])(.+)$/.exec(train);
  return m ? `val${m[1]}${m[2]}` : null;
}
