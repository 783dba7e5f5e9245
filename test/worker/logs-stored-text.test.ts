import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, it } from "vitest";
import { appendLogRows } from "../../src/db/logs";
import { createRun, uniqueProject } from "../helpers/api";

// The ingest statement stores SQLite's text of each entry's nested metrics (`value -> 'm'`), not
// a string the Worker made; this holds SQLite to writing exactly JSON.stringify(metrics) back.
const awkwardString = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.constantFrom("", "\"", "\\", "\u0000\u001f\u007f", "\u2028\u2029", "\ud800", "a\udfffb", "😀", "NaN", "-Infinity", "\\u0041", "</script>"),
);
const awkwardNumber = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-0, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, -Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 0.1 + 0.2, 123456789.123456789),
  fc.integer(),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: "small", withCrossShrink: true }, awkwardNumber, awkwardString, fc.boolean(), fc.constant(null), fc.array(tie("v"), { maxLength: 4 }), fc.dictionary(awkwardString, tie("v"), { maxKeys: 4 })),
})).v;
const metrics = fc.dictionary(awkwardString, value, { minKeys: 1, maxKeys: 8 });

describe("stored metrics text", () => {
  it("is byte for byte JSON.stringify of the entry's metrics", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    let step = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(metrics, { minLength: 1, maxLength: 5 }), async (batch) => {
        const entries = batch.map((m) => ({ log_id: `l${step}`, step: step++, metrics: m }));
        const out = await appendLogRows(env.DB, { id: run.id, project: p }, entries, Date.now() * 1000);
        expect(out.stored).toHaveLength(entries.length);
        const { results } = await env.DB.prepare(`SELECT log_id, metrics FROM metric_logs WHERE run_id = ?1 AND log_id IN (SELECT value FROM json_each(?2))`)
          .bind(run.id, JSON.stringify(entries.map((e) => e.log_id)))
          .all<{ log_id: string; metrics: string }>();
        const stored = new Map(results.map((r) => [r.log_id, r.metrics]));
        for (const e of entries) expect(stored.get(e.log_id)).toBe(JSON.stringify(e.metrics));
      }),
      { numRuns: 150, seed: 20261207 },
    );
  });
});
