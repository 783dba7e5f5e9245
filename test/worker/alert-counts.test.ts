import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import type { ProjectAlerts } from "../../src/project-object/project-alerts";
import type { AlertInput } from "../../src/project-object/types";
import { postAlerts } from "../helpers/alerts";
import { api, createKey, createRun, uniqueProject } from "../helpers/api";

describe("GET /v1/projects/:project/alert-counts", () => {
  it("counts each run's alerts by level in one request", async ({ expect }) => {
    const p = uniqueProject("counts");
    const a = await createRun(p, { name: "a" });
    const b = await createRun(p, { name: "b" });
    const quiet = await createRun(p, { name: "quiet" });
    await postAlerts(p, [
      { run: a.id, title: "x", level: "warn" },
      { run: a.id, title: "y", level: "warn" },
      { run: a.id, title: "z", level: "error" },
      { run: b.id, title: "w", level: "info" },
      { title: "project-wide", level: "error" },
    ]);
    const r = await api("GET", `/v1/projects/${p}/alert-counts`, { token: await createKey("read", [p]) });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      runs: {
        [a.id]: { info: 0, warn: 2, error: 1 },
        [b.id]: { info: 1, warn: 0, error: 0 },
        [quiet.id]: { info: 0, warn: 0, error: 0 },
      },
    });
  });

  it("counts several runs at once, leaving out deleted runs and project-wide alerts", async ({ expect }) => {
    const p = uniqueProject("counts");
    const runs = [];
    for (let i = 0; i < 7; i++) runs.push(await createRun(p, { name: `r${i}` }));
    // Run i gets i info, 2i warn and i % 3 error alerts; run 0 none.
    const alerts = runs.flatMap((r, i) => [
      ...Array.from({ length: i }, (_, k) => ({ run: r.id, title: `i${k}`, level: "info" })),
      ...Array.from({ length: 2 * i }, (_, k) => ({ run: r.id, title: `w${k}`, level: "warn" })),
      ...Array.from({ length: i % 3 }, (_, k) => ({ run: r.id, title: `e${k}`, level: "error" })),
    ]);
    await postAlerts(p, [...alerts, { title: "project-wide", level: "warn" }]);
    const gone = runs[4];
    expect((await api("DELETE", `/v1/projects/${p}/runs/${gone.id}`)).status).toBe(200);

    const r = await api("GET", `/v1/projects/${p}/alert-counts`);
    expect(r.status).toBe(200);
    const expected = Object.fromEntries(runs.map((run, i) => [run.id, { info: i, warn: 2 * i, error: i % 3 }]).filter(([id]) => id !== gone.id));
    expect(r.json).toEqual({ runs: expected });
    // The same numbers as each run's own summary.
    for (const run of [runs[1], runs[5]]) {
      expect((await api("GET", `/v1/projects/${p}/runs/${run.id}`)).json.alert_counts).toEqual(expected[run.id]);
    }
  });

  it("reads one counts row per run and level in the object, not the alerts", async ({ expect }) => {
    const p = uniqueProject("counts");
    const stub = env.PROJECT_ALERTS.getByName(p);
    const levels = ["info", "warn", "error"] as const;
    const inputs: AlertInput[] = Array.from({ length: 900 }, (_, k) => ({
      alert_id: `a${k}`,
      run_id: k % 10 === 9 ? null : `run${k % 3}`,
      run: null,
      title: `t${k}`,
      text: null,
      level: levels[Math.floor(k / 3) % 3],
      step: k,
      timestamp: null,
    }));
    await stub.createAlerts(p, inputs);
    const { counts, read } = await runInDurableObject(stub, async (instance: ProjectAlerts) => ({
      counts: await instance.countsByRun(),
      // The store is private to the object; the test reads its counter.
      read: (instance as unknown as { store: { lastRowsRead: number } }).store.lastRowsRead,
    }));
    expect(Object.keys(counts).sort()).toEqual(["run0", "run1", "run2"]);
    for (const id of ["run0", "run1", "run2"]) {
      const mine = inputs.filter((a) => a.run_id === id);
      expect(counts[id]).toEqual(Object.fromEntries(levels.map((l) => [l, mine.filter((a) => a.level === l).length])));
    }
    // 3 runs × 3 levels: 9 rows, whatever the number of alerts (810 with a run).
    expect(read).toBeGreaterThanOrEqual(9);
    expect(read).toBeLessThanOrEqual(12);
  });

  it("answers a project the key may not see like a missing one, and needs a key", async ({ expect }) => {
    const p = uniqueProject("counts");
    await createRun(p, { name: "a" });
    const other = await createKey("read", [`${p}-other`]);
    const hidden = await api("GET", `/v1/projects/${p}/alert-counts`, { token: other });
    const missing = await api("GET", `/v1/projects/${p}-nope/alert-counts`);
    expect([hidden.status, hidden.json.error.code]).toEqual([404, "not_found"]);
    expect([missing.status, missing.json.error.code]).toEqual([404, "not_found"]);
    expect((await api("GET", `/v1/projects/${p}/alert-counts`, { token: null })).status).toBe(401);
  });
});
