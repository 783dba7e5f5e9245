import { describe, it } from "vitest";
import { chunkJson, MAX_BOUND_JSON_CHARS } from "../../src/db/client";

// Bulk statements bind their rows as JSON arrays of at most MAX_BOUND_JSON_CHARS (D1 refuses
// bound strings over ~2 MB): a short batch is one array, a long one is split between rows.
describe("chunkJson", () => {
  it("binds a short batch as one array, and none for no rows", ({ expect }) => {
    const rows = [{ i: "a", s: 1, m: { loss: 0.5 } }, { i: "b", s: 2, m: { loss: "NaN" } }];
    expect(chunkJson(rows)).toEqual([JSON.stringify(rows)]);
    expect(chunkJson([])).toEqual([]);
  });

  it("splits a long batch between rows, every chunk within the bound and the rows in order", ({ expect }) => {
    const rows = Array.from({ length: 2500 }, (_, k) => ({ i: `id-${k}`, s: k, m: { text: "x".repeat(1000) } }));
    const chunks = chunkJson(rows);
    expect(chunks.length).toBe(3);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(MAX_BOUND_JSON_CHARS);
    expect(chunks.flatMap((c) => JSON.parse(c))).toEqual(rows);
  });
});
