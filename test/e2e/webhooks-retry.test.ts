import { afterAll, beforeAll, describe, inject, it } from "vitest";
import { Run } from "../../sdk/src/index";
import { verifyStandardWebhook } from "../helpers/standard-webhooks";
import { startReceiver } from "../helpers/webhook-receiver";
import { until } from "../helpers/until";

// The whole path under `wrangler dev` (ALLOW_LOOPBACK_WEBHOOKS=true there): REST alert → the project's
// Durable Object (outbox) → the local queue → the consumer → a receiver on 127.0.0.1 that fails three
// times per delivery, then the delivery log over REST.

const base = () => inject("baseUrl");

async function rest(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base()}${path}`, {
    method,
    headers: { authorization: `Bearer ${inject("adminToken")}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
  return JSON.parse(text);
}


let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver({ failuresPerDelivery: 3 });
});
afterAll(async () => {
  await receiver?.close();
});

describe("webhooks end to end", () => {
  it("delivers every alert at or above the minimum level after three failures, each webhook-id accepted once", async ({ expect }) => {
    const project = `e2e-hooks-${Date.now().toString(36)}`;
    const started = Date.now();
    const sub = await rest("POST", `/v1/projects/${project}/webhooks`, { url: `${receiver.url}/sub`, min_level: "warn" });
    expect(sub.kind).toBe("generic");
    // A run's own webhook (Trackio's init(webhook_url, webhook_min_level)) goes through the same path, unsigned.
    await rest("POST", `/v1/projects/${project}/runs`, { name: "r1", webhook_url: `${receiver.url}/run`, webhook_min_level: "error" });
    await rest("POST", `/v1/projects/${project}/alerts`, {
      alerts: [
        { title: "started", level: "info", run: "r1", step: 0 },
        { title: "loss rising", level: "warn", run: "r1", step: 10, text: "loss 2.3 → 4.1" },
        { title: "NaN loss", level: "error", run: "r1", step: 11 },
        { title: "grad norm high", level: "warn", run: "r1", step: 12 },
      ],
    });

    // 3 subscription deliveries (warn, error, warn) + 1 for the run (error), each 3 × 503 then 200.
    const log = await until(
      async () => (await rest("GET", `/v1/projects/${project}/webhooks/deliveries`)).deliveries as any[],
      (d) => d.length === 4 && d.every((x) => x.status === "delivered"),
      { timeoutMs: 45_000, intervalMs: 250 },
    );
    const elapsed = Date.now() - started;
    for (const d of log) expect(d).toMatchObject({ status: "delivered", attempts: 4, last_status: 200, last_error: null });

    const bySub = receiver.received.filter((r) => r.path === "/sub");
    const byRun = receiver.received.filter((r) => r.path === "/run");
    expect(bySub).toHaveLength(12);
    expect(byRun).toHaveLength(4);
    const okSub = bySub.filter((r) => r.status === 200);
    expect(okSub.map((r) => JSON.parse(r.body).title).sort()).toEqual(["NaN loss", "grad norm high", "loss rising"]);
    expect(byRun.filter((r) => r.status === 200).map((r) => JSON.parse(r.body))).toEqual([
      { level: "error", title: "NaN loss", text: null, project, run: "r1", step: 11, timestamp: expect.stringMatching(/\+00:00$/) },
    ]);

    // Every delivery kept its webhook-id across attempts, was accepted exactly once, and matches the log.
    const ids = new Set(receiver.received.filter((r) => r.path === "/sub" || r.path === "/run").map((r) => r.headers["webhook-id"]));
    expect(ids).toEqual(new Set(log.map((d) => d.id)));
    for (const id of ids) {
      expect(receiver.attempts.get(id)).toBe(4);
      expect(receiver.accepted.get(id)).toBe(1);
    }
    // Every attempt to the subscription is signed with its secret (and re-stamped); the run's are not signed.
    for (const r of bySub) expect(await verifyStandardWebhook(sub.secret, r.headers, r.body)).toBe(true);
    for (const r of byRun) expect(r.headers["webhook-signature"]).toBeUndefined();
    // The quick retries (about 1, 2 and 4 s plus the queue's 1 s batching) keep this well under a minute.
    expect(elapsed).toBeLessThan(45_000);

    const delivered = await rest("GET", `/v1/projects/${project}/webhooks/deliveries?status=delivered&limit=2`);
    expect(delivered.deliveries).toHaveLength(2);
    const pending = await rest("GET", `/v1/projects/${project}/webhooks/deliveries?status=pending`);
    expect(pending.deliveries).toEqual([]);
  });

  it("delivers an SDK alert's own webhook_url instead of its run's, at the run's min level", async ({ expect }) => {
    const project = `e2e-own-hook-${Date.now().toString(36)}`;
    const run = await Run.start({ project, name: "own", url: base(), token: inject("adminToken"), quiet: true, exitHook: false, webhook_url: `${receiver.url}/sdk-run`, webhook_min_level: "warn" });
    run.log({ loss: 1 });
    run.alert("to the run", null, "error");
    run.alert("to its own", "lr 0.5", "warn", 3, `${receiver.url}/sdk-own`);
    run.alert("below min", null, "info", null, `${receiver.url}/sdk-own`);
    await run.finish();
    const ok = (path: string) => receiver.received.filter((r) => r.path === path && r.status === 200).map((r) => JSON.parse(r.body));
    await until(() => ok("/sdk-run").length + ok("/sdk-own").length, (n) => n >= 2, { timeoutMs: 45_000, intervalMs: 250 });
    await new Promise((r) => setTimeout(r, 500));
    expect(ok("/sdk-run").map((b) => b.title)).toEqual(["to the run"]);
    expect(ok("/sdk-own")).toEqual([{ level: "warn", title: "to its own", text: "lr 0.5", project, run: "own", step: 3, timestamp: expect.stringMatching(/\+00:00$/) }]);
  });
});
