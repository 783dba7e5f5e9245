import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, it, vi } from "vitest";
import { api, createRun, logEntries, uniqueProject } from "../helpers/api";
import { addRule, patchSettings, series } from "../helpers/rules";
import { mockFetch, reply, type Captured } from "../helpers/webhooks";

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
  vi.restoreAllMocks();
});

async function callsUntil(calls: Captured[], n: number, timeoutMs = 8000): Promise<Captured[]> {
  const end = Date.now() + timeoutMs;
  while (calls.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  return calls;
}

const bodyOf = (c: Captured) => JSON.parse(c.body) as { title: string; text: string | null; level: string; run: string; step: number | null };

describe("rule and detector alerts reach webhooks", { timeout: 20_000 }, () => {
  it("delivers a rule's alert to the project's subscription", async ({ expect }) => {
    const p = uniqueProject("rw");
    const m = mockFetch(reply("ok"));
    restore = m.restore;
    await api("POST", `/v1/projects/${p}/webhooks`, { body: { url: "https://hooks.example/rules", min_level: "warn" } });
    const run = await createRun(p, { name: "r1" });
    await addRule(p, { metric: "loss", condition: { type: "gt", value: 3 }, level: "error", title: "Loss diverged", text: "loss={value:.2f} at step {step}" });
    await logEntries(p, run.id, series("loss", [1, 2, 4.5, 5]));
    const calls = await callsUntil(m.calls, 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(calls.map((c) => [c.url, bodyOf(c).title, bodyOf(c).text, bodyOf(c).level, bodyOf(c).step])).toEqual([
      ["https://hooks.example/rules", "Loss diverged", "loss=4.50 at step 2", "error", 2],
    ]);
  });

  it("delivers the stale detector's alert, raised by the alarm, to the run's own webhook_url", async ({ expect }) => {
    const p = uniqueProject("sw");
    const m = mockFetch(reply("ok"));
    restore = m.restore;
    await patchSettings(p, { stale_after: 1 });
    const run = await createRun(p, { name: "quiet", webhook_url: "https://hooks.example/run-own", webhook_min_level: "warn" });
    await logEntries(p, run.id, [{ metrics: { x: 1 } }]);
    await new Promise((r) => setTimeout(r, 1300));
    await runDurableObjectAlarm(env.PROJECT_ALERTS.getByName(p));
    const calls = await callsUntil(m.calls, 1);
    expect(calls.map((c) => [c.url, bodyOf(c).title, bodyOf(c).level, bodyOf(c).run])).toEqual([["https://hooks.example/run-own", "Run stopped reporting", "warn", "quiet"]]);
  });
});
