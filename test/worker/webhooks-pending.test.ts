import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, it, vi } from "vitest";
import type { ProjectAlerts } from "../../src/project-object/project-alerts";
import { insertPendingDeliveries } from "../../src/db/webhooks";
import { api, uniqueProject } from "../helpers/api";
import { postAlerts } from "../helpers/alerts";
import { makeJob, mockFetch, reply, runQueue } from "../helpers/webhooks";
import { until } from "../helpers/until";

// The delivery log lists a delivery from the moment the outbox hands it to the queue (pending,
// 0 attempts); the consumer and the dead-letter consumer update that one row, never add a second.

const Q = "trackflare-webhooks";
const DLQ = "trackflare-webhooks-dlq";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
  vi.restoreAllMocks();
});


const deliveries = async (project: string, status?: string) =>
  (await api("GET", `/v1/projects/${project}/webhooks/deliveries${status ? `?status=${status}` : ""}`)).json.deliveries as any[];

/** A receiver that holds every POST until `release()`, so the consumer cannot record an attempt before then. */
function heldReceiver() {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const calls: Headers[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push(new Request(input, init).headers);
    await gate;
    return new Response("ok");
  });
  cleanups.push(() => {
    release();
    spy.mockRestore();
  });
  return { calls, release };
}

async function subscribe(p: string, url: string) {
  const r = await api("POST", `/v1/projects/${p}/webhooks`, { body: { url } });
  if (r.status !== 201) throw new Error(r.text);
  return r.json;
}

describe("webhook delivery log before the first attempt", { timeout: 20_000 }, () => {
  it("lists a delivery as pending as soon as its alert is stored, then delivered after the receiver answers", async ({ expect }) => {
    const p = uniqueProject("pend");
    const receiver = heldReceiver();
    const sub = await subscribe(p, "https://sub.example/pending?token=abc");
    const [alert] = await postAlerts(p, { title: "disk full", level: "error" });

    // The POST has returned: the row is there, before any attempt.
    const [pending, ...more] = await deliveries(p);
    expect(more).toEqual([]);
    expect(pending).toMatchObject({
      status: "pending",
      attempts: 0,
      alert_id: alert.alert_id,
      webhook_id: sub.id,
      kind: "generic",
      url: "https://sub.example/pending?…",
      last_status: null,
      last_error: null,
      delivered_at: null,
    });
    expect(await deliveries(p, "pending")).toEqual([pending]);

    // The consumer is now waiting on the receiver; the log still says pending with 0 attempts.
    await until(() => receiver.calls.length, (n) => n === 1);
    expect(receiver.calls[0].get("webhook-id")).toBe(pending.id);
    expect(await deliveries(p)).toMatchObject([{ id: pending.id, status: "pending", attempts: 0 }]);

    receiver.release();
    const log = await until(() => deliveries(p), (d) => d.some((x) => x.status === "delivered"));
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ id: pending.id, status: "delivered", attempts: 1, last_status: 200, created_at: pending.created_at });
    expect(log[0].delivered_at).toMatch(/\+00:00$/);
  });

  it("lists a delivery the queue refused as pending, and delivered once the alarm re-sends it", async ({ expect }) => {
    const p = uniqueProject("pendq");
    const m = mockFetch(reply("ok"));
    cleanups.push(m.restore);
    await subscribe(p, "https://sub.example/refused");
    await postAlerts(p, { title: "warm-up", level: "info" });
    await until(() => deliveries(p), (d) => d.length === 1 && d[0].status === "delivered");
    await runInDurableObject(env.PROJECT_ALERTS.getByName(p), (instance: ProjectAlerts) => {
      const queue = (instance as unknown as { env: Env }).env.WEBHOOK_QUEUE;
      vi.spyOn(queue, "sendBatch").mockRejectedValueOnce(new Error("Queue send failed: 503"));
    });

    const [alert] = await postAlerts(p, { title: "refused once", level: "error" });
    const row = (await deliveries(p)).find((d) => d.alert_id === alert.alert_id);
    expect(row).toMatchObject({ status: "pending", attempts: 0 });

    // The alarm re-sends it about 1 s later; the log keeps one row for it.
    const log = await until(() => deliveries(p), (d) => d.find((x) => x.id === row.id)?.status === "delivered");
    expect(log.filter((d) => d.alert_id === alert.alert_id)).toEqual([expect.objectContaining({ id: row.id, attempts: 1, created_at: row.created_at })]);
    expect(m.calls.filter((c) => c.headers["webhook-id"] === row.id)).toHaveLength(1);
  });
});

describe("pending rows and the consumers", () => {
  /** The job the outbox would send for a subscription of a fresh project, listed as pending. */
  async function listedJob() {
    const p = uniqueProject("pendc");
    const sub = await subscribe(p, "https://receiver.example/hook");
    const job = makeJob({ project: p, webhook_id: sub.id, url: "https://receiver.example/hook" });
    const pending = { id: job.delivery_id, project: p, webhookId: sub.id, alertId: job.alert.alert_id, url: "https://receiver.example/hook", kind: "generic", createdAt: job.created_at };
    await insertPendingDeliveries(env.DB, [pending], "2026-11-28T16:57:01+00:00");
    return { p, job, pending };
  }

  it("a failed attempt updates the pending row (one row, attempts and status recorded)", async ({ expect }) => {
    const { p, job } = await listedJob();
    cleanups.push(mockFetch(reply("boom", { status: 500 })).restore);
    const r = await runQueue(Q, [{ id: "m1", body: job }]);
    expect(r.retryMessages).toEqual([{ msgId: "m1" }]);
    expect(await deliveries(p)).toEqual([
      expect.objectContaining({ id: job.delivery_id, status: "pending", attempts: 1, last_status: 500, last_error: "HTTP 500", created_at: job.created_at }),
    ]);
  });

  it("the dead-letter consumer marks the pending row failed", async ({ expect }) => {
    const { p, job } = await listedJob();
    const r = await runQueue(DLQ, [{ id: "d1", body: job }]);
    expect(r.explicitAcks).toEqual(["d1"]);
    expect(await deliveries(p)).toEqual([expect.objectContaining({ id: job.delivery_id, status: "failed", last_error: "retries exhausted" })]);
  });

  it("listing a delivery again never takes a delivered row back to pending", async ({ expect }) => {
    const { p, job, pending } = await listedJob();
    cleanups.push(mockFetch(reply("ok")).restore);
    await runQueue(Q, [{ id: "m1", body: job }]);
    // As when the log write lands after the consumer's, or the alarm re-sends a row.
    await insertPendingDeliveries(env.DB, [pending, { ...pending, id: `${pending.id}x` }], "2026-11-28T16:59:00+00:00");
    const log = await deliveries(p);
    expect(log.find((d) => d.id === job.delivery_id)).toMatchObject({ status: "delivered", attempts: 1, last_status: 200 });
    expect(log.find((d) => d.id === `${job.delivery_id}x`)).toMatchObject({ status: "pending", attempts: 0 });
    expect(log).toHaveLength(2);
  });
});
