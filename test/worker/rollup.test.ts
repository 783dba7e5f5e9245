import { describe, it } from "vitest";
import { computeRollups, ROLLUP_WIDTHS } from "../../src/metrics/rollup";

// computeRollups against a brute-force reference: every bucket's first (lowest step, earliest
// entry on ties), last (highest step, latest on ties), minimum and maximum, finite numbers only.
function reference(entries: { step: number; us: number; metrics: Record<string, unknown> }[]) {
  const out = new Map<string, Record<string, number>>();
  for (const w of ROLLUP_WIDTHS) {
    for (const name of new Set(entries.flatMap((e) => Object.keys(e.metrics)))) {
      const pts = entries.filter((e) => typeof e.metrics[name] === "number" && Number.isFinite(e.metrics[name]));
      for (const bucket of new Set(pts.map((e) => Math.floor(e.step / w)))) {
        const inB = pts.filter((e) => Math.floor(e.step / w) === bucket);
        const val = (e: (typeof inB)[number]) => e.metrics[name] as number;
        const first = inB.reduce((a, b) => (b.step < a.step ? b : a));
        const last = inB.reduce((a, b) => (b.step >= a.step ? b : a));
        const min = inB.reduce((a, b) => (val(b) < val(a) ? b : a));
        const max = inB.reduce((a, b) => (val(b) > val(a) ? b : a));
        out.set(`${name}/${w}/${bucket}`, { fs: first.step, f: val(first), ls: last.step, l: val(last), as: min.step, a: val(min), zs: max.step, z: val(max) });
      }
    }
  }
  return out;
}

describe("rollup of a batch", () => {
  it("matches a brute-force reference on random batches, ascending or not", ({ expect }) => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let t = 0; t < 30; t++) {
      const span = rand() < 0.5 ? 50 : 500_000;
      const entries = Array.from({ length: 1 + Math.floor(rand() * 200) }, (_, i) => ({
        step: rand() < 0.5 ? i : Math.floor(rand() * span),
        us: i,
        metrics: { a: rand() < 0.1 ? "NaN" : rand() * 10 - 5, b: Math.floor(rand() * 3), c: { nested: true } } as Record<string, unknown>,
      }));
      const want = reference(entries);
      const got = computeRollups(entries);
      expect(got.length).toBe(want.size);
      for (const r of got) {
        expect({ fs: r.fs, f: r.f, ls: r.ls, l: r.l, as: r.as, a: r.a, zs: r.zs, z: r.z }, `${r.n}/${r.w}/${r.bucket}`).toEqual(want.get(`${r.n}/${r.w}/${r.bucket}`));
      }
    }
  });
});
