import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { api, createRun, logEntries, uniqueProject } from "../helpers/api";
import { namedKey } from "../helpers/control";
import { patchSettings } from "../helpers/rules";
import { call } from "../helpers/trackio";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a wait and resolves with its answer and how long it took. */
function startWait(project: string, run: string, until: string, timeout: number, token?: string) {
  const began = Date.now();
  return api("GET", `/v1/projects/${project}/runs/${run}/wait?until=${encodeURIComponent(until)}&timeout=${timeout}`, { token }).then((r) => ({
    ...r,
    ms: Date.now() - began,
  }));
}

describe("waiting on a run", () => {
  it("ended: woken by finish, long before its timeout", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    const waiting = startWait(p, "r", "ended", 20);
    await sleep(300);
    await api("POST", `/v1/projects/${p}/runs/${run.id}/finish`, { body: { status: "failed" } });
    const r = await waiting;
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ matched: true, timed_out: false, status: "failed", step: null });
    expect(r.ms).toBeLessThan(15_000);
    // Already ended: answered at once.
    expect((await startWait(p, "r", "ended", 20)).json).toMatchObject({ matched: true, status: "failed" });
  });

  it("ended: a stop request then finish() ends it stopped; the stale alarm wakes it too", async ({ expect }) => {
    const p = uniqueProject();
    await createRun(p, { name: "s" });
    const waiting = startWait(p, "s", "ended", 20);
    await api("POST", `/v1/projects/${p}/runs/s/stop`, { body: {} });
    await sleep(200);
    await api("POST", `/v1/projects/${p}/runs/s/finish`, { body: {} });
    expect((await waiting).json).toMatchObject({ matched: true, status: "stopped" });

    const q = uniqueProject();
    await patchSettings(q, { stale_after: 1 });
    await createRun(q, { name: "quiet" });
    const staleWait = startWait(q, "quiet", "ended", 20);
    await sleep(1300);
    await runDurableObjectAlarm(env.PROJECT_ALERTS.getByName(q));
    const r = await staleWait;
    expect(r.json).toMatchObject({ matched: true, timed_out: false, status: "stale" });
    expect(r.ms).toBeLessThan(15_000);
  });

  it("ended: a silent Trackio-protocol run that ends (no alert) wakes it too", async ({ expect }) => {
    const p = uniqueProject();
    await patchSettings(p, { stale_after: 1 });
    const log = { project: p, run: "script", run_id: "0123456789abcdef0123456789abcdef", metrics: { loss: 1 }, step: 0, config: null, log_id: "l0" };
    const { key } = await namedKey("trackio-client", "write", [p]);
    expect((await call("bulk_log", { logs: [log] }, { token: key })).status).toBe(200);
    const waiting = startWait(p, "script", "ended", 20);
    await sleep(1300);
    await runDurableObjectAlarm(env.PROJECT_ALERTS.getByName(p));
    const r = await waiting;
    expect(r.json).toMatchObject({ matched: true, timed_out: false, status: "ended", step: 0 });
    expect(r.ms).toBeLessThan(15_000);
  });

  it("step>=N: woken by the batch that reaches the step", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    await logEntries(p, run.id, [{ step: 0, metrics: { loss: 1 } }]);
    const waiting = startWait(p, run.id, "step>=50", 20);
    await sleep(200);
    await logEntries(p, run.id, [{ step: 10, metrics: { loss: 0.9 } }]);
    await sleep(200);
    await logEntries(p, run.id, [{ step: 49, metrics: { loss: 0.8 } }, { step: 50, metrics: { loss: 0.7 } }, { step: 51, metrics: { loss: 0.6 } }]);
    const r = await waiting;
    expect(r.json).toMatchObject({ matched: true, timed_out: false, status: "running", step: 51 });
    expect(r.ms).toBeLessThan(15_000);
  });

  it("metric conditions: woken by the first value that satisfies them, with that value", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    await logEntries(p, run.id, [{ step: 0, metrics: { "val/loss": 0.9 } }]);
    const waiting = startWait(p, "r", "val/loss<0.3", 20);
    await sleep(200);
    await logEntries(p, run.id, [{ step: 1, metrics: { "val/loss": 0.5, acc: 0.1 } }]);
    await sleep(200);
    await logEntries(p, run.id, [{ step: 2, metrics: { "val/loss": "NaN" } }, { step: 3, metrics: { "val/loss": 0.25 } }, { step: 4, metrics: { "val/loss": 0.2 } }]);
    const r = await waiting;
    expect(r.json).toEqual({ matched: true, timed_out: false, status: "running", step: 4, value: 0.25, value_step: 3 });
    // Held already: answered at once from the rollups' latest value; every operator parses.
    expect((await startWait(p, "r", "val/loss<=0.2", 20)).json).toMatchObject({ matched: true, value: 0.2, value_step: 4 });
    expect((await startWait(p, "r", "val/loss >= 0.1", 20)).json).toMatchObject({ matched: true });
    expect((await startWait(p, "r", "acc>0.05", 20)).json).toMatchObject({ matched: true, value: 0.1, value_step: 1 });
  });

  it("times out with matched false and the latest state, for each kind of condition", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    await logEntries(p, run.id, [{ step: 3, metrics: { loss: 0.9 } }]);
    for (const until of ["ended", "step>=100", "loss<0.1"]) {
      const r = await startWait(p, "r", until, 0.4);
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ matched: false, timed_out: true, status: "running", step: 3 });
      expect(r.ms).toBeGreaterThanOrEqual(350);
    }
    expect((await startWait(p, "r", "loss<0.1", 0.2)).json).toMatchObject({ value: 0.9, value_step: 3 });
    expect((await startWait(p, "r", "nothing_logged>1", 0.2)).json.value).toBeUndefined();
  });

  it("a read key may wait; bad conditions and timeouts are 400s naming the field; unknown and deleted runs are 404s", async ({ expect }) => {
    const p = uniqueProject();
    await createRun(p, { name: "r" });
    const { key } = await namedKey("watcher", "read", [p]);
    expect((await startWait(p, "r", "ended", 0.1, key)).status).toBe(200);
    for (const until of ["finished", "loss=0.3", "step>5", "loss<abc", ""]) {
      const bad = await startWait(p, "r", until, 1);
      expect(bad.status).toBe(400);
      expect(bad.json.error.details[0].path).toBe("until");
    }
    const long = await startWait(p, "r", "ended", 61);
    expect(long.status).toBe(400);
    expect(long.json.error.details[0].path).toBe("timeout");
    expect((await startWait(p, "ghost", "ended", 1)).status).toBe(404);
    const waiting = startWait(p, "r", "ended", 20);
    await sleep(200);
    await api("DELETE", `/v1/projects/${p}/runs/r`);
    const gone = await waiting;
    expect(gone.status).toBe(404);
    expect(gone.ms).toBeLessThan(15_000);
  });
});
