import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import type { Alert } from "../../src/contract";
import { api, createRun, logEntries, uniqueProject } from "../helpers/api";
import { allAlerts, patchSettings } from "../helpers/rules";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const storedStatus = async (runId: string) => (await env.DB.prepare("SELECT status FROM runs WHERE id = ?").bind(runId).first<{ status: string }>())?.status;

/**
 * Lets `seconds` pass, then runs the project's alarm if it is still pending (the test runtime also
 * fires alarms on time by itself, so it may already have run).
 */
async function passTime(project: string, seconds: number) {
  await sleep(seconds * 1000);
  await runDurableObjectAlarm(env.PROJECT_ALERTS.getByName(project));
}

async function alertsUntil(project: string, pred: (a: Alert[]) => boolean, timeoutMs = 5000): Promise<Alert[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const alerts = await allAlerts(project);
    if (pred(alerts) || Date.now() > end) return alerts;
    await sleep(100);
  }
}

describe("stale detector", () => {
  it("marks a running run that stopped logging stale, with one warn alert, by the object's alarm", async ({ expect }) => {
    const p = uniqueProject();
    await patchSettings(p, { stale_after: 1 });
    const run = await createRun(p, { name: "dies" });
    await logEntries(p, run.id, [{ metrics: { loss: 1 } }, { metrics: { loss: 0.9 } }]);
    expect(await storedStatus(run.id)).toBe("running");
    await passTime(p, 1.3);
    const alerts = await alertsUntil(p, (a) => a.length > 0);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ title: "Run stopped reporting", level: "warn", run: "dies", run_id: run.id, step: 1, rule_id: "builtin:stale" });
    expect(alerts[0].text).toMatch(/^No log entry for 1 s \(the run last reported at \d{4}-\d\d-\d\dT[\d:.]+\+00:00, at step 1\); it is now stale\.$/);
    expect(await storedStatus(run.id)).toBe("stale");
    expect((await api("GET", `/v1/projects/${p}/runs/${run.id}`)).json.status).toBe("stale");
    // The alarm does not fire again for a run already stale.
    await passTime(p, 1.2);
    expect(await allAlerts(p)).toHaveLength(1);
  });

  it("quotes the last entry as D1 has it: batches nothing can fire on never reach the object", async ({ expect }) => {
    const p = uniqueProject();
    await patchSettings(p, { stale_after: 1 });
    const run = await createRun(p, { name: "quiet" });
    for (let step = 0; step < 3; step++) {
      await logEntries(p, run.id, [{ step: step * 10, metrics: { loss: 1 / (step + 1) } }]);
      await sleep(400);
    }
    const last = await env.DB.prepare("SELECT last_log_at AS at, last_step AS step FROM runs WHERE id = ?").bind(run.id).first<{ at: string; step: number }>();
    await passTime(p, 1.3);
    const alerts = await alertsUntil(p, (a) => a.length > 0);
    expect(alerts.map((a) => [a.title, a.step])).toEqual([["Run stopped reporting", 20]]);
    expect(alerts[0].text).toBe(`No log entry for 1 s (the run last reported at ${last!.at}, at step ${last!.step}); it is now stale.`);
  });

  it("reports a run that never logged anything after its start", async ({ expect }) => {
    const p = uniqueProject();
    await patchSettings(p, { stale_after: 1 });
    const run = await createRun(p, { name: "oom-at-start" });
    await passTime(p, 1.3);
    const alerts = await alertsUntil(p, (a) => a.length > 0);
    expect(alerts.map((a) => [a.title, a.run, a.step])).toEqual([["Run stopped reporting", "oom-at-start", null]]);
    expect(alerts[0].text).not.toContain("step");
    expect(await storedStatus(run.id)).toBe("stale");
  });

  it("brings a stale run that logs again back to running with an info alert", async ({ expect }) => {
    const p = uniqueProject();
    await patchSettings(p, { stale_after: 1 });
    const run = await createRun(p, { name: "naps" });
    await logEntries(p, run.id, [{ metrics: { loss: 1 } }]);
    await passTime(p, 1.3);
    await alertsUntil(p, (a) => a.length > 0);
    expect(await storedStatus(run.id)).toBe("stale");
    const r = await logEntries(p, run.id, [{ metrics: { loss: 0.8 } }]);
    expect(r.status).toBe(200);
    expect(await storedStatus(run.id)).toBe("running");
    const alerts = await allAlerts(p);
    expect(alerts.map((a) => [a.title, a.level, a.step, a.rule_id])).toEqual([
      ["Run stopped reporting", "warn", 0, "builtin:stale"],
      ["Run resumed reporting", "info", 1, "builtin:stale"],
    ]);
    expect(alerts[1].text).toMatch(/^Logging again after \d+ s without entries/);
    // Watched again from its new entry: a second silence is a second episode.
    await passTime(p, 1.3);
    const later = await alertsUntil(p, (a) => a.length > 2);
    expect(later.map((a) => a.title)).toEqual(["Run stopped reporting", "Run resumed reporting", "Run stopped reporting"]);
  });

  it("leaves runs that keep logging, and finished runs, alone", async ({ expect }) => {
    const p = uniqueProject();
    await patchSettings(p, { stale_after: 1 });
    const [busy, done, quiet] = await Promise.all(["busy", "done", "quiet"].map((name) => createRun(p, { name })));
    for (const r of [busy, done, quiet]) await logEntries(p, r.id, [{ metrics: { x: 1 } }]);
    await api("POST", `/v1/projects/${p}/runs/${done.id}/finish`, { body: { status: "finished" } });
    for (let i = 0; i < 6; i++) {
      await sleep(250);
      await logEntries(p, busy.id, [{ metrics: { x: i } }]);
    }
    await runDurableObjectAlarm(env.PROJECT_ALERTS.getByName(p));
    const alerts = await alertsUntil(p, (a) => a.length > 0);
    expect(alerts.map((a) => [a.title, a.run])).toEqual([["Run stopped reporting", "quiet"]]);
    expect(await storedStatus(busy.id)).toBe("running");
    expect(await storedStatus(done.id)).toBe("finished");
    expect(await storedStatus(quiet.id)).toBe("stale");
  });

  it("can be switched off per project", async ({ expect }) => {
    const p = uniqueProject();
    const settings = await patchSettings(p, { stale_after: 1, detectors: { stale: false } });
    expect(settings).toEqual({ stale_after: 1, detectors: { non_finite: true, stale: false } });
    const run = await createRun(p, { name: "ignored" });
    await logEntries(p, run.id, [{ metrics: { x: 1 } }]);
    await passTime(p, 1.3);
    await sleep(200);
    expect(await allAlerts(p)).toEqual([]);
    expect(await storedStatus(run.id)).toBe("running");
    // Switched back on: the quiet run is due at once (its last entry is older than stale_after).
    await patchSettings(p, { detectors: { stale: true } });
    await runDurableObjectAlarm(env.PROJECT_ALERTS.getByName(p));
    const alerts = await alertsUntil(p, (a) => a.length > 0);
    expect(alerts.map((a) => a.title)).toEqual(["Run stopped reporting"]);
  });

  it("re-times watched runs when stale_after changes", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "retimed" });
    await logEntries(p, run.id, [{ metrics: { x: 1 } }]);
    await sleep(1100);
    // Under the default 600 s nothing is due; shortened to 1 s, the run is already past it.
    expect(await allAlerts(p)).toEqual([]);
    await patchSettings(p, { stale_after: 1 });
    await runDurableObjectAlarm(env.PROJECT_ALERTS.getByName(p));
    const alerts = await alertsUntil(p, (a) => a.length > 0);
    expect(alerts.map((a) => [a.title, a.run])).toEqual([["Run stopped reporting", "retimed"]]);
    expect(await storedStatus(run.id)).toBe("stale");
  });
});
