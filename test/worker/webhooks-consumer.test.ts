import { afterEach, describe, it } from "vitest";
import { api, uniqueProject } from "../helpers/api";
import { makeJob, mockFetch, reply, runQueue } from "../helpers/webhooks";

const Q = "trackflare-webhooks";
const DLQ = "trackflare-webhooks-dlq";

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

function replies(...r: Parameters<typeof mockFetch>) {
  const m = mockFetch(...r);
  restore = m.restore;
  return m;
}

/** A project with one subscription; the job is for that subscription. */
async function subscribed(url = "https://receiver.example/hook") {
  const p = uniqueProject("cons");
  const created = await api("POST", `/v1/projects/${p}/webhooks`, { body: { url } });
  if (created.status !== 201) throw new Error(created.text);
  return { p, hook: created.json, job: makeJob({ project: p, webhook_id: created.json.id, url, kind: created.json.kind }) };
}

async function delivery(p: string, id: string) {
  const r = await api("GET", `/v1/projects/${p}/webhooks/deliveries`);
  return r.json.deliveries.find((d: any) => d.id === id);
}

describe("webhook consumer decisions", () => {
  it("acks a 200 and logs the delivery as delivered after one attempt", async ({ expect }) => {
    const { p, job } = await subscribed();
    const m = replies(reply("ok"));
    const r = await runQueue(Q, [{ id: "m1", body: job }]);
    expect(r.explicitAcks).toEqual(["m1"]);
    expect(r.retryMessages).toEqual([]);
    expect(m.calls).toHaveLength(1);
    expect(await delivery(p, job.delivery_id)).toMatchObject({
      status: "delivered",
      attempts: 1,
      last_status: 200,
      last_error: null,
      alert_id: job.alert.alert_id,
      webhook_id: job.webhook_id,
      kind: "generic",
    });
    expect((await delivery(p, job.delivery_id)).delivered_at).toMatch(/\+00:00$/);
  });

  it("retries a 500 with a short backoff and logs it pending with the status", async ({ expect }) => {
    const { p, job } = await subscribed();
    replies(reply("boom", { status: 500 }));
    const r = await runQueue(Q, [{ id: "m1", body: job, attempts: 2 }]);
    expect(r.retryMessages).toEqual([{ msgId: "m1" }]);
    expect(r.explicitAcks).toEqual([]);
    // Attempt 2 failed: about 2 s, ±20 % jitter.
    expect(r.delays.m1).toBeGreaterThanOrEqual(2);
    expect(r.delays.m1).toBeLessThanOrEqual(3);
    expect(await delivery(p, job.delivery_id)).toMatchObject({ status: "pending", attempts: 2, last_status: 500, last_error: "HTTP 500" });
  });

  it("backs off to minutes after the quick retries", async ({ expect }) => {
    const { job } = await subscribed();
    replies(reply("down", { status: 503 }));
    const r = await runQueue(Q, [{ id: "m4", body: job, attempts: 4 }]);
    expect(r.delays.m4).toBeGreaterThanOrEqual(240);
    expect(r.delays.m4).toBeLessThanOrEqual(360);
  });

  it("waits at least Slack's Retry-After on a 429", async ({ expect }) => {
    const { p, job } = await subscribed("https://hooks.slack.com/services/T1/B1/secret-token");
    replies(reply("rate_limited", { status: 429, headers: { "retry-after": "120" } }));
    const r = await runQueue(Q, [{ id: "s1", body: job }]);
    expect(job.kind).toBe("slack");
    expect(r.retryMessages).toEqual([{ msgId: "s1" }]);
    expect(r.delays.s1).toBe(120);
    const d = await delivery(p, job.delivery_id);
    expect(d).toMatchObject({ status: "pending", last_status: 429, kind: "slack" });
    // The log never shows the token in a Slack URL.
    expect(d.url).toBe("https://hooks.slack.com/services/T1/B1/…");
  });

  it("waits Discord's retry_after from the 429 JSON body", async ({ expect }) => {
    const { job } = await subscribed("https://discord.com/api/webhooks/42/tok");
    replies(reply(JSON.stringify({ message: "You are being rate limited.", retry_after: 64.57, global: false }), { status: 429, headers: { "content-type": "application/json" } }));
    const r = await runQueue(Q, [{ id: "d1", body: job }]);
    expect(r.retryMessages).toEqual([{ msgId: "d1" }]);
    expect(r.delays.d1).toBe(65);
  });

  it("fails a generic 404 without retrying, and keeps the subscription", async ({ expect }) => {
    const { p, hook, job } = await subscribed();
    replies(reply("nope", { status: 404 }));
    const r = await runQueue(Q, [{ id: "n1", body: job }]);
    expect(r.explicitAcks).toEqual(["n1"]);
    expect(r.retryMessages).toEqual([]);
    expect(await delivery(p, job.delivery_id)).toMatchObject({ status: "failed", attempts: 1, last_status: 404 });
    const list = await api("GET", `/v1/projects/${p}/webhooks`);
    expect(list.json.webhooks.find((w: any) => w.id === hook.id).enabled).toBe(true);
  });

  it("disables a Discord subscription that answers 404, and fails its later deliveries without sending", async ({ expect }) => {
    const { p, hook, job } = await subscribed("https://discordapp.com/api/webhooks/42/deleted");
    const m = replies(reply(JSON.stringify({ message: "Unknown Webhook", code: 10015 }), { status: 404 }));
    const r = await runQueue(Q, [{ id: "d404", body: job }]);
    expect(r.explicitAcks).toEqual(["d404"]);
    expect(await delivery(p, job.delivery_id)).toMatchObject({ status: "failed", last_status: 404 });
    const list = await api("GET", `/v1/projects/${p}/webhooks`);
    const w = list.json.webhooks.find((x: any) => x.id === hook.id);
    expect(w.enabled).toBe(false);
    expect(w.disabled_reason).toContain("404");

    const later = { ...job, delivery_id: `${job.delivery_id}x` };
    const r2 = await runQueue(Q, [{ id: "later", body: later }]);
    expect(r2.explicitAcks).toEqual(["later"]);
    expect(m.calls).toHaveLength(1);
    expect(await delivery(p, later.delivery_id)).toMatchObject({ status: "failed", last_status: null });
    expect((await delivery(p, later.delivery_id)).last_error).toContain("disabled");
  });

  it("retries a network error and a timeout, logging them without the URL", async ({ expect }) => {
    const secretPath = "/hook/s3cr3t-path";
    const { p, job } = await subscribed(`https://receiver.example${secretPath}`);
    replies(new TypeError(`Network connection lost to https://receiver.example${secretPath}`), new DOMException("The operation timed out.", "TimeoutError"));
    const r = await runQueue(Q, [{ id: "e1", body: job }]);
    expect(r.retryMessages).toEqual([{ msgId: "e1" }]);
    const d = await delivery(p, job.delivery_id);
    expect(d).toMatchObject({ status: "pending", last_status: null });
    expect(d.last_error).toMatch(/^network error: /);
    expect(d.last_error).not.toContain("s3cr3t");

    const r2 = await runQueue(Q, [{ id: "e1", body: job, attempts: 2 }]);
    expect(r2.retryMessages).toEqual([{ msgId: "e1" }]);
    expect(await delivery(p, job.delivery_id)).toMatchObject({ attempts: 2, last_error: "timed out after 10 s" });
  });

  it("acks a malformed job without sending anything", async ({ expect }) => {
    const m = replies(reply("ok"));
    const r = await runQueue(Q, [
      { id: "bad1", body: { hello: "world" } },
      { id: "bad2", body: "not even an object" },
      { id: "bad3", body: { ...makeJob(), kind: "carrier-pigeon" } },
    ]);
    expect(r.explicitAcks.sort()).toEqual(["bad1", "bad2", "bad3"]);
    expect(r.retryMessages).toEqual([]);
    expect(m.calls).toHaveLength(0);
  });

  it("decides per message: one failure does not retry the batch", async ({ expect }) => {
    const a = await subscribed("https://a.example/hook");
    const b = await subscribed("https://b.example/hook");
    replies((call) => reply(null, { status: call.url.startsWith("https://a.example") ? 200 : 502 }));
    const r = await runQueue(Q, [
      { id: "ok", body: a.job },
      { id: "fail", body: b.job },
    ]);
    expect(r.explicitAcks).toEqual(["ok"]);
    expect(r.retryMessages).toEqual([{ msgId: "fail" }]);
  });

  it("does not re-send a delivery the log already holds as delivered (a duplicate message)", async ({ expect }) => {
    const { job } = await subscribed();
    const m = replies(reply("ok"));
    await runQueue(Q, [{ id: "once", body: job }]);
    const again = await runQueue(Q, [{ id: "once-dup", body: job }]);
    expect(again.explicitAcks).toEqual(["once-dup"]);
    expect(m.calls).toHaveLength(1);
  });

  it("does not follow redirects and fails the delivery", async ({ expect }) => {
    const { p, job } = await subscribed();
    const m = replies(reply(null, { status: 302, headers: { location: "http://169.254.169.254/latest/meta-data" } }));
    const r = await runQueue(Q, [{ id: "r1", body: job }]);
    expect(r.explicitAcks).toEqual(["r1"]);
    expect(m.calls).toHaveLength(1);
    expect(m.calls[0].redirect).toBe("manual");
    expect(await delivery(p, job.delivery_id)).toMatchObject({ status: "failed", last_status: 302 });
  });

  it("refuses to send to an unsafe URL that reached the queue (a run's webhook_url is not checked at init)", async ({ expect }) => {
    const { p } = await subscribed();
    const m = replies(reply("ok"));
    const job = makeJob({ project: p, url: "https://169.254.169.254/latest/meta-data" });
    const r = await runQueue(Q, [{ id: "x", body: job }]);
    expect(r.explicitAcks).toEqual(["x"]);
    expect(m.calls).toHaveLength(0);
    expect((await delivery(p, job.delivery_id)).last_error).toMatch(/^refused: /);
  });

  it("fails a subscription's delivery once the subscription is deleted", async ({ expect }) => {
    const { p, hook, job } = await subscribed();
    expect((await api("DELETE", `/v1/projects/${p}/webhooks/${hook.id}`)).status).toBe(200);
    const m = replies(reply("ok"));
    const r = await runQueue(Q, [{ id: "gone", body: job }]);
    expect(r.explicitAcks).toEqual(["gone"]);
    expect(m.calls).toHaveLength(0);
    expect(await delivery(p, job.delivery_id)).toMatchObject({ status: "failed", last_error: "subscription deleted" });
  });

  it("records a dead-lettered delivery as failed, keeping its last error, and never undoes a delivery", async ({ expect }) => {
    const { p, job } = await subscribed();
    replies(reply("down", { status: 503 }));
    await runQueue(Q, [{ id: "last", body: job, attempts: 6 }]);
    const dl = await runQueue(DLQ, [{ id: "last", body: job }]);
    expect(dl.explicitAcks).toEqual(["last"]);
    expect(await delivery(p, job.delivery_id)).toMatchObject({ status: "failed", attempts: 6, last_status: 503, last_error: "HTTP 503 (retries exhausted)" });

    const done = makeJob({ project: p, webhook_id: job.webhook_id, url: job.url });
    restore!();
    replies(reply("ok"));
    await runQueue(Q, [{ id: "done", body: done }]);
    await runQueue(DLQ, [{ id: "done", body: done }]);
    expect(await delivery(p, done.delivery_id)).toMatchObject({ status: "delivered" });

    const unseen = makeJob({ project: p });
    await runQueue(DLQ, [{ id: "unseen", body: unseen }, { id: "junk", body: 42 }]);
    expect(await delivery(p, unseen.delivery_id)).toMatchObject({ status: "failed", attempts: 0, last_error: "retries exhausted" });
  });
});
