import { describe, it } from "vitest";
import { api, createRun, logEntries, uniqueProject } from "../helpers/api";

describe("creating and resuming runs", () => {
  it("generates a readable name and a 32-hex id when none is given", async ({ expect }) => {
    const p = uniqueProject();
    const r = await api("POST", `/v1/projects/${p}/runs`, { body: {} });
    expect(r.status).toBe(201);
    expect(r.json.name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    expect(r.json.id).toMatch(/^[0-9a-f]{32}$/);
    expect(r.json).toMatchObject({ project: p, status: "running", resumed: false, log_count: 0, last_step: null });
  });

  it("never: a second run with the same name; by-name reads resolve to the newest", async ({ expect }) => {
    const p = uniqueProject();
    const a = await createRun(p, { name: "same" });
    const b = await createRun(p, { name: "same", resume: "never" });
    expect(b.id).not.toBe(a.id);
    const got = await api("GET", `/v1/projects/${p}/runs/same`);
    expect(got.json.id).toBe(b.id);
    const list = await api("GET", `/v1/projects/${p}/runs`);
    expect(list.json.runs.map((r: { id: string }) => r.id)).toEqual([a.id, b.id]);
  });

  it("allow: resumes the newest run with the name, steps continue at max + 1", async ({ expect }) => {
    const p = uniqueProject();
    const a = await createRun(p, { name: "r" });
    await logEntries(p, a.id, [{ metrics: { x: 1 } }, { metrics: { x: 2 } }]);
    const resumed = await api("POST", `/v1/projects/${p}/runs`, { body: { name: "r", resume: "allow" } });
    expect(resumed.status).toBe(200);
    expect(resumed.json).toMatchObject({ id: a.id, resumed: true, last_step: 1 });
    const more = await logEntries(p, "r", [{ metrics: { x: 3 } }]);
    expect(more.json.last_step).toBe(2);
    const fresh = await api("POST", `/v1/projects/${p}/runs`, { body: { name: "other", resume: "allow" } });
    expect(fresh.status).toBe(201);
  });

  it("must: 404 naming the run when it does not exist", async ({ expect }) => {
    const p = uniqueProject();
    await createRun(p, { name: "exists" });
    const r = await api("POST", `/v1/projects/${p}/runs`, { body: { name: "ghost", resume: "must" } });
    expect(r.status).toBe(404);
    expect(r.json.error.message).toBe(`Run 'ghost' does not exist in project '${p}'`);
    const ok = await api("POST", `/v1/projects/${p}/runs`, { body: { name: "exists", resume: "must" } });
    expect(ok.status).toBe(200);
  });

  it("a retried create with the client's id returns the same run", async ({ expect }) => {
    const p = uniqueProject();
    const id = "0123456789abcdef0123456789abcdef";
    const first = await api("POST", `/v1/projects/${p}/runs`, { body: { id, name: "x" } });
    const again = await api("POST", `/v1/projects/${p}/runs`, { body: { id, name: "x" } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect((await api("GET", `/v1/projects/${p}/runs`)).json.runs).toHaveLength(1);
  });

  it("refuses reserved config keys, naming the key", async ({ expect }) => {
    const p = uniqueProject();
    const r = await api("POST", `/v1/projects/${p}/runs`, { body: { name: "x", config: { lr: 1, _secret: 2 } } });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("invalid_request");
    expect(r.json.error.details).toContainEqual({ path: "config._secret", message: expect.stringContaining("reserved") });
    expect((await api("GET", `/v1/projects`)).json.projects.map((x: { name: string }) => x.name)).not.toContain(p);
  });

  it("refuses malformed bodies and project names with a 400 naming the field", async ({ expect }) => {
    const bad = await api("POST", `/v1/projects/bad.name/runs`, { body: { name: "x" } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain("project");
    const resume = await api("POST", `/v1/projects/${uniqueProject()}/runs`, { body: { resume: "sometimes" } });
    expect(resume.status).toBe(400);
    expect(resume.json.error.details[0].path).toBe("resume");
    const hook = await api("POST", `/v1/projects/${uniqueProject()}/runs`, { body: { webhook_url: "https://169.254.169.254/latest" } });
    expect(hook.status).toBe(400);
    expect(hook.json.error.details[0].path).toBe("webhook_url");
    const json = await api("POST", `/v1/projects/${uniqueProject()}/runs`, { raw: "{nope" });
    expect(json.status).toBe(400);
    expect(json.json.error.code).toBe("invalid_request");
  });
});

describe("listing, renaming, finishing and deleting runs", () => {
  it("filters by group, status and config key=value", async ({ expect }) => {
    const p = uniqueProject();
    const a = await createRun(p, { name: "a", group: "g1", config: { lr: 0.01, opt: "adam", aug: true } });
    const b = await createRun(p, { name: "b", group: "g2", config: { lr: 0.1, opt: "sgd", aug: false } });
    await api("POST", `/v1/projects/${p}/runs/b/finish`, { body: { status: "failed" } });
    const names = async (q: string) => (await api("GET", `/v1/projects/${p}/runs?${q}`)).json.runs.map((r: { name: string }) => r.name);
    expect(await names("group=g1")).toEqual(["a"]);
    expect(await names("status=failed")).toEqual(["b"]);
    expect(await names("status=running")).toEqual(["a"]);
    expect(await names("config=lr%3D0.1")).toEqual(["b"]);
    expect(await names("config=opt%3Dadam")).toEqual(["a"]);
    expect(await names("config=aug%3Dtrue")).toEqual(["a"]);
    expect(await names("config=opt%3Dsgd&config=lr%3D0.01")).toEqual([]);
    const bad = await api("GET", `/v1/projects/${p}/runs?status=sleeping`);
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toBe("status");
    expect(a.id).not.toBe(b.id);
  });

  it("renames, finishes and reports a run's summary", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "old", config: { lr: 1 } });
    await logEntries(p, run.id, [{ metrics: { loss: 1, acc: 0.5 } }]);
    await api("POST", `/v1/projects/${p}/alerts`, { body: { run: run.id, title: "before rename", level: "info" } });
    const renamed = await api("PATCH", `/v1/projects/${p}/runs/old`, { body: { name: "new" } });
    expect(renamed.json.name).toBe("new");
    const alerts = await api("GET", `/v1/projects/${p}/alerts?run=new`);
    expect(alerts.json.alerts.map((a: { run: string; title: string }) => [a.run, a.title])).toEqual([["new", "before rename"]]);
    const finished = await api("POST", `/v1/projects/${p}/runs/new/finish`, { body: {} });
    expect(finished.json.status).toBe("finished");
    expect(finished.json.finished_at).toMatch(/\+00:00$/);
    const summary = await api("GET", `/v1/projects/${p}/runs/${run.id}`);
    expect(summary.json).toMatchObject({ name: "new", status: "finished", log_count: 1, last_step: 0, metrics: ["acc", "loss"], config: { lr: 1 } });
    expect(summary.json.alert_counts).toEqual({ info: 1, warn: 0, error: 0 });
  });

  it("deletes a run with its logs, names, rollups and system metrics", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "gone" });
    await logEntries(p, run.id, [{ metrics: { loss: 1 } }, { metrics: { loss: 2 } }]);
    const sys = await api("POST", "/api/bulk_log_system", {
      body: { kwargs: { logs: [{ project: p, run: "gone", run_id: run.id, metrics: { "gpu/0/temp": 60 }, timestamp: "2026-11-28T10:00:00+00:00", log_id: "s1" }] } },
    });
    expect(sys.status).toBe(200);
    const { env } = await import("cloudflare:workers");
    const before = await env.DB.prepare(`SELECT count(*) AS n FROM system_metrics WHERE run_id = ?1`).bind(run.id).first<{ n: number }>();
    expect(before?.n).toBe(1);
    const del = await api("DELETE", `/v1/projects/${p}/runs/gone`);
    expect(del.json).toEqual({ deleted: true, id: run.id });
    expect((await api("GET", `/v1/projects/${p}/runs/${run.id}`)).status).toBe(404);
    const left = await env.DB.prepare(
      `SELECT (SELECT count(*) FROM metric_logs WHERE run_id = ?1) + (SELECT count(*) FROM metric_names WHERE run_id = ?1) + (SELECT count(*) FROM metric_rollups WHERE run_id = ?1) + (SELECT count(*) FROM system_metrics WHERE run_id = ?1) AS n`,
    ).bind(run.id).first<{ n: number }>();
    expect(left?.n).toBe(0);
  });

  it("summarises a project and 404s an unknown one", async ({ expect }) => {
    const p = uniqueProject();
    await createRun(p, { name: "a" });
    const b = await createRun(p, { name: "b" });
    await logEntries(p, b.id, [{ step: 7, metrics: { x: 1 } }]);
    const s = await api("GET", `/v1/projects/${p}`);
    expect(s.json).toMatchObject({ project: p, num_runs: 2, last_step: 7 });
    expect(s.json.runs.map((r: { name: string }) => r.name)).toEqual(["a", "b"]);
    const missing = await api("GET", `/v1/projects/${uniqueProject()}`);
    expect(missing.status).toBe(404);
    expect((await api("GET", `/v1/projects/${p}/runs/nope`)).status).toBe(404);
  });
});
