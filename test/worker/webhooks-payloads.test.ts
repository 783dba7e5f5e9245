import { afterEach, describe, it } from "vitest";
import type { WebhookKind } from "../../src/contract";
import { payloadBody } from "../../src/webhooks/payloads";
import { api, uniqueProject } from "../helpers/api";
import { makeJob, mockFetch, reply, runQueue, verifyStandardWebhook } from "../helpers/webhooks";
import golden from "./fixtures/webhook-payloads.golden.json";

type Case = (typeof golden.cases)[number];
const KINDS: WebhookKind[] = ["generic", "slack", "discord"];
const URLS: Record<WebhookKind, string> = {
  generic: "https://receiver.example/hooks/trackflare",
  slack: "https://hooks.slack.com/services/T000/B000/XXXXXXXX",
  discord: "https://discord.com/api/webhooks/123/tok-en",
};

const alertOf = (c: Case) => ({
  alert_id: "a1",
  level: c.level as "info" | "warn" | "error",
  title: c.title,
  text: c.text,
  run: c.run,
  run_id: null,
  step: c.step,
  timestamp: c.timestamp,
});

let restore: (() => void) | undefined;
afterEach(() => restore?.());

describe("webhook payloads", () => {
  for (const c of golden.cases) {
    for (const kind of KINDS) {
      it(`${kind}: ${c.name} is byte-identical to Trackio's body`, ({ expect }) => {
        expect(payloadBody(kind, c.project, alertOf(c))).toBe(c.bodies[kind]);
      });
    }
  }

  it("sends each format, as the consumer POSTs it, with the golden body and the right headers", async ({ expect }) => {
    const c = golden.cases[0];
    const m = mockFetch(reply("ok"));
    restore = m.restore;
    const jobs = KINDS.map((kind) => makeJob({ kind, url: URLS[kind], project: c.project, alert: alertOf(c) }));
    const result = await runQueue("trackflare-webhooks", jobs.map((j, i) => ({ id: `m${i}`, body: j })));
    expect(result.explicitAcks.sort()).toEqual(["m0", "m1", "m2"]);
    expect(m.calls).toHaveLength(3);
    for (const [i, kind] of KINDS.entries()) {
      const call = m.calls.find((x) => x.url === URLS[kind])!;
      expect(call.method).toBe("POST");
      expect(call.body).toBe(c.bodies[kind]);
      expect(call.headers["content-type"]).toBe("application/json");
      expect(call.redirect).toBe("manual");
      // Standard Webhooks headers only on generic deliveries.
      expect(call.headers["webhook-id"]).toBe(kind === "generic" ? jobs[i].delivery_id : undefined);
    }
  });

  it("signs generic deliveries so that an independent verifier accepts them, and rotation changes the key", async ({ expect }) => {
    const p = uniqueProject("sig");
    const created = await api("POST", `/v1/projects/${p}/webhooks`, { body: { url: "https://receiver.example/signed" } });
    expect(created.status).toBe(201);
    const secret: string = created.json.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);

    const m = mockFetch(reply(null, { status: 204 }));
    restore = m.restore;
    const job = makeJob({ project: p, webhook_id: created.json.id, url: "https://receiver.example/signed" });
    await runQueue("trackflare-webhooks", [{ id: "s1", body: job }]);
    const call = m.calls[0];
    expect(call.headers["webhook-id"]).toBe(job.delivery_id);
    expect(Math.abs(Number(call.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(5);
    expect(call.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(await verifyStandardWebhook(secret, call.headers, call.body)).toBe(true);
    // A tampered body, a wrong secret, or a stale timestamp fail the same verifier.
    expect(await verifyStandardWebhook(secret, call.headers, call.body.replace("warn", "info"))).toBe(false);
    expect(await verifyStandardWebhook(`whsec_${btoa("another secret, 24 bytes")}`, call.headers, call.body)).toBe(false);
    expect(await verifyStandardWebhook(secret, call.headers, call.body, Date.now() / 1000 + 600)).toBe(false);

    const rotated = await api("POST", `/v1/projects/${p}/webhooks/${created.json.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).not.toBe(secret);
    const again = makeJob({ project: p, webhook_id: created.json.id, url: "https://receiver.example/signed" });
    await runQueue("trackflare-webhooks", [{ id: "s2", body: again }]);
    const second = m.calls[1];
    expect(await verifyStandardWebhook(rotated.json.secret, second.headers, second.body)).toBe(true);
    expect(await verifyStandardWebhook(secret, second.headers, second.body)).toBe(false);
  });

  it("sends a run's own generic webhook (no secret) with webhook-id and timestamp but no signature", async ({ expect }) => {
    const m = mockFetch(reply("ok"));
    restore = m.restore;
    const job = makeJob();
    await runQueue("trackflare-webhooks", [{ id: "u1", body: job }]);
    expect(m.calls[0].headers["webhook-id"]).toBe(job.delivery_id);
    expect(m.calls[0].headers["webhook-timestamp"]).toMatch(/^\d{10}$/);
    expect(m.calls[0].headers["webhook-signature"]).toBeUndefined();
  });

  it("cuts text beyond Discord's embed limits instead of sending a body Discord would reject", ({ expect }) => {
    const body = JSON.parse(payloadBody("discord", "p", { ...alertOf(golden.cases[0]), title: "t".repeat(1000), text: "x".repeat(5000) }));
    expect([...body.embeds[0].title].length).toBe(256);
    expect(body.embeds[0].title.endsWith("…")).toBe(true);
    expect(body.embeds[0].description.length).toBe(4096);
  });
});
