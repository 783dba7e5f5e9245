import { describe, it } from "vitest";
import { api, createRun, uniqueProject } from "../helpers/api";
import { getAlerts, postAlerts } from "../helpers/alerts";

describe("alerts REST", () => {
  it("stores an alert with its run resolved and returns it newest first with cursors", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r1" });
    const [a] = await postAlerts(p, { title: "loss spike", text: "loss 9.1", level: "warn", run: "r1", step: 7 });
    expect(a).toMatchObject({ cursor: 1, project: p, run: "r1", run_id: run.id, title: "loss spike", text: "loss 9.1", level: "warn", step: 7 });
    expect(a.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
    await postAlerts(p, { title: "second", level: "error" });
    const r = await getAlerts(p);
    expect(r.status).toBe(200);
    expect(r.json.alerts.map((x: any) => x.title)).toEqual(["second", "loss spike"]);
    expect(r.json.next_cursor).toBe(2);
  });

  it("answers an unknown project with an empty list", async ({ expect }) => {
    const r = await getAlerts(uniqueProject("nope"));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ alerts: [], next_cursor: 0, has_more: false });
  });

  it("stores a retried alert_id once", async ({ expect }) => {
    const p = uniqueProject();
    const first = await postAlerts(p, { title: "once", alert_id: "abc" });
    const again = await postAlerts(p, [{ title: "once", alert_id: "abc" }, { title: "new", alert_id: "def" }]);
    expect(again[0]).toEqual(first[0]);
    const r = await getAlerts(p);
    expect(r.json.alerts.map((x: any) => x.alert_id)).toEqual(["def", "abc"]);
  });

  it("wakes a waiter when a matching alert is stored", async ({ expect }) => {
    const p = uniqueProject();
    await postAlerts(p, { title: "before" });
    const started = Date.now();
    const waiting = api("GET", `/v1/projects/${p}/alerts/wait?timeout=10&min_level=error`);
    await new Promise((r) => setTimeout(r, 100));
    await postAlerts(p, { title: "just info", level: "info" });
    await postAlerts(p, { title: "boom", level: "error" });
    const r = await waiting;
    expect(r.status).toBe(200);
    expect(r.json.timed_out).toBe(false);
    expect(r.json.alerts.map((x: any) => x.title)).toEqual(["boom"]);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
