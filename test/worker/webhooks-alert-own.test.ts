import { afterEach, describe, it, vi } from "vitest";
import { api, createRun, uniqueProject } from "../helpers/api";
import { postAlerts } from "../helpers/alerts";
import { mockFetch, reply, type Captured } from "../helpers/webhooks";
import { until } from "../helpers/until";

// Trackio's alert(webhook_url=…): an alert's own webhook replaces its run's for that alert, obeys
// the run's webhook_min_level, and is checked like any webhook URL before anything is stored.

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
  vi.restoreAllMocks();
});

const titlesTo = (calls: Captured[], url: string) => calls.filter((c) => c.url === url).map((c) => JSON.parse(c.body).title as string).sort();
const deliveries = async (project: string) => (await api("GET", `/v1/projects/${project}/webhooks/deliveries`)).json.deliveries as any[];

describe("an alert's own webhook_url", { timeout: 20_000 }, () => {
  it("goes to its own URL instead of its run's, at the run's min level, besides the subscriptions", async ({ expect }) => {
    const p = uniqueProject("own");
    const m = mockFetch(reply("ok"));
    restore = m.restore;
    await api("POST", `/v1/projects/${p}/webhooks`, { body: { url: "https://sub.example/all" } });
    await createRun(p, { name: "r1", webhook_url: "https://run.example/hook", webhook_min_level: "warn" });
    await createRun(p, { name: "r2", webhook_min_level: "error" });
    await postAlerts(p, [
      { title: "to-run", level: "warn", run: "r1" },
      { title: "to-own", level: "warn", run: "r1", webhook_url: "https://own.example/a" },
      { title: "own-below-min", level: "info", run: "r1", webhook_url: "https://own.example/a" },
      { title: "own-no-run-hook", level: "error", run: "r2", webhook_url: "https://own.example/b" },
      { title: "own-r2-below-min", level: "warn", run: "r2", webhook_url: "https://own.example/b" },
      { title: "own-no-run", level: "info", webhook_url: "https://own.example/c" },
      { title: "own-is-subscribed", level: "warn", run: "r1", webhook_url: "https://sub.example/all" },
    ]);
    // 7 to the subscription, 1 to the run's URL, 1 + 1 + 1 to the alerts' own URLs.
    const calls = await until(() => m.calls, (c) => c.length >= 11);
    await new Promise((r) => setTimeout(r, 300));
    expect(m.calls).toHaveLength(11);
    expect(titlesTo(calls, "https://run.example/hook")).toEqual(["to-run"]);
    expect(titlesTo(calls, "https://own.example/a")).toEqual(["to-own"]);
    expect(titlesTo(calls, "https://own.example/b")).toEqual(["own-no-run-hook"]);
    expect(titlesTo(calls, "https://own.example/c")).toEqual(["own-no-run"]);
    expect(titlesTo(calls, "https://sub.example/all")).toHaveLength(7);
    const log = await until(() => deliveries(p), (d) => d.length === 11 && d.every((x) => x.status === "delivered"));
    expect(log.filter((d) => d.webhook_id === null)).toHaveLength(4);
  });

  it("is checked like any webhook URL: a private address is refused with a 400 naming it, and nothing is stored", async ({ expect }) => {
    const p = uniqueProject("own-bad");
    await createRun(p, { name: "r" });
    const bad = await api("POST", `/v1/projects/${p}/alerts`, {
      body: { alerts: [{ title: "fine", run: "r" }, { title: "ssrf", run: "r", webhook_url: "https://169.254.169.254/latest" }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toBe("alerts.1.webhook_url");
    const notUrl = await api("POST", `/v1/projects/${p}/alerts`, { body: { title: "x", run: "r", webhook_url: "not a url" } });
    expect(notUrl.status).toBe(400);
    expect(notUrl.json.error.details[0].path).toBe("webhook_url");
    const stored = await api("GET", `/v1/projects/${p}/alerts`);
    expect(stored.json.alerts).toEqual([]);
  });
});
