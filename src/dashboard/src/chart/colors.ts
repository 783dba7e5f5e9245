/**
 * Run colours. A run's colour follows its position in its project's creation order (the first
 * twelve runs never share one), so it is the same in every chart, view and reload. Runs the page
 * has not seen in a list fall back to a hash of the id.
 */
const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#2f9e9e", "#8c564b", "#d4a6c8"];

const order = new Map<string, number>();

/** Records a project's runs (any order); colours are assigned oldest first. */
export function registerRuns(runs: { id: string; created_at: string }[]) {
  const sorted = [...runs].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  sorted.forEach((r, i) => order.set(r.id, i));
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function runColor(runId: string, alpha = 1): string {
  const hex = PALETTE[(order.get(runId) ?? hash(runId)) % PALETTE.length];
  if (alpha >= 1) return hex;
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

export const prefersDark = () => matchMedia("(prefers-color-scheme: dark)").matches;

/** Canvas cannot read CSS variables, so the chart takes the resolved values. */
export function themeColors() {
  const css = getComputedStyle(document.documentElement);
  return { fg: css.getPropertyValue("--fg-muted").trim() || "#666", grid: css.getPropertyValue("--grid").trim() || "#ddd" };
}
