import { beforeAll, describe, inject, it } from "vitest";
import type { Alert } from "../../src/contract";
import { Api, AuthenticationError, NotFoundError, Run } from "../../sdk/src/index";

// The reading API (Trackio's `Api`, remote): projects, runs with alerts()/summary(), metrics,
// alerts newest first, and the blocking and live alert calls.

let seq = 0;
const uniqueProject = (p: string) => `${p}-${Date.now().toString(36)}-${(seq++).toString(36)}`;

describe("Api", () => {
  const project = uniqueProject("api");
  const api = () => new Api({ url: inject("baseUrl"), token: inject("adminToken") });
  let first: Run;

  beforeAll(async () => {
    const common = { project, url: inject("baseUrl"), token: inject("adminToken"), quiet: true, exitHook: false };
    first = await Run.start({ ...common, name: "baseline", group: "g1", config: { lr: 0.1 } });
    for (let i = 0; i < 30; i++) first.log({ loss: 30 - i });
    first.alert("slow", "throughput low", "info");
    await first.finish();
    const second = await Run.start({ ...common, name: "bigger-lr", group: "g2", config: { lr: 0.5 } });
    second.log({ loss: 99 });
    second.alert("diverging", null, "error");
    await second.finish({ status: "failed" });
  });

  it("projects() and runs() with filters, oldest first", async ({ expect }) => {
    expect((await api().projects()).map((p) => p.name)).toContain(project);
    const runs = await api().runs(project);
    expect(runs.map((r) => r.name)).toEqual(["baseline", "bigger-lr"]);
    expect(runs[0]).toMatchObject({ id: first.id, config: { lr: 0.1 }, status: "finished", group: "g1", last_step: 29, log_count: 30 });
    expect(String(runs[0])).toBe(`<Run baseline (${runs[0].id.slice(0, 8)}) in project ${project}>`);
    expect((await api().runs(project, { status: "failed" })).map((r) => r.name)).toEqual(["bigger-lr"]);
    expect((await api().runs(project, { config: ["lr=0.1"] })).map((r) => r.name)).toEqual(["baseline"]);
  });

  it("a run's alerts() and summary(), and metric()", async ({ expect }) => {
    const run = await api().run(project, "baseline");
    expect((await run.alerts()).map((a) => a.title)).toEqual(["slow"]);
    const summary = await run.summary();
    expect(summary).toMatchObject({ metrics: ["loss"], alert_counts: { info: 1, warn: 0, error: 0 } });
    const values = await api().metric(project, "baseline", "loss", { around: 10, window: 1 });
    expect(values.values.map((p) => [p.step, p.value])).toEqual([[9, 21], [10, 20], [11, 19]]);
    const down = await run.metric("loss", { maxPoints: 5 });
    expect(down.values.length).toBeLessThanOrEqual(5);
  });

  it("alerts() newest first with level, min_level and run filters", async ({ expect }) => {
    expect((await api().alerts(project)).map((a) => a.title)).toEqual(["diverging", "slow"]);
    expect((await api().alerts(project, { minLevel: "warn" })).map((a) => a.title)).toEqual(["diverging"]);
    expect((await api().alerts(project, { level: "info" })).map((a) => a.title)).toEqual(["slow"]);
    expect((await api().alerts(project, { run: "bigger-lr" })).map((a) => a.title)).toEqual(["diverging"]);
  });

  it("waitForAlert() resolves on a new alert after the cursor, or times out", async ({ expect }) => {
    const { next_cursor } = await api().client.alerts.list(project);
    const waiting = api().waitForAlert(project, { cursor: next_cursor, minLevel: "error", timeout: 20 });
    await api().client.alerts.create(project, { alerts: [{ title: "meh", level: "warn" }, { title: "nan loss", level: "error", run: "baseline" }] });
    const res = await waiting;
    expect(res.timed_out).toBe(false);
    expect(res.alerts.map((a) => a.title)).toEqual(["nan loss"]);

    const t0 = Date.now();
    const none = await api().waitForAlert(project, { cursor: res.next_cursor, timeout: 1 });
    expect(none).toMatchObject({ alerts: [], timed_out: true });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it("watchAlerts() delivers live alerts and stops on close()", async ({ expect }) => {
    const got: Alert[] = [];
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    const watch = api().watchAlerts(project, { run: "baseline" }, { onAlert: (a) => got.push(a), onReady: () => ready() });
    await isReady;
    await api().client.alerts.create(project, { title: "other run", run: "bigger-lr" });
    await api().client.alerts.create(project, { title: "live", run: "baseline" });
    for (let i = 0; got.length < 1 && i < 200; i++) await new Promise((r) => setTimeout(r, 25));
    watch.close();
    await watch.done;
    expect(got.map((a) => a.title)).toEqual(["live"]);
    expect(watch.cursor).toBe(got[0].cursor);
  });

  it("errors are typed from the server's one error shape", async ({ expect }) => {
    const err = await api().run(project, "missing").catch((e) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ status: 404, code: "not_found", message: `Run 'missing' not found in project '${project}'` });
    const bad = new Api({ url: inject("baseUrl"), token: "tf_wrong" });
    await expect(bad.projects()).rejects.toBeInstanceOf(AuthenticationError);
    let failure: Error | null = null;
    const w = bad.watchAlerts(project, {}, { onAlert: () => undefined, onError: (e) => (failure = e) });
    await w.done;
    expect(String(failure)).toMatch(/401/);
  });
});
