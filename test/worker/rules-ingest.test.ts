import { describe, it } from "vitest";
import { createRun, logEntries, uniqueProject } from "../helpers/api";
import { isReady, openSocket } from "../helpers/alerts";
import { addRule, allAlerts, patchSettings, series } from "../helpers/rules";

describe("rules on ingest", () => {
  it("fires a threshold rule once when it becomes true, and again only after it was false", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r1" });
    const rule = await addRule(p, { id: "loss-high", metric: "train_loss", condition: { type: "gt", value: 5 }, level: "error", title: "Loss diverged", text: "train_loss={value:.4f} at step {step}" });
    expect(rule).toMatchObject({ id: "loss-high", level: "error", condition: { type: "gt", value: 5 } });
    await logEntries(p, run.id, series("train_loss", [1, 2, 6.123456, 7, 8]));
    let alerts = await allAlerts(p);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ title: "Loss diverged", text: "train_loss=6.1235 at step 2", level: "error", step: 2, run: "r1", run_id: run.id, rule_id: "loss-high" });
    // Still true in the next batch: no new alert. False, then true again: a second one.
    await logEntries(p, run.id, series("train_loss", [9, 3, 4], 5));
    expect(await allAlerts(p)).toHaveLength(1);
    await logEntries(p, run.id, series("train_loss", [10.5], 8));
    alerts = await allAlerts(p);
    expect(alerts.map((a) => [a.step, a.text])).toEqual([[2, "train_loss=6.1235 at step 2"], [8, "train_loss=10.5000 at step 8"]]);
  });
});

describe("rules on ingest: patterns, detectors, big batches", () => {
  it("applies a `*` pattern to every matching metric, with {metric} and {run} in the text", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "pat" });
    await addRule(p, { metric: "val/*", condition: { type: "lt", value: 0.1 }, level: "info", title: "{metric} is low", text: "{run}: {metric}={value:.2f}" });
    await logEntries(p, run.id, [
      { step: 0, metrics: { "val/acc": 0.05, "val/loss": 0.5, "train/acc": 0.01 } },
      { step: 1, metrics: { "val/acc": 0.04, "val/loss": 0.05 } },
    ]);
    const alerts = await allAlerts(p);
    expect(alerts.map((a) => [a.title, a.text, a.step, a.level])).toEqual([
      ["val/acc is low", "pat: val/acc=0.05", 0, "info"],
      ["val/loss is low", "pat: val/loss=0.05", 1, "info"],
    ]);
    expect(alerts.every((a) => a.rule_id?.startsWith("rule_"))).toBe(true);
  });

  it("raises 'Non-finite metric' once per metric and episode, with no rule configured", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "nan" });
    await logEntries(p, run.id, [
      { step: 0, metrics: { loss: 1, grad: 2 } },
      { step: 1, metrics: { loss: "NaN", grad: 2 } },
      { step: 2, metrics: { loss: "NaN", grad: "Infinity" } },
    ]);
    await logEntries(p, run.id, series("loss", ["NaN", 0.5, "-Infinity"], 3));
    const alerts = await allAlerts(p);
    expect(alerts.map((a) => [a.title, a.text, a.level, a.rule_id])).toEqual([
      ["Non-finite metric", "loss=NaN at step 1", "error", "builtin:non_finite"],
      ["Non-finite metric", "grad=Infinity at step 2", "error", "builtin:non_finite"],
      ["Non-finite metric", "loss=-Infinity at step 5", "error", "builtin:non_finite"],
    ]);
  });

  it("switches the non-finite detector off per project, keeping user rules", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "off" });
    const s = await patchSettings(p, { detectors: { non_finite: false } });
    expect(s).toEqual({ stale_after: 600, detectors: { non_finite: false, stale: true } });
    await addRule(p, { id: "mine", metric: "loss", condition: { type: "non_finite" }, title: "NaN loss" });
    await logEntries(p, run.id, [{ step: 0, metrics: { loss: "NaN", other: "NaN" } }]);
    const alerts = await allAlerts(p);
    expect(alerts.map((a) => [a.title, a.rule_id])).toEqual([["NaN loss", "mine"]]);
  });

  it("evaluates every entry of a 1,000-entry batch against 10 rules in order", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "big" });
    for (let i = 0; i < 10; i++) await addRule(p, { id: `over-${i}`, metric: `m${i}`, condition: { type: "gt", value: 0 }, title: `m${i} positive` });
    // m_i is positive on steps where (step + i) % 250 === 0 ... up to 249 steps later: four episodes per metric.
    const logs = Array.from({ length: 1000 }, (_, step) => {
      const metrics: Record<string, number> = {};
      for (let i = 0; i < 10; i++) metrics[`m${i}`] = Math.floor((step + i * 25) / 125) % 2 === 1 ? 1 : -1;
      return { step, metrics };
    });
    const r = await logEntries(p, run.id, logs);
    expect(r.json.accepted).toBe(1000);
    const alerts = await allAlerts(p);
    const expected: [string, number][] = [];
    for (let i = 0; i < 10; i++) {
      for (let step = 0; step < 1000; step++) {
        const on = (s: number) => Math.floor((s + i * 25) / 125) % 2 === 1;
        if (on(step) && (step === 0 || !on(step - 1))) expected.push([`over-${i}`, step]);
      }
    }
    expect(alerts).toHaveLength(expected.length);
    expect(alerts.map((a) => [a.rule_id, a.step]).sort()).toEqual(expected.sort());
  });

  it("does not evaluate a retried batch twice", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "retry" });
    await addRule(p, { metric: "loss", condition: { type: "gt", value: 1 }, title: "high" });
    const batch = [
      { log_id: "a", metrics: { loss: 0 } },
      { log_id: "b", metrics: { loss: 2 } },
    ];
    await logEntries(p, run.id, batch);
    await logEntries(p, run.id, [{ log_id: "c", metrics: { loss: 0 } }]);
    const retry = await logEntries(p, run.id, batch);
    expect(retry.json).toMatchObject({ accepted: 0, duplicates: 2 });
    expect((await allAlerts(p)).map((a) => a.step)).toEqual([1]);
  });

  it("pushes rule alerts to WebSocket subscribers", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "ws" });
    await addRule(p, { metric: "loss", condition: { type: "spike", factor: 10 }, level: "error", title: "Loss spiked", text: "{previous} -> {value}" });
    const { socket } = await openSocket(p);
    await socket!.until(isReady);
    await logEntries(p, run.id, series("loss", [0.5, 0.45, 9]));
    await socket!.until((m) => m.some((x) => x.type === "alerts" && x.alerts.length > 0));
    expect(socket!.alerts().map((a) => [a.title, a.text, a.step, a.rule_id])).toEqual([["Loss spiked", "0.45 -> 9", 2, expect.stringMatching(/^rule_/)]]);
    socket!.close();
  });
});
