import { describe, it } from "vitest";
import { checkWebhookUrl, detectKind } from "../../src/webhooks/targets";
import { api, createKey, uniqueProject } from "../helpers/api";

const hooks = (p: string) => `/v1/projects/${p}/webhooks`;

describe("webhook subscriptions REST", () => {
  it("creates a subscription, shows its secret once, and lists it without secrets", async ({ expect }) => {
    const p = uniqueProject("wh");
    const slack = "https://hooks.slack.com/services/T0001/B0001/abcdefSECRET";
    const created = await api("POST", hooks(p), { body: { url: slack, min_level: "WARN", run: "bright-sun-7" } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ project: p, url: slack, kind: "slack", min_level: "warn", run: "bright-sun-7", enabled: true, disabled_reason: null });
    expect(created.json.id).toMatch(/^wh_/);
    expect(created.json.secret).toMatch(/^whsec_/);

    const list = await api("GET", hooks(p));
    expect(list.status).toBe(200);
    expect(list.json.webhooks).toHaveLength(1);
    expect(list.json.webhooks[0]).toEqual({ ...created.json, secret: undefined, url: "https://hooks.slack.com/services/T0001/B0001/…" });
    expect(list.text).not.toContain("whsec_");
    expect(list.text).not.toContain("abcdefSECRET");
  });

  it("detects the kind from the URL as Trackio does, unless it is given", async ({ expect }) => {
    const p = uniqueProject("kind");
    const make = async (body: object) => (await api("POST", hooks(p), { body })).json.kind;
    expect(await make({ url: "https://discord.com/api/webhooks/1/t" })).toBe("discord");
    expect(await make({ url: "https://discordapp.com/api/webhooks/1/t" })).toBe("discord");
    expect(await make({ url: "https://example.com/in" })).toBe("generic");
    expect(await make({ url: "https://chat.example.com/slack-compatible", kind: "slack" })).toBe("slack");
    expect(detectKind("https://hooks.slack.com/services/x")).toBe("slack");
    expect(detectKind("https://discord.com/channels/1")).toBe("generic");
  });

  it("deletes a subscription and rotates its secret; unknown ids are 404", async ({ expect }) => {
    const p = uniqueProject("del");
    const a = (await api("POST", hooks(p), { body: { url: "https://example.com/a" } })).json;
    const rotated = await api("POST", `${hooks(p)}/${a.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.json.id).toBe(a.id);
    expect(rotated.json.secret).toMatch(/^whsec_/);
    expect(rotated.json.secret).not.toBe(a.secret);
    expect(await api("DELETE", `${hooks(p)}/${a.id}`)).toMatchObject({ status: 200, json: { deleted: true, id: a.id } });
    expect((await api("GET", hooks(p))).json.webhooks).toEqual([]);
    const missing = await api("DELETE", `${hooks(p)}/${a.id}`);
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe("not_found");
    expect((await api("POST", `${hooks(p)}/wh_nope/rotate-secret`)).status).toBe(404);
    // A subscription is reachable only through its own project.
    const other = uniqueProject("other");
    const b = (await api("POST", hooks(other), { body: { url: "https://example.com/b" } })).json;
    expect((await api("DELETE", `${hooks(p)}/${b.id}`)).status).toBe(404);
  });

  it("needs write scope to manage subscriptions and read scope for the delivery log", async ({ expect }) => {
    const p = uniqueProject("scope");
    await api("POST", hooks(p), { body: { url: "https://example.com/a" } });
    const reader = await createKey("read", [p]);
    const writer = await createKey("write", [p]);
    const stranger = await createKey("write", ["someone-else"]);
    expect((await api("POST", hooks(p), { token: reader, body: { url: "https://example.com/r" } })).status).toBe(403);
    expect((await api("GET", hooks(p), { token: reader })).status).toBe(403);
    expect((await api("GET", `${hooks(p)}/deliveries`, { token: reader })).status).toBe(200);
    expect((await api("POST", hooks(p), { token: writer, body: { url: "https://example.com/w" } })).status).toBe(201);
    expect((await api("GET", hooks(p), { token: stranger })).status).toBe(404);
    expect((await api("GET", hooks(p), { token: null })).status).toBe(401);
  });

  it("validates the body and the delivery query, naming the field", async ({ expect }) => {
    const p = uniqueProject("val");
    const noUrl = await api("POST", hooks(p), { body: { min_level: "warn" } });
    expect(noUrl.status).toBe(400);
    expect(noUrl.json.error.details[0].path).toBe("url");
    const level = await api("POST", hooks(p), { body: { url: "https://example.com", min_level: "loud" } });
    expect(level.status).toBe(400);
    expect(level.json.error.details[0].path).toBe("min_level");
    const kind = await api("POST", hooks(p), { body: { url: "https://example.com", kind: "teams" } });
    expect(kind.json.error.details[0].path).toBe("kind");
    await api("POST", hooks(p), { body: { url: "https://example.com" } });
    const status = await api("GET", `${hooks(p)}/deliveries?status=lost`);
    expect(status.status).toBe(400);
    expect(status.json.error.details[0].path).toBe("status");
    expect((await api("GET", `${hooks(p)}/deliveries?limit=0`)).json.error.details[0].path).toBe("limit");
    expect((await api("GET", `${hooks(uniqueProject("none"))}/deliveries`)).status).toBe(404);
  });

  it("refuses unsafe URLs with a 400 naming url and writes nothing", async ({ expect }) => {
    const p = uniqueProject("ssrf");
    const refused = [
      "http://example.com/hook", // plain http off loopback
      "ftp://example.com/hook",
      "not a url",
      "https://user:pass@example.com/hook",
      "https://10.1.2.3/hook",
      "https://172.16.0.1/hook",
      "https://172.31.255.255/hook",
      "https://192.168.1.10/hook",
      "https://169.254.169.254/latest/meta-data/",
      "https://100.64.0.1/hook",
      "https://0.0.0.0/hook",
      "https://0xa9.0xfe.0xa9.0xfe/", // 169.254.169.254 in hex, normalised by the URL parser
      "https://[fd12:3456::1]/hook",
      "https://[fe80::1]/hook",
      "https://[::ffff:192.168.0.1]/hook",
      "https://[::ffff:169.254.169.254]/hook",
      "https://metadata.google.internal/computeMetadata/v1/",
      "https://printer.local/hook",
    ];
    for (const url of refused) {
      const r = await api("POST", hooks(p), { body: { url } });
      expect(r.status, url).toBe(400);
      expect(r.json.error.code).toBe("invalid_request");
      expect(r.json.error.details[0].path, url).toBe("url");
      expect(r.json.error.message, url).toMatch(/url/);
    }
    expect((await api("GET", hooks(p))).json.webhooks).toEqual([]);
    // Public addresses are fine, IP literal or not.
    expect((await api("POST", hooks(p), { body: { url: "https://203.0.114.9/hook" } })).status).toBe(201);
    expect((await api("POST", hooks(p), { body: { url: "https://[2606:4700::1111]/hook" } })).status).toBe(201);
  });

  it("allows plain http only to loopback, and only when the deployment allows loopback", ({ expect }) => {
    const open = { allowLoopback: true };
    const closed = { allowLoopback: false };
    expect(checkWebhookUrl("http://127.0.0.1:8787/hook", open).ok).toBe(true);
    expect(checkWebhookUrl("http://localhost:8787/hook", open).ok).toBe(true);
    expect(checkWebhookUrl("http://[::1]:8787/hook", open).ok).toBe(true);
    expect(checkWebhookUrl("http://2130706433/hook", open).ok).toBe(true); // 127.0.0.1
    for (const url of ["http://127.0.0.1:8787/hook", "https://127.0.0.1/hook", "https://localhost/hook", "https://api.localhost/hook", "http://[::1]/", "https://2130706433/"]) {
      const r = checkWebhookUrl(url, closed);
      expect(r.ok, url).toBe(false);
    }
    expect(checkWebhookUrl("http://10.0.0.1/hook", open)).toEqual({ ok: false, reason: "url must use https (plain http is allowed only to loopback)" });
    expect(checkWebhookUrl("https://hooks.slack.com/services/a/b/c", closed).ok).toBe(true);
  });

  it("accepts a loopback receiver in this (loopback-allowed) deployment", async ({ expect }) => {
    const p = uniqueProject("lo");
    const r = await api("POST", hooks(p), { body: { url: "http://127.0.0.1:9/hook" } });
    expect(r.status).toBe(201);
    expect(r.json.kind).toBe("generic");
  });
});
