import { describe, it } from "vitest";
import { api, createKey, createRun, uniqueProject } from "../helpers/api";
import { getAlerts, postAlerts } from "../helpers/alerts";

const titles = (r: { json: any }) => r.json.alerts.map((a: any) => a.title);

describe("alert filters", () => {
  async function seed() {
    const p = uniqueProject("filt");
    const old = await createRun(p, { name: "dup", resume: "never" });
    const other = await createRun(p, { name: "other" });
    const newer = await createRun(p, { name: "dup", resume: "never" });
    await postAlerts(p, [
      { title: "old-info", run_id: old.id, level: "info" },
      { title: "new-warn", run_id: newer.id, level: "warn" },
      { title: "new-error", run: "dup", level: "ERROR" },
      { title: "other-info", run: "other", level: "Info" },
      { title: "project-warn" },
    ]);
    return { p, old, newer, other };
  }

  it("resolves a run name to the newest run with that name, and an id to that run", async ({ expect }) => {
    const { p, old, newer } = await seed();
    expect(titles(await getAlerts(p, { run: "dup" }))).toEqual(["new-error", "new-warn"]);
    expect(titles(await getAlerts(p, { run: old.id }))).toEqual(["old-info"]);
    const r = await getAlerts(p, { run: newer.id });
    expect(r.json.alerts.every((a: any) => a.run === "dup" && a.run_id === newer.id)).toBe(true);
  });

  it("answers an unknown run with an empty list", async ({ expect }) => {
    const { p } = await seed();
    const r = await getAlerts(p, { run: "never-ran" });
    expect(r.status).toBe(200);
    expect(r.json.alerts).toEqual([]);
  });

  it("matches level exactly and min_level as that level or above, in any case", async ({ expect }) => {
    const { p } = await seed();
    expect(titles(await getAlerts(p, { level: "info" }))).toEqual(["other-info", "old-info"]);
    expect(titles(await getAlerts(p, { level: "WARN" }))).toEqual(["project-warn", "new-warn"]);
    expect(titles(await getAlerts(p, { min_level: "warn" }))).toEqual(["project-warn", "new-error", "new-warn"]);
    expect(titles(await getAlerts(p, { min_level: "error" }))).toEqual(["new-error"]);
    expect(titles(await getAlerts(p, { run: "dup", min_level: "warn", limit: 1 }))).toEqual(["new-error"]);
    expect(titles(await getAlerts(p, { run: "dup", level: "info" }))).toEqual([]);
  });

  it("combines filters with a cursor", async ({ expect }) => {
    const { p } = await seed();
    expect(titles(await getAlerts(p, { min_level: "warn", cursor: 2 }))).toEqual(["project-warn", "new-error"]);
  });

  it("rejects an unknown level with a 400 naming the parameter", async ({ expect }) => {
    const { p } = await seed();
    for (const key of ["level", "min_level"]) {
      const r = await getAlerts(p, { [key]: "critical" });
      expect(r.status).toBe(400);
      expect(r.json.error.details[0].path).toBe(key);
    }
  });
});

describe("creating alerts", () => {
  it("refuses a bad alert in a batch with a 400 naming it, storing none of the batch", async ({ expect }) => {
    const p = uniqueProject("bad");
    await postAlerts(p, { title: "first" });
    for (const [alert, path] of [
      [{ title: "" }, "alerts.1.title"],
      [{ title: "x", level: "fatal" }, "alerts.1.level"],
      [{ title: "x", step: -1 }, "alerts.1.step"],
      [{ title: "x", step: 1.5 }, "alerts.1.step"],
      [{ title: "x", timestamp: "noon" }, "alerts.1.timestamp"],
      [{ title: "x", timestamp: "2026-02-30T25:00:00Z" }, "alerts.1.timestamp"],
    ] as const) {
      const r = await api("POST", `/v1/projects/${p}/alerts`, { body: { alerts: [{ title: "ok" }, alert] } });
      expect(r.status, JSON.stringify(alert)).toBe(400);
      expect(r.json.error.details[0].path).toBe(path);
    }
    expect(titles(await getAlerts(p))).toEqual(["first"]);
  });

  it("names the field of a single alert without a prefix", async ({ expect }) => {
    const p = uniqueProject("single");
    const r = await api("POST", `/v1/projects/${p}/alerts`, { body: { text: "no title" } });
    expect(r.status).toBe(400);
    expect(r.json.error.details[0].path).toBe("title");
    const empty = await api("POST", `/v1/projects/${p}/alerts`, { body: { alerts: [] } });
    expect(empty.status).toBe(400);
    expect(empty.json.error.details[0].path).toBe("alerts");
    const junk = await api("POST", `/v1/projects/${p}/alerts`, { raw: "{not json" });
    expect(junk.status).toBe(400);
  });

  it("answers an unknown run with 404 and stores nothing", async ({ expect }) => {
    const p = uniqueProject("norun");
    await createRun(p, { name: "real" });
    const r = await api("POST", `/v1/projects/${p}/alerts`, { body: { alerts: [{ title: "a", run: "real" }, { title: "b", run: "ghost" }] } });
    expect(r.status).toBe(404);
    expect(r.json.error.message).toContain("ghost");
    expect(titles(await getAlerts(p))).toEqual([]);
  });

  it("defaults to warn, a null text and step, and fills alert_id", async ({ expect }) => {
    const p = uniqueProject("defaults");
    const [a] = await postAlerts(p, { title: "bare" });
    expect(a).toMatchObject({ level: "warn", text: null, step: null, run: null, run_id: null });
    expect(a.alert_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("needs the write scope; a hidden project answers like a missing one", async ({ expect }) => {
    const p = uniqueProject("scope");
    const hidden = uniqueProject("hidden");
    await postAlerts(p, { title: "visible" });
    await postAlerts(hidden, { title: "secret" });
    const reader = await createKey("read", [p]);
    const denied = await api("POST", `/v1/projects/${p}/alerts`, { body: { title: "x" }, token: reader });
    expect(denied.status).toBe(403);
    expect(titles(await getAlerts(p, {}, reader))).toEqual(["visible"]);
    const h = await getAlerts(hidden, { cursor: 0 }, reader);
    expect(h.status).toBe(200);
    expect(h.json).toEqual({ alerts: [], next_cursor: 0, has_more: false });
    expect((await getAlerts(p, {}, "tf_wrong")).status).toBe(401);
    const writer = await createKey("write", [p]);
    expect((await api("POST", `/v1/projects/${hidden}/alerts`, { body: { title: "x" }, token: writer })).status).toBe(404);
  });
});

describe("alerts and runs", () => {
  it("counts alerts by level in the project and run summaries", async ({ expect }) => {
    const p = uniqueProject("counts");
    await createRun(p, { name: "r1" });
    await createRun(p, { name: "r2" });
    await postAlerts(p, [
      { title: "1", run: "r1", level: "info" },
      { title: "2", run: "r1", level: "error" },
      { title: "3", run: "r1", level: "error" },
      { title: "4", run: "r2", level: "warn" },
      { title: "5", level: "warn" },
      { title: "5", level: "warn", alert_id: "same" },
      { title: "5", level: "warn", alert_id: "same" },
    ]);
    const run = await api("GET", `/v1/projects/${p}/runs/r1`);
    expect(run.json.alert_counts).toEqual({ info: 1, warn: 0, error: 2 });
    const project = await api("GET", `/v1/projects/${p}`);
    expect(project.json.alert_counts).toEqual({ info: 1, warn: 3, error: 2 });
  });

  it("deletes a run's alerts with the run", async ({ expect }) => {
    const p = uniqueProject("del");
    await createRun(p, { name: "keep" });
    await createRun(p, { name: "drop" });
    await postAlerts(p, [{ title: "k", run: "keep", level: "error" }, { title: "d1", run: "drop", level: "error" }, { title: "d2", run: "drop" }]);
    expect((await api("DELETE", `/v1/projects/${p}/runs/drop`)).status).toBe(200);
    expect(titles(await getAlerts(p))).toEqual(["k"]);
    expect((await api("GET", `/v1/projects/${p}`)).json.alert_counts).toEqual({ info: 0, warn: 0, error: 1 });
  });
});
