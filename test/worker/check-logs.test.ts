import { describe, it } from "vitest";
import { z } from "zod";
import { AppendLogs, LogEntry } from "../../src/contract/logs";
import { fastPathEnabled, fastValidLogs, limitsOf } from "../../src/ingest/check-logs";
import { createRun, logEntries, uniqueProject } from "../helpers/api";
import { prng } from "../helpers/prng";

// The hand-written log-body check against the zod schema it stands in for: on fuzzed bodies it
// never accepts what zod refuses, and on bodies of the SDKs' shape (the hot path) it gives
// exactly zod's verdict, limits included.

const { rand, int, pick } = prng(0xc0ffee);

const L = limitsOf(AppendLogs)!;
const str = (n: number) => "m".repeat(n);
// Around every limit, and values of every JSON type.
const STEPS = [undefined, null, 0, 1, -1, 1.5, -0, L.stepMax, L.stepMax + 2, 1e308, "3", true, [], {}];
const NAMES = ["loss", "train/acc", "", str(L.nameMin), str(L.nameMax), str(L.nameMax + 1), "__proto__", "constructor", "💥", "a".repeat(3), "a\u0000b", "a\nb", "a/../b", ".", "\ud800x"];
const VALUES = [0, -1.5, 1e308, -1e-308, "NaN", "Infinity", "-Infinity", "nan", "", "x", true, null, [], [1, 2], { a: 1 }, { a: { b: [null] } }];
const IDS = [undefined, null, "", "a", str(L.idMax), str(L.idMax + 1), 7, {}];
const STAMPS = [undefined, null, "2026-11-28T16:57:00.911818+00:00", "2026-11-28T16:57:00Z", "2026-11-28 16:57", "2026-11-28", "yesterday", 1764348000, "", "2026-13-45T00:00:00Z", "2026-02-31T00:00:00Z", "0000-01-01T00:00:00Z", "2026-01-01T00:00:00+99:99"];

const HOT_VALUES = () => pick([rand() * 10, -rand(), "NaN", "Infinity", "-Infinity", 0, 1e308]);
const HOT_STEPS = [undefined, null, 0, 1, -1, 1.5, -0, L.stepMax, L.stepMax + 2, 1e308];
const HOT_NAMES = ["", str(L.nameMin), str(L.nameMax), str(L.nameMax + 1), "loss", "a\u0000b", "val/./loss", ".."];
const HOT_IDS = [undefined, "", "a", str(L.idMax), str(L.idMax + 1)];

/** An entry of the SDKs' shape: numbers and non-finite strings, every field within its limits. */
function hotEntry(): Record<string, unknown> {
  const e: Record<string, unknown> = { step: int(1_000_000), log_id: `id-${int(1e9)}` };
  const m: Record<string, unknown> = {};
  for (let i = 0, n = 1 + int(10); i < n; i++) m[`train/m${int(12)}`] = HOT_VALUES();
  e.metrics = m;
  if (rand() < 0.2) e.timestamp = "2026-11-28T16:57:00.911818+00:00";
  if (rand() < 0.2) delete e.step;
  if (rand() < 0.2) delete e.log_id;
  return e;
}

/** Hot entries; in most bodies one field of one entry (or the count) at, just inside or just past a limit. */
function hotBody(): { logs: unknown[] } {
  const n = rand() < 0.9 ? 1 + int(100) : pick([0, L.maxEntries, L.maxEntries + 1]);
  const one = hotEntry();
  const logs = Array.from({ length: n }, () => (n > 100 ? one : hotEntry()));
  if (n && n <= 100 && rand() < 0.7) {
    const e = (logs[int(n)] = { ...(logs[int(n)] as Record<string, unknown>) });
    const field = pick(["step", "name", "log_id", "timestamp"]);
    if (field === "step") e.step = pick(HOT_STEPS);
    else if (field === "name") e.metrics = { ...(e.metrics as object), [pick(HOT_NAMES)]: HOT_VALUES() };
    else if (field === "log_id") e.log_id = pick(HOT_IDS);
    else e.timestamp = pick(["2026-11-28T16:57:00Z", "2026-11-28 16:57+01:00", "2026-11-28", "yesterday", "2026-11-28T16:57:00.1234567890Z", "2026-02-30T00:00:00Z", "2026-11-28T24:00:00Z"]);
    for (const k of ["step", "log_id"]) if (e[k] === undefined) delete e[k];
  }
  return { logs };
}

/** A hot body with one field of one entry (or the body itself) replaced by anything. */
function mutated(): unknown {
  const b = hotBody();
  const r = rand();
  if (r < 0.05 || !b.logs.length) return pick([null, [], "logs", 1, { logs: null }, { logs: {} }, { log: [] }]);
  const i = int(b.logs.length);
  if (r < 0.1) {
    b.logs[i] = pick([null, 1, "e", [], [{ metrics: {} }]]);
    return b;
  }
  const e = { ...(b.logs[i] as Record<string, unknown>) };
  const field = pick(["step", "metrics", "log_id", "timestamp", "metric", "name", "extra", "huge"]);
  if (field === "step") e.step = pick(STEPS);
  else if (field === "metrics") e.metrics = pick([null, [], "loss", 3, {}, { a: 1 }]);
  else if (field === "log_id") e.log_id = pick(IDS);
  else if (field === "timestamp") e.timestamp = pick(STAMPS);
  else if (field === "metric") e.metrics = { ...(e.metrics as object), [pick(NAMES)]: pick(VALUES) };
  else if (field === "name") e.metrics = { [pick(NAMES)]: 1 };
  // Past the entry's size limit with names and values of the hot shape: the check must leave it to zod.
  else if (field === "huge") e.metrics = Object.fromEntries(Array.from({ length: 4000 }, (_, k) => [`${k}`.padEnd(L.nameMax, "x"), 1.5]));
  else e.extra = pick(VALUES);
  if (e.step === undefined) delete e.step;
  if (e.log_id === undefined) delete e.log_id;
  if (e.timestamp === undefined) delete e.timestamp;
  b.logs[i] = e;
  return b;
}

const zodOk = (b: unknown) => AppendLogs.safeParse(b).success;

describe("hand-written log-body check", () => {
  it("is on: the contract's schema has the shape it was written for", ({ expect }) => {
    // If this fails, AppendLogs changed structure (a field, a refinement, a kind of check): update
    // src/ingest/check-logs.ts (EXPECTED_SHAPE and entryOk) to match, or every body goes to zod.
    expect(fastPathEnabled()).toBe(true);
    expect(L).toMatchObject({ minEntries: 1, nameMin: 1, idMin: 1, stepMin: 0 });
  });

  it("never accepts a fuzzed body that zod refuses", { timeout: 60_000 }, ({ expect }) => {
    let accepted = 0;
    let refusedByZod = 0;
    for (let i = 0; i < 2000; i++) {
      const b = mutated();
      const z = zodOk(b);
      if (!z) refusedByZod++;
      if (fastValidLogs(b)) {
        accepted++;
        expect(z, JSON.stringify(b).slice(0, 300)).toBe(true);
      }
    }
    // Both populations are large enough to mean something.
    expect(accepted).toBeGreaterThan(200);
    expect(refusedByZod).toBeGreaterThan(400);
  });

  it("gives exactly zod's verdict on bodies of the SDKs' shape, limits included", { timeout: 60_000 }, ({ expect }) => {
    let valid = 0;
    for (let i = 0; i < 2000; i++) {
      const b = hotBody();
      const z = zodOk(b);
      if (z) valid++;
      expect(fastValidLogs(b), JSON.stringify(b).slice(0, 300)).toBe(z);
    }
    expect(valid).toBeGreaterThan(200);
    expect(valid).toBeLessThan(2000);
  });

  it("a schema of another shape turns the fast path off", ({ expect }) => {
    const withRefinement = z.object({ logs: z.array(LogEntry.refine((e) => e.step !== 3)).min(1).max(10) });
    const withField = z.object({ logs: z.array(LogEntry.extend({ tag: z.string() })).min(1) });
    expect(limitsOf(withRefinement)).toBeNull();
    expect(limitsOf(withField)).toBeNull();
  });

  it("the route answers zod's own error for a body the check leaves to it", async ({ expect }) => {
    const p = uniqueProject("chk");
    const run = await createRun(p, { name: "r" });
    const bad = await logEntries(p, run.id, [{ step: 1, metrics: { [str(L.nameMax + 1)]: 1 } }]);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: "invalid_request" });
    expect(bad.json.error.details[0].path).toBe(`logs.0.metrics.${str(L.nameMax + 1)}`);
    // Valid, but not of the hot shape: zod accepts it.
    const nested = await logEntries(p, run.id, [{ step: 1, metrics: { img: { w: 3, h: [1, 2] }, note: "warmup" } }]);
    expect(nested.json).toMatchObject({ accepted: 1, duplicates: 0 });
  });
});
