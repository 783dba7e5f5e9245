import { h } from "../dom";

type Hist = { step: number; bins: number[]; values: number[] };
const ROWS = 48;
const WIDTH = 480;
const HEIGHT = 192;

/**
 * Histograms over steps as a heatmap: one column per logged step, rows are value ranges over the
 * whole series' span (each step's counts spread onto them by bin midpoint), darker = more. The
 * selected step is outlined.
 */
export function heatmap(series: Hist[], selectedStep: number): HTMLElement {
  const canvas = h("canvas", { class: "heatmap", width: WIDTH, height: HEIGHT, role: "img", "data-steps": series.length });
  const lo = Math.min(...series.map((s) => s.bins[0] ?? 0));
  const hi = Math.max(...series.map((s) => s.bins[s.bins.length - 1] ?? 1));
  canvas.setAttribute("aria-label", `Histogram over ${series.length} steps, values ${lo.toPrecision(3)} to ${hi.toPrecision(3)}`);
  const ctx = canvas.getContext("2d");
  if (!ctx || !series.length) return canvas;
  const span = hi - lo || 1;
  const grid = series.map((s) => {
    const col = new Array<number>(ROWS).fill(0);
    s.values.forEach((n, i) => {
      const mid = ((s.bins[i] ?? lo) + (s.bins[i + 1] ?? hi)) / 2;
      col[Math.min(ROWS - 1, Math.max(0, Math.floor(((mid - lo) / span) * ROWS)))] += n;
    });
    return col;
  });
  const max = Math.max(1, ...grid.flat());
  const cw = canvas.width / series.length;
  const rh = canvas.height / ROWS;
  grid.forEach((col, x) => {
    col.forEach((n, y) => {
      ctx.fillStyle = `rgba(59, 130, 246, ${n / max})`;
      ctx.fillRect(x * cw, canvas.height - (y + 1) * rh, cw, rh);
    });
  });
  const at = series.findIndex((s) => s.step === selectedStep);
  if (at >= 0) {
    ctx.strokeStyle = "#ef4444";
    ctx.lineWidth = 2;
    ctx.strokeRect(at * cw + 1, 1, cw - 2, canvas.height - 2);
  }
  return canvas;
}
