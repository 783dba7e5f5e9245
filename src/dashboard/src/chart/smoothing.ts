/**
 * Exponential moving average with TensorBoard's debiasing (the first points are not dragged
 * towards zero). `weight` 0 returns the values unchanged; gaps (null) stay gaps.
 */
export function ema(values: (number | null)[], weight: number): (number | null)[] {
  if (weight <= 0) return values.slice();
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    last = last * weight + (1 - weight) * v;
    n++;
    return last / (1 - weight ** n);
  });
}
