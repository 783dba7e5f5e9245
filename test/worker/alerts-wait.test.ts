import { describe, it } from "vitest";
import { api, createKey, uniqueProject } from "../helpers/api";
import { postAlerts } from "../helpers/alerts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const wait = (p: string, q: string, token?: string) => api("GET", `/v1/projects/${p}/alerts/wait?${q}`, { token });

describe("waiting for alerts", () => {
  it("returns as soon as a matching alert is stored, not at the timeout", async ({ expect }) => {
    const p = uniqueProject("wait");
    await postAlerts(p, { title: "old" });
    const t0 = Date.now();
    const waiting = wait(p, "timeout=30&level=error");
    await sleep(200);
    const posted = Date.now();
    await postAlerts(p, { title: "bad", level: "error" });
    const r = await waiting;
    expect(r.json).toMatchObject({ timed_out: false, next_cursor: 2 });
    expect(r.json.alerts.map((a: any) => a.title)).toEqual(["bad"]);
    expect(Date.now() - posted).toBeLessThan(1000);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it("times out with an empty result after `timeout` seconds", async ({ expect }) => {
    const p = uniqueProject("timeout");
    await postAlerts(p, { title: "already there" });
    const t0 = Date.now();
    const r = await wait(p, "timeout=0.5");
    const took = Date.now() - t0;
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ alerts: [], timed_out: true, next_cursor: 1 });
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(3000);
  });

  it("with a cursor, returns alerts already stored after it at once", async ({ expect }) => {
    const p = uniqueProject("cursor");
    await postAlerts(p, [{ title: "1" }, { title: "2" }, { title: "3" }]);
    const t0 = Date.now();
    const r = await wait(p, "timeout=30&cursor=1");
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(r.json).toMatchObject({ timed_out: false, next_cursor: 3 });
    expect(r.json.alerts.map((a: any) => a.title)).toEqual(["3", "2"]);
  });

  it("with since, returns alerts already after it at once", async ({ expect }) => {
    const p = uniqueProject("since");
    await postAlerts(p, [{ title: "early", timestamp: "2026-01-01T00:00:00Z" }, { title: "late", timestamp: "2026-01-02T00:00:00Z" }]);
    const r = await wait(p, "timeout=30&since=2026-01-01T12:00:00%2B00:00");
    expect(r.json.alerts.map((a: any) => a.title)).toEqual(["late"]);
  });

  it("ignores alerts that do not match and keeps waiting for one that does", async ({ expect }) => {
    const p = uniqueProject("nomatch");
    const waiting = wait(p, "timeout=1&min_level=error&run=train");
    await sleep(100);
    await postAlerts(p, { title: "warn only", level: "warn" });
    const r = await waiting;
    expect(r.json).toMatchObject({ alerts: [], timed_out: true, next_cursor: 1 });
  });

  it("wakes every concurrent waiter from one store", async ({ expect }) => {
    const p = uniqueProject("many");
    const waiters = Array.from({ length: 20 }, () => wait(p, "timeout=20"));
    await sleep(300);
    const posted = Date.now();
    await postAlerts(p, { title: "all of you" });
    const results = await Promise.all(waiters);
    expect(Date.now() - posted).toBeLessThan(2000);
    expect(results.every((r) => r.json.timed_out === false && r.json.alerts[0]?.title === "all of you")).toBe(true);
  });

  it("waits on a project that does not exist yet", async ({ expect }) => {
    const p = uniqueProject("later");
    const waiting = wait(p, "timeout=10");
    await sleep(200);
    await postAlerts(p, { title: "first ever" });
    expect((await waiting).json.alerts.map((a: any) => a.title)).toEqual(["first ever"]);
  });

  it("rejects a timeout above the cap or below zero with a 400 naming it", async ({ expect }) => {
    const p = uniqueProject("cap");
    for (const t of ["61", "-1", "soon"]) {
      const r = await wait(p, `timeout=${t}`);
      expect(r.status, t).toBe(400);
      expect(r.json.error.details[0].path).toBe("timeout");
    }
  });

  it("answers a hidden project like a missing one: empty after the timeout", async ({ expect }) => {
    const p = uniqueProject("mine");
    const hidden = uniqueProject("theirs");
    await postAlerts(hidden, { title: "secret" });
    const key = await createKey("read", [p]);
    const t0 = Date.now();
    const r = await wait(hidden, "timeout=0.3&cursor=0", key);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ alerts: [], next_cursor: 0, has_more: false, timed_out: true });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });
});
