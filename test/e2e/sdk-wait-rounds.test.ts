import { describe, inject, it } from "vitest";
import { Api, AuthenticationError } from "../../sdk/src/index";
import { uniqueProject } from "../helpers/alerts-e2e";
import { flakyProxy } from "../helpers/flaky-proxy";

// `waitForAlert` is what an agent blocks on for minutes: a round lost to a reload or a dropped
// connection must be waited again, never surface as an exception before the caller's timeout.

const admin = () => new Api({ url: inject("baseUrl"), token: inject("adminToken") });
const isWait = (url: string | undefined) => (url ?? "").includes("/alerts/wait");

describe("waitForAlert across failing rounds", () => {
  it("re-issues a dropped round and a 503 round, and returns the alert raised meanwhile", async ({ expect }) => {
    const project = uniqueProject("wait-rounds");
    await admin().client.alerts.create(project, { title: "before", level: "info" });
    const { next_cursor: start } = await admin().client.alerts.list(project);
    let waits = 0;
    const proxy = await flakyProxy(inject("baseUrl"), (req) => (isWait(req.url) ? (["drop", 503] as const)[waits++] ?? "pass" : "pass"));
    try {
      const api = new Api({ url: proxy.url, token: inject("adminToken") });
      const waiting = api.waitForAlert(project, { cursor: start, minLevel: "error", timeout: 30 });
      // Raised while the rounds fail or wait: the round that reaches the server finds it from the cursor.
      await admin().client.alerts.create(project, { title: "diverged", level: "error" });
      const res = await waiting;
      expect(res.timed_out).toBe(false);
      expect(res.alerts.map((a) => a.title)).toEqual(["diverged"]);
      expect(proxy.seen.filter((s) => isWait(s.path)).map((s) => s.verdict).slice(0, 3)).toEqual(["drop", 503, "pass"]);
    } finally {
      await proxy.close();
    }
  });

  it("answers timed_out, not an error, when no round gets through before the timeout", async ({ expect }) => {
    const proxy = await flakyProxy(inject("baseUrl"), (req) => (isWait(req.url) ? 502 : "pass"));
    try {
      const res = await new Api({ url: proxy.url, token: inject("adminToken") }).waitForAlert(uniqueProject("wait-down"), { cursor: 0, timeout: 2 });
      expect(res).toEqual({ alerts: [], next_cursor: 0, has_more: false, timed_out: true });
      expect(proxy.seen.length).toBeGreaterThan(1);
    } finally {
      await proxy.close();
    }
  });

  it("without a cursor, fixes its start first, so an alert raised during a dropped round still counts", async ({ expect }) => {
    const project = uniqueProject("wait-nocursor");
    await admin().client.alerts.create(project, { title: "old", level: "error" });
    let dropped = false;
    const proxy = await flakyProxy(inject("baseUrl"), (req) => (isWait(req.url) && !dropped ? ((dropped = true), "drop") : "pass"));
    try {
      const waiting = new Api({ url: proxy.url, token: inject("adminToken") }).waitForAlert(project, { minLevel: "error", timeout: 30 });
      while (!dropped) await new Promise((r) => setTimeout(r, 20));
      await admin().client.alerts.create(project, { title: "new", level: "error" });
      expect((await waiting).alerts.map((a) => a.title)).toEqual(["new"]);
    } finally {
      await proxy.close();
    }
  });

  it("still throws a refusal at once: a wrong key is not retried", async ({ expect }) => {
    const api = new Api({ url: inject("baseUrl"), token: "tf_wrong" });
    await expect(api.waitForAlert(uniqueProject("wait-401"), { cursor: 0, timeout: 30 })).rejects.toBeInstanceOf(AuthenticationError);
  });
});
