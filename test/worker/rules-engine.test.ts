import { describe, it } from "vitest";
import { CreateRule, parseTemplate, TEMPLATE_FIELDS, type Rule } from "../../src/contract";
import { compileRule } from "../../src/rules/compile";
import { evaluateEntries, type RuleEntry, type RunStates } from "../../src/rules/engine";
import { metricMatcher } from "../../src/rules/pattern";
import { formatNumber, Template } from "../../src/rules/template";

const run = { id: "0".repeat(32), name: "r1" };
const fresh = (): RunStates => ({ states: new Map(), dirty: new Set() });

/** A compiled rule from the same input REST accepts (defaults applied by the contract). */
function rule(def: Partial<CreateRule> & Pick<CreateRule, "condition">) {
  const parsed = CreateRule.parse({ id: "r", metric: "m", title: "t", ...def });
  return compileRule({ ...parsed, id: parsed.id!, text: parsed.text ?? null } as Rule);
}

const entries = (values: (number | string)[], start = 0, metric = "m"): RuleEntry[] =>
  values.map((v, i) => ({ step: start + i, metrics: { [metric]: v } }));

/** Steps at which the rule fired, evaluating `batches` one after another with the same state. */
function firedSteps(r: ReturnType<typeof rule>, ...batches: RuleEntry[][]) {
  const st = fresh();
  return batches.flatMap((b) => evaluateEntries([r], run, b, st).map((f) => f.step));
}

describe("text templates", () => {
  it("formats numbers with Python's specs", ({ expect }) => {
    expect(formatNumber(3.14159265, ".4f")).toBe("3.1416");
    expect(formatNumber(0.000123456, ".3e")).toBe("1.235e-04");
    expect(formatNumber(12345.678, ".3e")).toBe("1.235e+04");
    expect(formatNumber(0.5, ".6g")).toBe("0.5");
    expect(formatNumber(1234567, ".3g")).toBe("1.23e+06");
    expect(formatNumber(0.0000123, "g")).toBe("1.23e-05");
    expect(formatNumber(2.5, "f")).toBe("2.500000");
    expect(formatNumber(41.6, "d")).toBe("42");
    expect(formatNumber(0.1 + 0.2, "")).toBe("0.30000000000000004");
    expect(formatNumber(Number.NaN, ".4f")).toBe("NaN");
    expect(formatNumber(Number.NEGATIVE_INFINITY, ".4f")).toBe("-Infinity");
  });

  it("renders placeholders, literal braces and text fields", ({ expect }) => {
    const t = Template.compile("{{{metric}}} {run}/{run_id} = {value:.2f} @ {step} [{rule}, {level}] {threshold}", TEMPLATE_FIELDS.gt);
    expect(t.render({ metric: "loss", run: "r1", run_id: "abc", value: 1.005, step: 7, rule: "hi", level: "warn", threshold: 2 })).toBe(
      "{loss} r1/abc = 1.00 @ 7 [hi, warn] 2",
    );
  });

  it("refuses unknown placeholders, bad specs and unbalanced braces with a reason", ({ expect }) => {
    const err = (t: string, f = TEMPLATE_FIELDS.gt) => {
      const r = parseTemplate(t, f);
      return "error" in r ? r.error : null;
    };
    expect(err("{valeu}")).toMatch(/unknown placeholder \{valeu\}/);
    expect(err("{best}")).toMatch(/unknown placeholder \{best\}.*\{threshold\}/);
    expect(err("{best}", TEMPLATE_FIELDS.no_improvement)).toBeNull();
    expect(err("{value:.4x}")).toMatch(/unsupported format '.4x'/);
    expect(err("{run:.2f}")).toMatch(/\{run\} is text/);
    expect(err("loss {value")).toMatch(/unclosed '\{'/);
    expect(err("loss }")).toMatch(/unmatched '\}'/);
    expect(err("{{ok}} {value:.4f} {step:d}")).toBeNull();
  });
});

describe("metric patterns", () => {
  it("matches exact names, and '*' across any characters", ({ expect }) => {
    expect(metricMatcher("val/loss")("val/loss")).toBe(true);
    expect(metricMatcher("val/loss")("val/loss2")).toBe(false);
    const val = metricMatcher("val/*");
    expect(["val/loss", "val/acc", "val/a/b", "val/"].map(val)).toEqual([true, true, true, true]);
    expect(["train/loss", "xval/loss", "val"].map(val)).toEqual([false, false, false]);
    expect(["loss", "train/loss_ema", "l"].map(metricMatcher("*loss*"))).toEqual([true, true, false]);
    // Regex characters in names are literal.
    expect(metricMatcher("a.b(c)+*")("a.b(c)+1")).toBe(true);
    expect(metricMatcher("a.b(c)+*")("axb(c)+1")).toBe(false);
  });
});

describe("conditions", () => {
  it("lt fires below the threshold and re-arms once above; NaN leaves it as it was", ({ expect }) => {
    const r = rule({ condition: { type: "lt", value: 0.5 } });
    expect(firedSteps(r, entries([0.9, 0.4, 0.3, "NaN", 0.6, "NaN", 0.2, "-Infinity"]))).toEqual([1, 6]);
  });

  it("gt counts Infinity as above the threshold", ({ expect }) => {
    expect(firedSteps(rule({ condition: { type: "gt", value: 10 } }), entries([1, "Infinity", 2, "Infinity"]))).toEqual([1, 3]);
  });

  it("non_finite fires on NaN and ±Infinity, once per episode", ({ expect }) => {
    const r = rule({ condition: { type: "non_finite" }, text: "{metric}={value}" });
    const st = fresh();
    const fired = evaluateEntries([r], run, entries([1, "NaN", "Infinity", 2, "-Infinity"]), st);
    expect(fired.map((f) => [f.step, f.text])).toEqual([[1, "m=NaN"], [4, "m=-Infinity"]]);
  });

  it("no_improvement (min) fires after N steps without a new minimum and re-arms on one", ({ expect }) => {
    const r = rule({ condition: { type: "no_improvement", steps: 3 }, text: "best {best} at {best_step}, now {value} at {step} ({steps} steps)" });
    const st = fresh();
    const first = evaluateEntries([r], run, entries([5, 4, 4.5, 4.2]), st);
    expect(first).toEqual([]);
    const second = evaluateEntries([r], run, entries([4.1, 4.3, 3.9, 4, 4, 4], 4), st);
    expect(second.map((f) => [f.step, f.text])).toEqual([[4, "best 4 at 1, now 4.1 at 4 (3 steps)"], [9, "best 3.9 at 6, now 4 at 9 (3 steps)"]]);
  });

  it("no_improvement (max) with min_delta: gains below it are not improvements", ({ expect }) => {
    const r = rule({ condition: { type: "no_improvement", steps: 2, mode: "max", min_delta: 0.01 } });
    // 0.5 best at 0; 0.505 is not enough; at step 2 two steps have passed: fire. 0.6 re-arms; then fires at 5.
    expect(firedSteps(r, entries([0.5, 0.505, 0.505, 0.6, 0.6, 0.61]))).toEqual([2, 5]);
  });

  it("no_improvement counts steps, not values, so sparse evaluations work", ({ expect }) => {
    const r = rule({ condition: { type: "no_improvement", steps: 1000 } });
    const sparse = [2, 1.5, 1.6, 1.7, 1.4].map((v, i) => ({ step: i * 500, metrics: { m: v } }));
    expect(firedSteps(r, sparse)).toEqual([1500]);
  });

  it("spike fires on a jump of more than x times between consecutive values, skipping zeros", ({ expect }) => {
    const up = rule({ condition: { type: "spike", factor: 5 }, text: "{previous} -> {value} ({ratio:.1f}x)" });
    const st = fresh();
    const fired = evaluateEntries([up], run, entries([1, 1.2, 7, 40, 41, 0, 3, 0.5, 10]), st);
    // 1.2→7 (5.8x) fires; 7→40 (5.7x) is still a spike: no second alert; 40→41 re-arms;
    // 41→0 and 0→3 have no ratio; 0.5→10 (20x) fires again.
    expect(fired.map((f) => [f.step, f.text])).toEqual([[2, "1.2 -> 7 (5.8x)"], [8, "0.5 -> 10 (20.0x)"]]);
    expect(firedSteps(rule({ condition: { type: "spike", factor: 5, direction: "down" } }), entries([10, 1, 0.5, 0.05]))).toEqual([1, 3]);
    expect(firedSteps(rule({ condition: { type: "spike", factor: 5, direction: "both" } }), entries([10, 1, 1, 10]))).toEqual([1, 3]);
  });

  it("ignores values that are not numbers and metrics the rule does not match", ({ expect }) => {
    const r = rule({ metric: "val/*", condition: { type: "gt", value: 1 } });
    const batch: RuleEntry[] = [
      { step: 0, metrics: { "val/x": { nested: 5 }, "train/x": 5, "val/y": "text" } },
      { step: 1, metrics: { "val/x": 2, "val/y": 3 } },
    ];
    const fired = evaluateEntries([r], run, batch, fresh());
    expect(fired.map((f) => [f.metric, f.step])).toEqual([["val/x", 1], ["val/y", 1]]);
  });

  it("gives each firing rule its own template values when several watch the same metric", ({ expect }) => {
    const rules = [
      rule({ id: "jump", condition: { type: "spike", factor: 5 }, text: "{previous}->{value} x{ratio:.0f}" }),
      rule({ id: "high", condition: { type: "gt", value: 10 }, text: "{value}>{threshold}" }),
      rule({ id: "flat", condition: { type: "no_improvement", steps: 2 }, text: "best {best}@{best_step} for {steps}" }),
    ];
    const fired = evaluateEntries(rules, run, entries([1, 2, 20, 21]), fresh());
    expect(fired.map((f) => [f.rule_id, f.step, f.text])).toEqual([
      ["jump", 2, "2->20 x10"],
      ["high", 2, "20>10"],
      ["flat", 2, "best 1@0 for 2"],
    ]);
  });

  it("keeps state per metric: one pattern rule fires separately for each matching metric", ({ expect }) => {
    const r = rule({ metric: "*", condition: { type: "gt", value: 1 } });
    const st = fresh();
    evaluateEntries([r], run, [{ step: 0, metrics: { a: 2 } }], st);
    const later = evaluateEntries([r], run, [{ step: 1, metrics: { a: 3, b: 3 } }], st);
    expect(later.map((f) => f.metric)).toEqual(["b"]);
    expect([...st.dirty].length).toBe(2);
  });
});
