import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { publishIngestHooks } from "../../src/db/projects";
import { INGEST_HOOK } from "../../src/ingest/hooks";
import { createKey, createRun, logEntries, uniqueProject, api } from "../helpers/api";
import { addRule, allAlerts, series } from "../helpers/rules";
import { countedRequest } from "../helpers/round-trips";

// The ingest transaction reads why the project's object must see a batch (projects.ingest_hooks,
// published by the object); a batch that no rule or detector can fire on costs one D1 round trip
// and no call to the object, and one that can still raises its alerts.

const hooksOf = async (project: string) =>
  (await env.DB.prepare("SELECT ingest_hooks AS h, ingest_hooks_version AS v FROM projects WHERE name = ?").bind(project).first<{ h: number; v: number }>())!;

const entries = (from: number, n: number, value: (s: number) => number | string = (s) => s) =>
  Array.from({ length: n }, (_, k) => ({ step: from + k, metrics: { loss: value(from + k), acc: 0.5 } }));

describe("ingest hooks", () => {
  it("a batch nothing can fire on costs 1 D1 round trip and 0 object calls, with a key accepted a moment ago", async ({ expect }) => {
    const p = uniqueProject("hk");
    const key = await createKey("write", [p]);
    const run = await createRun(p, { name: "r" });
    await logEntries(p, run.id, entries(0, 5), key); // the key is now accepted in this isolate
    const r = await countedRequest("POST", `/v1/projects/${p}/runs/${run.id}/logs`, { logs: entries(5, 100) }, key);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ accepted: 100, last_step: 104 });
    expect(r.trips).toMatchObject({ d1: 1, do: 0, do_d1: 0 });
    // What D1 bills for it: 100 log rows and their two index entries, the rollups, names and the run's counters.
    expect(r.trips.rows_written).toBeGreaterThanOrEqual(300);
  });

  it("a project with a rule calls its object, and the rule fires; removing it stops the calls", async ({ expect }) => {
    const p = uniqueProject("hk");
    const run = await createRun(p, { name: "r" });
    expect((await hooksOf(p)).h).toBe(0);
    const rule = await addRule(p, { metric: "loss", condition: { type: "gt", value: 10 }, title: "high" });
    expect((await hooksOf(p)).h).toBe(INGEST_HOOK.RULES);
    const fired = await countedRequest("POST", `/v1/projects/${p}/runs/${run.id}/logs`, { logs: entries(0, 20) });
    expect(fired.trips).toMatchObject({ d1: 1, do: 1 });
    expect((await allAlerts(p)).map((a) => [a.title, a.step])).toEqual([["high", 11]]);
    expect((await api("DELETE", `/v1/projects/${p}/rules/${rule.id}`)).status).toBe(200);
    expect((await hooksOf(p)).h).toBe(0);
    const quiet = await countedRequest("POST", `/v1/projects/${p}/runs/${run.id}/logs`, { logs: entries(20, 20) });
    expect(quiet.trips).toMatchObject({ d1: 1, do: 0, do_d1: 0 });
  });

  it("a non-finite value reaches the detector in a project without rules", async ({ expect }) => {
    const p = uniqueProject("hk");
    const run = await createRun(p, { name: "r" });
    const r = await countedRequest("POST", `/v1/projects/${p}/runs/${run.id}/logs`, { logs: entries(0, 10, (s) => (s === 7 ? "NaN" : s)) });
    // A batch holding a non-finite value pays one more D1 round trip: its stored entries' non-finite
    // counts (for the diagnosis), which only the write's RETURNING can tell.
    expect(r.trips).toMatchObject({ d1: 2, do: 1 });
    expect((await allAlerts(p)).map((a) => [a.title, a.text])).toEqual([["Non-finite metric", "loss=NaN at step 7"]]);
  });

  it("an older publication never replaces a newer one", async ({ expect }) => {
    const p = uniqueProject("hk");
    await createRun(p, { name: "r" });
    await publishIngestHooks(env.DB, p, INGEST_HOOK.RULES | INGEST_HOOK.RUN_WAITERS, 1000);
    await publishIngestHooks(env.DB, p, 0, 999);
    expect(await hooksOf(p)).toEqual({ h: 3, v: 1000 });
    await publishIngestHooks(env.DB, p, INGEST_HOOK.RUN_WAITERS, 1001);
    expect(await hooksOf(p)).toEqual({ h: 2, v: 1001 });
  });

  it("a mask the object does not hold (a project from before the hooks) is corrected by the first batch", async ({ expect }) => {
    const p = uniqueProject("hk");
    const run = await createRun(p, { name: "r" });
    // As migration 0004 leaves existing projects: called until their object publishes.
    await env.DB.prepare("UPDATE projects SET ingest_hooks = 1 WHERE name = ?").bind(p).run();
    const first = await countedRequest("POST", `/v1/projects/${p}/runs/${run.id}/logs`, { logs: series("loss", [1, 2]) });
    expect(first.trips).toMatchObject({ d1: 1, do: 1 });
    expect((await hooksOf(p)).h).toBe(0);
    const next = await countedRequest("POST", `/v1/projects/${p}/runs/${run.id}/logs`, { logs: series("loss", [3], 2) });
    expect(next.trips).toMatchObject({ d1: 1, do: 0, do_d1: 0 });
  });
});
