import { describe, inject, it } from "vitest";
import type { Alert } from "../../src/contract";
import { Api, Run, finish, init, log, shouldStop } from "../../sdk/src/index";

// The control plane through the real SDK against the local server: a stop seen on the next batch,
// the run ending stopped, the alert on a subscribed socket; waitForRun, diagnosis(), notes.

let seq = 0;
const uniqueProject = (p: string) => `${p}-${Date.now().toString(36)}-${(seq++).toString(36)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const conn = () => ({ url: inject("baseUrl"), token: inject("adminToken") });

describe("stop requests seen by the SDK", () => {
  it("shouldStop() turns true after the next batch, onStop is called once, and finish() ends the run stopped", async ({ expect }) => {
    const project = uniqueProject("sdk-stop");
    const stops: (string | null)[] = [];
    await init({ project, name: "sweep-1", ...conn(), quiet: true, exitHook: false, flushIntervalMs: 100, onStop: (r) => stops.push(r) });
    const api = new Api(conn());
    const got: Alert[] = [];
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    const watch = api.watchAlerts(project, { run: "sweep-1" }, { onAlert: (a) => got.push(a), onReady: () => ready() });
    await isReady;

    let step = 0;
    log({ loss: 1 });
    await sleep(300);
    expect(shouldStop()).toBe(false);
    const stopped = await api.client.runs.stop(project, "sweep-1", { reason: "budget spent" });
    expect(stopped.stop_requested).toMatchObject({ reason: "budget spent" });
    // The training loop: it checks shouldStop() between steps, as a script would.
    const deadline = Date.now() + 10_000;
    while (!shouldStop() && Date.now() < deadline) {
      log({ loss: 1 / ++step });
      await sleep(50);
    }
    expect(shouldStop()).toBe(true);
    expect(stops).toEqual(["budget spent"]);
    await finish();
    const run = await api.run(project, "sweep-1");
    expect(run.status).toBe("stopped");
    expect(shouldStop()).toBe(false); // no current run any more
    for (let i = 0; i < 50 && !got.length; i++) await sleep(100);
    watch.close();
    expect(got.map((a) => [a.title, a.level])).toEqual([["Stop requested", "info"]]);
    expect(got[0].text).toContain("budget spent");
  });

  it("run.shouldStop() on a Run of its own, without a callback", async ({ expect }) => {
    const project = uniqueProject("sdk-stop-run");
    const run = await Run.start({ project, name: "r", ...conn(), quiet: true, exitHook: false, flushIntervalMs: 100 });
    run.log({ x: 1 });
    await run.flush();
    await new Api(conn()).client.runs.stop(project, run.id);
    run.log({ x: 2 });
    await run.flush();
    expect(run.shouldStop()).toBe(true);
    expect(run.stopReason).toBeNull();
    await run.finish();
    expect((await new Api(conn()).run(project, run.id)).status).toBe("stopped");
  });
});

describe("waitForRun, diagnosis and notes through the SDK", () => {
  it("waitForRun resolves when a logged value meets the condition, and after a timeout with matched false", async ({ expect }) => {
    const project = uniqueProject("sdk-wait");
    const run = await Run.start({ project, name: "w", ...conn(), quiet: true, exitHook: false, flushIntervalMs: 100 });
    run.log({ "val/loss": 1 });
    await run.flush();
    const api = new Api(conn());
    const none = await api.waitForRun(project, "w", { until: "val/loss<0.3", timeout: 0.5 });
    expect(none).toMatchObject({ matched: false, timed_out: true, status: "running", value: 1 });
    const waiting = api.waitForRun(project, "w", { until: "val/loss<0.3", timeout: 30 });
    for (let i = 1; i <= 10; i++) run.log({ "val/loss": 1 - i / 10 });
    const hit = await waiting;
    expect(hit).toMatchObject({ matched: true, timed_out: false });
    expect(hit.value).toBeLessThan(0.3);
    const ended = api.waitForRun(project, "w", { until: "ended", timeout: 30 });
    await run.finish();
    expect(await ended).toMatchObject({ matched: true, status: "finished" });
  });

  it("run.diagnosis() and notes on both kinds of run object", async ({ expect }) => {
    const project = uniqueProject("sdk-diag");
    const run = await Run.start({ project, name: "d", ...conn(), quiet: true, exitHook: false });
    for (let i = 0; i < 100; i++) run.log({ loss: 1 / (1 + i) });
    await run.flush();
    expect((await run.diagnosis()).metrics[0]).toMatchObject({ name: "loss", trend: "decreasing", last_step: 99 });
    const apiRun = await new Api(conn()).run(project, "d");
    await apiRun.addNote("baseline");
    const d = await apiRun.diagnosis();
    expect(d.notes.map((n) => n.text)).toEqual(["baseline"]);
    expect((await apiRun.summary()).notes.map((n) => n.text)).toEqual(["baseline"]);
    await run.finish();
  });
});
