import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, it, vi } from "vitest";
import type { ProjectAlerts } from "../../src/project-object/project-alerts";
import { pendingWebhookJobs, resendDueWebhooks } from "../../src/project-object/outbox";
import { api, createRun, uniqueProject } from "../helpers/api";
import { postAlerts } from "../helpers/alerts";
import { mockFetch, reply, type Captured } from "../helpers/webhooks";
import { until } from "../helpers/until";

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
  vi.restoreAllMocks();
});

const stubOf = (project: string) => env.PROJECT_ALERTS.getByName(project);
/** The object's own bindings (not the test's), where its queue sends go. */
const queueOf = (instance: ProjectAlerts) => (instance as unknown as { env: Env }).env.WEBHOOK_QUEUE;


const outbox = (project: string) => runInDurableObject(stubOf(project), (_: ProjectAlerts, state) => pendingWebhookJobs(state.storage.sql));
const deliveries = async (project: string) => (await api("GET", `/v1/projects/${project}/webhooks/deliveries`)).json.deliveries as any[];
const levelOf = (c: Captured) => JSON.parse(c.body).level as string;

describe("webhook outbox in the ProjectAlerts object", { timeout: 20_000 }, () => {
  it("delivers each new alert to every matching target through the real queue", async ({ expect }) => {
    const p = uniqueProject("ob");
    const m = mockFetch(reply("ok"));
    restore = m.restore;
    const sub = (await api("POST", `/v1/projects/${p}/webhooks`, { body: { url: "https://sub.example/all-warn", min_level: "warn" } })).json;
    await api("POST", `/v1/projects/${p}/webhooks`, { body: { url: "https://sub.example/other-run", run: "someone-else" } });
    await createRun(p, { name: "r1", webhook_url: "https://run.example/errors", webhook_min_level: "ERROR" });
    await postAlerts(p, [
      { title: "milestone", level: "info", run: "r1" },
      { title: "loss up", level: "warn", run: "r1", step: 3 },
      { title: "NaN", level: "error", run: "r1", step: 4 },
    ]);
    // warn + error to the subscription, error to the run's own URL, nothing to the other run's filter.
    const calls = await until(() => m.calls, (c) => c.length >= 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(m.calls).toHaveLength(3);
    const toSub = calls.filter((c) => c.url === "https://sub.example/all-warn");
    expect(toSub.map(levelOf).sort()).toEqual(["error", "warn"]);
    expect(calls.filter((c) => c.url === "https://run.example/errors").map(levelOf)).toEqual(["error"]);
    for (const c of toSub) expect(c.headers["webhook-signature"]).toMatch(/^v1,/);

    expect(await outbox(p)).toEqual([]);
    const log = await until(() => deliveries(p), (d) => d.length === 3 && d.every((x) => x.status === "delivered"));
    expect(log.filter((d) => d.webhook_id === sub.id)).toHaveLength(2);
    expect(log.filter((d) => d.webhook_id === null)).toHaveLength(1);
    expect(new Set(calls.map((c) => c.headers["webhook-id"]))).toEqual(new Set(log.map((d) => d.id)));
  });

  it("stores a retried alert once and delivers it once", async ({ expect }) => {
    const p = uniqueProject("once");
    const m = mockFetch(reply("ok"));
    restore = m.restore;
    await api("POST", `/v1/projects/${p}/webhooks`, { body: { url: "https://sub.example/once" } });
    await postAlerts(p, { title: "t", alert_id: "retry-me" });
    await postAlerts(p, { title: "t", alert_id: "retry-me" });
    await until(() => m.calls, (c) => c.length >= 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(m.calls).toHaveLength(1);
  });

  it("keeps a delivery the queue refused and re-sends it from the alarm with the same id", async ({ expect }) => {
    const p = uniqueProject("resend");
    const m = mockFetch(reply("ok"));
    restore = m.restore;
    await api("POST", `/v1/projects/${p}/webhooks`, { body: { url: "https://sub.example/resend" } });
    // The object exists once it has been called; make its queue refuse the first send.
    await postAlerts(p, { title: "warm-up", level: "info" });
    await until(() => m.calls, (c) => c.length >= 1);
    const refused = await runInDurableObject(stubOf(p), (instance: ProjectAlerts) => {
      const spy = vi.spyOn(queueOf(instance), "sendBatch").mockRejectedValueOnce(new Error("Queue send failed: 503"));
      return typeof spy.mock === "object";
    });
    expect(refused).toBe(true);

    const before = Date.now();
    const [alert] = await postAlerts(p, { title: "disk full", level: "error" });
    // The alert is stored and its delivery waits in the outbox, with the alarm set to retry it.
    const [row] = await outbox(p);
    expect(row).toMatchObject({ tries: 1, job: { alert: { alert_id: alert.alert_id, title: "disk full" } } });
    const alarm = await runInDurableObject(stubOf(p), (_: ProjectAlerts, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(before + 31_000);

    // The alarm fires by itself (about 1 s later) and the queue takes it this time.
    const sent = await until(() => m.calls.filter((c) => JSON.parse(c.body).title === "disk full"), (c) => c.length === 1);
    expect(sent[0].headers["webhook-id"]).toBe(row.id);
    expect(await outbox(p)).toEqual([]);
    const log = await until(() => deliveries(p), (d) => d.some((x) => x.id === row.id && x.status === "delivered"));
    expect(log.find((x) => x.id === row.id)).toMatchObject({ alert_id: alert.alert_id, attempts: 1 });
  });

  it("re-sends rows an eviction left mid-send once their lease runs out", async ({ expect }) => {
    const p = uniqueProject("lease");
    const m = mockFetch(reply("ok"));
    restore = m.restore;
    await api("POST", `/v1/projects/${p}/webhooks`, { body: { url: "https://sub.example/lease" } });
    await postAlerts(p, { title: "warm-up" });
    await until(() => m.calls, (c) => c.length >= 1);
    // As if the object died after its write but before the queue answered: the send never completes.
    await runInDurableObject(stubOf(p), (instance: ProjectAlerts) => {
      vi.spyOn(queueOf(instance), "sendBatch").mockImplementationOnce(() => new Promise(() => {}));
    });
    void postAlerts(p, { title: "lost in flight" });
    const [row] = await until(() => outbox(p), (rows) => rows.length === 1);
    // Not due while the lease holds; due after it.
    const early = await runInDurableObject(stubOf(p), (instance: ProjectAlerts, state) => resendDueWebhooks(state.storage, queueOf(instance)));
    expect(early).toEqual({ sent: 0, failed: 0 });
    const late = await runInDurableObject(stubOf(p), (instance: ProjectAlerts, state) => resendDueWebhooks(state.storage, queueOf(instance), Date.now() + 31_000));
    expect(late).toEqual({ sent: 1, failed: 0 });
    const sent = await until(() => m.calls.filter((c) => c.headers["webhook-id"] === row.id), (c) => c.length === 1);
    expect(JSON.parse(sent[0].body).title).toBe("lost in flight");
    expect(await outbox(p)).toEqual([]);
    expect(await runDurableObjectAlarm(stubOf(p))).toBe(true); // the lease alarm, now with nothing to do
    expect(await outbox(p)).toEqual([]);
  });

  it("writes no outbox rows when nothing matches", async ({ expect }) => {
    const p = uniqueProject("none");
    const m = mockFetch(reply("ok"));
    restore = m.restore;
    await api("POST", `/v1/projects/${p}/webhooks`, { body: { url: "https://sub.example/errors", min_level: "error" } });
    await postAlerts(p, [{ title: "a", level: "info" }, { title: "b", level: "warn" }]);
    expect(await outbox(p)).toEqual([]);
    expect(await runInDurableObject(stubOf(p), (_: ProjectAlerts, state) => state.storage.getAlarm())).toBeNull();
    await new Promise((r) => setTimeout(r, 1200));
    expect(m.calls).toHaveLength(0);
  });
});
