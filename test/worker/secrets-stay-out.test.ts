import { env } from "cloudflare:workers";
import { describe, it, vi } from "vitest";
import { getDb } from "../../src/db/client";
import { insertRunIfAbsent } from "../../src/db/runs";
import { describeFailure, logFailure } from "../../src/log";
import { checkWebhookUrl, redactUrl } from "../../src/webhooks/targets";
import { api, uniqueProject } from "../helpers/api";

const SLACK_TOKEN = "xoxbSECRETtoken123";
const SLACK = `https://hooks.slack.com/services/T0001/B0001/${SLACK_TOKEN}`;

describe("the server log", () => {
  it("describes a failed statement without its bound parameters, in a bounded record", async ({ expect }) => {
    const row = {
      id: "f".repeat(32),
      project: uniqueProject("no-such-project"), // the foreign key refuses it
      name: "r",
      config: { blob: "c".repeat(8 * 1024 * 1024) },
      createdAt: "2026-01-01T00:00:00+00:00",
      createdUs: 0,
      updatedAt: "2026-01-01T00:00:00+00:00",
      webhookUrl: SLACK,
    };
    const err = await insertRunIfAbsent(getDb(env.DB), row, false).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).toContain(SLACK_TOKEN); // what drizzle itself puts in the message
    const record = describeFailure(err);
    expect(record).not.toContain(SLACK_TOKEN);
    expect(record).not.toContain("ccccccccc");
    expect(record.length).toBeLessThanOrEqual(2100);
    expect(record).toMatch(/cause Error: D1_ERROR/);

    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    logFailure("unhandled", err, "POST", "/v1/projects/:project/runs", "x".repeat(10_000));
    const line = spy.mock.calls[0].map(String).join(" ");
    spy.mockRestore();
    expect(line).not.toContain(SLACK_TOKEN);
    expect(line.length).toBeLessThan(2500);
  });

  it("does not echo the path segment of a key that is not found", async ({ expect }) => {
    const r = await api("DELETE", "/v1/keys/tf_pasted_secret_value_1234");
    expect(r.status).toBe(404);
    expect(r.text).not.toContain("pasted_secret");
    expect(r.json.error.code).toBe("not_found");
  });
});

describe("webhook URLs in listings", () => {
  it("masks Slack and Discord tokens however the URL is written, whatever its declared kind", ({ expect }) => {
    const cases: [string, "slack" | "discord" | "generic", string][] = [
      [SLACK, "slack", "https://hooks.slack.com/services/T0001/B0001/…"],
      [`${SLACK}/`, "slack", "https://hooks.slack.com/services/T0001/B0001/…"],
      [SLACK.replace("hooks.slack.com", "HOOKS.SLACK.COM"), "generic", "https://hooks.slack.com/services/T0001/B0001/…"],
      [SLACK.replace("hooks.slack.com", "hooks.slack.com."), "generic", "https://hooks.slack.com./services/T0001/B0001/…"],
      ["https://hooks.slack.com/workflows/T1/A2/SECRET", "slack", "https://hooks.slack.com/workflows/…"],
      ["https://discord.com/api/webhooks/123/SECRET", "discord", "https://discord.com/api/webhooks/123/…"],
      ["https://discord.com/api/webhooks/123/SECRET/slack", "generic", "https://discord.com/api/webhooks/123/…"],
      ["https://discord.com/api/webhooks/123/SECRET/github", "discord", "https://discord.com/api/webhooks/123/…"],
      ["https://discord.com/api/v10/webhooks/123/SECRET", "generic", "https://discord.com/api/v10/webhooks/123/…"],
      ["https://DISCORDAPP.com/api/webhooks/123/SECRET/", "generic", "https://discordapp.com/api/webhooks/123/…"],
      ["https://chat.example.com/hook/SECRET", "slack", "https://chat.example.com/hook/…"],
      ["https://example.com/hook?token=SECRET#SECRET", "generic", "https://example.com/hook?…"],
    ];
    for (const [url, kind, shown] of cases) {
      expect(redactUrl(url, kind), url).toBe(shown);
      expect(redactUrl(url, kind)).not.toContain("SECRET");
    }
  });

  it("lists a Slack URL subscribed as generic with its token masked", async ({ expect }) => {
    const p = uniqueProject("mask");
    await api("POST", `/v1/projects/${p}/runs`, { body: { name: "r" } });
    const created = await api("POST", `/v1/projects/${p}/webhooks`, { body: { url: `${SLACK}/`, kind: "generic" } });
    expect(created.status).toBe(201);
    const list = await api("GET", `/v1/projects/${p}/webhooks`);
    expect(list.text).not.toContain(SLACK_TOKEN);
    expect(list.json.webhooks[0].url).toBe("https://hooks.slack.com/services/T0001/B0001/…");
  });
});

describe("the SSRF check", () => {
  it("refuses IPv6 literals that embed a private IPv4 address (6to4, Teredo, ISATAP) and keeps public ones", ({ expect }) => {
    const closed = { allowLoopback: false };
    for (const host of ["[2002:a9fe:a9fe::]", "[2002:0a00:0001::1]", "[2002:c0a8:0101::]", "[2002:7f00:1::]", "[2001:0:4136:e378:8000:63bf:3fff:fdd2]", "[2001:0::1]", "[2600:1::5efe:a00:1]", "[2600:1::200:5efe:c0a8:101]"]) {
      const check = checkWebhookUrl(`https://${host}/hook`, closed);
      expect(check.ok, host).toBe(false);
    }
    for (const host of ["[2002:0808:0808::1]", "[2600:1::5efe:808:808]", "[2606:4700::1111]"]) {
      expect(checkWebhookUrl(`https://${host}/hook`, closed).ok, host).toBe(true);
    }
  });
});
