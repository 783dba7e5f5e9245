import { describe, it } from "vitest";
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
