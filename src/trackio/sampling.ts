/**
 * Trackio's read-side downsampling of `get_logs` / `get_system_logs` (max_points 3000): rows are
 * grouped by the set of keys they carry, the budget is split across groups (an equal floor,
 * then proportional refinement), and each group keeps every 2^k-th row plus its last one. Ported
 * so that the dashboard and `trackio list reports` see the rows Trackio's server would return.
 */

export const LOGS_MAX_POINTS = 3000;
const REFINEMENT_PASSES = 4;

/** Rows each group may keep, in the groups' order of first appearance. */
export function groupBudgets(sizes: number[], maxPoints: number): number[] {
  const n = sizes.length;
  const budgets = new Array<number>(n).fill(0);
  if (n === 0 || maxPoints < 1) return budgets;
  if (sizes.reduce((a, b) => a + b, 0) <= maxPoints) return [...sizes];
  const floor = Math.floor(maxPoints / n);
  for (let i = 0; i < n; i++) budgets[i] = Math.min(sizes[i], floor);
  for (let pass = 0; pass < REFINEMENT_PASSES; pass++) {
    const remaining = maxPoints - budgets.reduce((a, b) => a + b, 0);
    if (remaining < 1) break;
    const demands = sizes.map((s, i) => s - budgets[i]);
    const totalDemand = demands.reduce((a, b) => a + b, 0);
    if (totalDemand < 1) break;
    const quotas = demands.map((d) => (remaining * d) / totalDemand);
    const additions = quotas.map((q) => Math.trunc(q));
    const leftover = remaining - additions.reduce((a, b) => a + b, 0);
    if (leftover > 0) {
      // Python sorts by (addition - quota, index): the largest fractional parts first.
      const order = [...Array(n).keys()].sort((a, b) => additions[a] - quotas[a] - (additions[b] - quotas[b]) || a - b);
      for (const i of order.slice(0, leftover)) additions[i] += 1;
    }
    for (let i = 0; i < n; i++) budgets[i] = Math.min(sizes[i], budgets[i] + additions[i]);
  }
  return budgets;
}

/**
 * How a group of `size` rows is sampled with `budget`: every `stride`-th row from the first, plus
 * the last (stride 0: keep nothing; 1: keep all; Infinity: keep only the last).
 */
export function groupStride(size: number, budget: number): number {
  if (budget < 1) return 0;
  if (size <= budget) return 1;
  if (budget === 1) return Number.POSITIVE_INFINITY;
  let stride = 1;
  const anchored = size - 1;
  while (Math.floor((anchored + stride - 1) / stride) > budget - 1) stride *= 2;
  return stride;
}
