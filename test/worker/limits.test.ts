import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { LIMITS } from "../../src/contract";
import { ADMIN, api, createRun, logEntries, uniqueProject } from "../helpers/api";
import { call, send } from "../helpers/trackio";

// Every bound of src/contract/limits.ts, through REST and Trackio's protocol: a breach is a
// 400/413 naming the field and stores nothing; what is accepted reads back on every interface.

const nest = (levels: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
};
/** A value `levels` deep as JSON text, without building it (10k levels). */
const deepText = (levels: number) => `${"[".repeat(levels)}1${"]".repeat(levels)}`;
const runsOf = async (p: string) => (await api("GET", `/v1/projects/${p}/runs`)).json?.runs ?? [];

describe("nesting depth", () => {
  it("refuses a value nested past the limit with a 400 naming it, and reads back one at the limit everywhere", async ({ expect }) => {
    const p = uniqueProject("depth");
    const run = await createRun(p, { name: "r" });
    const deep = await logEntries(p, run.id, [{ step: 0, metrics: { ok: 1 } }, { step: 1, metrics: { x: nest(LIMITS.depth + 1) } }]);
    expect(deep.status).toBe(400);
    expect(deep.json.error.details[0].path).toBe("logs.1.metrics.x");
    const hostile = await api("POST", `/v1/projects/${p}/runs/${run.id}/logs`, { raw: `{"logs":[{"step":2,"metrics":{"x":${deepText(10_000)}}}]}` });
    expect(hostile.status).toBe(400);
    expect((await api("GET", `/v1/projects/${p}/runs/${run.id}`)).json.log_count).toBe(0);

    expect((await logEntries(p, run.id, [{ step: 3, metrics: { x: nest(LIMITS.depth) } }])).status).toBe(200);
    const rest = await api("GET", `/v1/projects/${p}/runs/${run.id}/metrics/x`);
    expect(rest.status).toBe(200);
    expect(rest.json.values[0].value).toEqual(nest(LIMITS.depth));
    expect((await api("GET", `/v1/projects/${p}/runs/${run.id}/snapshot?step=3`)).status).toBe(200);
    const trackio = await call("get_metric_values", { project: p, run: "r", metric_name: "x" }, { token: ADMIN });
    expect(trackio.status).toBe(200);
    expect(trackio.json.data.map((v: { value: unknown }) => v.value)).toEqual([nest(LIMITS.depth)]);
  });

  it("refuses a config nested past the limit, so config filters keep working for the project", async ({ expect }) => {
    const p = uniqueProject("cdepth");
    const r = await api("POST", `/v1/projects/${p}/runs`, { body: { name: "r", config: { a: nest(LIMITS.depth + 1) } } });
    expect(r.status).toBe(400);
    expect(r.json.error.details[0].path).toBe("config.a");
    await createRun(p, { name: "ok", config: { a: nest(LIMITS.depth), lr: 0.1 } });
    const filtered = await api("GET", `/v1/projects/${p}/runs?config=lr%3D0.1`);
    expect(filtered.status).toBe(200);
    expect(filtered.json.runs.map((x: { name: string }) => x.name)).toEqual(["ok"]);
  });
});

describe("sizes", () => {
  it("answers an entry over LIMITS.entryBytes with 413 naming logs.N.metrics, on REST and Trackio writes", async ({ expect }) => {
    const p = uniqueProject("size");
    const run = await createRun(p, { name: "r" });
    const big = "x".repeat(LIMITS.entryBytes);
    const rest = await logEntries(p, run.id, [{ step: 0, metrics: { ok: 1 } }, { step: 1, metrics: { s: big } }]);
    expect(rest.status).toBe(413);
    expect(rest.json.error).toMatchObject({ code: "payload_too_large", details: [{ path: "logs.1.metrics" }] });
    const cfg = await api("POST", `/v1/projects/${p}/runs`, { body: { name: "c", config: { s: big } } });
    expect(cfg.status).toBe(413);
    expect(cfg.json.error.details[0].path).toBe("config");
    for (const name of ["bulk_log", "bulk_log_system"]) {
      const t = await call(name, { logs: [{ project: p, run: "t", metrics: { s: big } }] }, { token: ADMIN });
      expect(t.status, name).toBe(413);
      expect(t.json.error, name).toMatch(/logs\.0\.metrics/);
    }
    expect((await runsOf(p)).map((x: { name: string }) => x.name)).toEqual(["r"]);
  });

  it("stores and reads back an entry just under the limit whose JSON is all escapes", async ({ expect }) => {
    const p = uniqueProject("esc");
    const run = await createRun(p, { name: "r" });
    // `"` takes 2 bytes as JSON, and again twice as many once the entry is bound inside the batch's JSON.
    const quotes = '"'.repeat((LIMITS.entryBytes - 20) / 2);
    const stored = await logEntries(p, run.id, [{ step: 0, metrics: { q: quotes } }]);
    expect(stored.status, stored.text.slice(0, 200)).toBe(200);
    const read = await api("GET", `/v1/projects/${p}/runs/${run.id}/metrics/q`);
    expect(read.json.values[0].value).toBe(quotes);
  });
});

describe("names", () => {
  it("refuses control characters in metric names and config keys, and '.'/'..' as run names or metric segments", async ({ expect }) => {
    const p = uniqueProject("names");
    const run = await createRun(p, { name: "r" });
    for (const name of ["a\u0000b", "a\nb", "a/../b", "..", "\ud800"]) {
      const r = await logEntries(p, run.id, [{ step: 0, metrics: { [name]: 1 } }]);
      expect(r.status, JSON.stringify(name)).toBe(400);
      expect(r.json.error.details[0].path, JSON.stringify(name)).toMatch(/^logs\.0\.metrics/);
    }
    for (const name of [".", "..", "a\u0000"]) {
      const r = await api("POST", `/v1/projects/${p}/runs`, { body: { name } });
      expect(r.status, name).toBe(400);
      expect(r.json.error.details[0].path).toBe("name");
    }
    const cfg = await api("POST", `/v1/projects/${p}/runs`, { body: { name: "c", config: { "a\u0000": 1 } } });
    expect(cfg.status).toBe(400);
    const t = await call("bulk_log", { logs: [{ project: p, run: "..", metrics: { a: 1 } }] }, { token: ADMIN });
    expect(t.status).toBe(400);
    expect((await runsOf(p)).length).toBe(1);
  });

  it("filters on config keys holding quotes and backslashes, and refuses a NUL in a filter key", async ({ expect }) => {
    const p = uniqueProject("cfgkey");
    await createRun(p, { name: "q", config: { 'a"b': 1, "c\\d": "x", "e.f": true } });
    await createRun(p, { name: "other", config: { 'a"b': 2 } });
    const names = async (q: string) => (await api("GET", `/v1/projects/${p}/runs?config=${encodeURIComponent(q)}`)).json.runs.map((r: { name: string }) => r.name);
    expect(await names('a"b=1')).toEqual(["q"]);
    expect(await names("c\\d=x")).toEqual(["q"]);
    expect(await names("e.f=true")).toEqual(["q"]);
    const nul = await api("GET", `/v1/projects/${p}/runs?config=a%00b%3D1`);
    expect(nul.status).toBe(400);
    expect(nul.json.error.details[0].path).toMatch(/^config/);
  });
});

describe("timestamps", () => {
  it("refuses impossible instants naming the field, and keeps years below 100 as given", async ({ expect }) => {
    const p = uniqueProject("ts");
    const run = await createRun(p, { name: "r" });
    for (const ts of ["2026-13-45T00:00:00Z", "2026-02-31T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00+99:99", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00"]) {
      const r = await logEntries(p, run.id, [{ step: 0, metrics: { a: 1 }, timestamp: ts }]);
      expect(r.status, ts).toBe(400);
      expect(r.json.error.details[0].path, ts).toBe("logs.0.timestamp");
      const a = await api("POST", `/v1/projects/${p}/alerts`, { body: { title: "t", timestamp: ts } });
      expect(a.status, ts).toBe(400);
    }
    const old = await api("POST", `/v1/projects/${p}/alerts`, { body: { title: "t", timestamp: "0050-03-01T12:00:00Z" } });
    expect(old.json.alerts[0].timestamp).toBe("0050-03-01T12:00:00+00:00");
    const leap = await logEntries(p, run.id, [{ step: 0, metrics: { a: 1 }, timestamp: "2024-02-29T23:59:59.5-23:59" }]);
    expect(leap.status).toBe(200);
  });
});

describe("steps", () => {
  it("refuses an entry whose assigned step would pass 2^53 - 1, storing none of its batch", async ({ expect }) => {
    const p = uniqueProject("step");
    const run = await createRun(p, { name: "r" });
    expect((await logEntries(p, run.id, [{ step: Number.MAX_SAFE_INTEGER, metrics: { a: 1 } }])).status).toBe(200);
    const next = await logEntries(p, run.id, [{ step: 5, metrics: { a: 2 } }, { metrics: { a: 3 } }]);
    expect(next.status).toBe(400);
    expect(next.json.error.details[0].path).toBe("logs.1.step");
    const t = await call("bulk_log", { logs: [{ project: p, run: "r", run_id: run.id, metrics: { a: 4 } }] }, { token: ADMIN });
    expect(t.status).toBe(400);
    const after = await api("GET", `/v1/projects/${p}/runs/${run.id}`);
    expect(after.json).toMatchObject({ log_count: 1, last_step: Number.MAX_SAFE_INTEGER });
    expect((await api("POST", `/v1/projects/${p}/runs/${run.id}/logs`, { raw: `{"logs":[{"step":9007199254740992,"metrics":{}}]}` })).status).toBe(400);
  });
});

describe("the Trackio write path", () => {
  it("stores nothing, and creates no run or project, when any run's entry in the request is refused", async ({ expect }) => {
    const p = uniqueProject("tall");
    const good = Array.from({ length: 10 }, (_, i) => ({ project: p, run: "a", metrics: { x: i }, step: i }));
    const refused = await call("bulk_log", { logs: [...good, { project: p, run: "b", metrics: { s: "x".repeat(LIMITS.entryBytes) } }] }, { token: ADMIN });
    expect(refused.status).toBe(413);
    const long = Array.from({ length: LIMITS.logEntries }, (_, i) => ({ project: p, run: "a", metrics: { x: i }, step: i }));
    const sliced = await call("bulk_log", { logs: [...long, { project: p, run: "a", metrics: { x: nest(LIMITS.depth + 1) } }] }, { token: ADMIN });
    expect(sliced.status).toBe(400);
    expect(sliced.json.error).toMatch(new RegExp(`logs\\.${LIMITS.logEntries}\\.metrics`));
    expect((await api("GET", `/v1/projects/${p}`)).status).toBe(404);
    const projects = (await call("get_all_projects", {}, { token: ADMIN })).json.data;
    expect(projects).not.toContain(p);
  });

  it("stores a multi-run request in one transaction: a write failing on the last run leaves no run, row or project", async ({ expect }) => {
    const p = uniqueProject("tatomic");
    // A stand-in for a failure inside D1 (the limits leave no input that fails there): the last row aborts the statement.
    await env.DB.prepare(`CREATE TRIGGER IF NOT EXISTS abort_boom BEFORE INSERT ON metric_logs WHEN NEW.log_id = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`).run();
    try {
      const logs = [
        ...Array.from({ length: 10 }, (_, i) => ({ project: p, run: "a", metrics: { x: i }, step: i, config: { lr: 1 } })),
        ...Array.from({ length: LIMITS.logEntries + 5 }, (_, i) => ({ project: p, run: "b", metrics: { x: i }, log_id: i === LIMITS.logEntries + 4 ? "boom" : `b${i}` })),
      ];
      const r = await call("bulk_log", { logs }, { token: ADMIN });
      expect(r.status).toBe(500);
      expect((await api("GET", `/v1/projects/${p}`)).status).toBe(404);
      const rows = await env.DB.prepare("SELECT count(*) AS n FROM runs WHERE project = ?").bind(p).first<{ n: number }>();
      expect(rows?.n).toBe(0);
    } finally {
      await env.DB.prepare("DROP TRIGGER abort_boom").run();
    }
    const retried = await call("bulk_log", { logs: [{ project: p, run: "a", metrics: { x: 1 }, step: 0 }] }, { token: ADMIN });
    expect(retried.status).toBe(200);
  });

  it("creates no project for an alert refused for its unknown run (REST)", async ({ expect }) => {
    const p = uniqueProject("aproj");
    const r = await api("POST", `/v1/projects/${p}/alerts`, { body: { title: "t", run: "nope" } });
    expect(r.status).toBe(404);
    expect((await api("GET", `/v1/projects/${p}`)).status).toBe(404);
    expect((await send("GET", "/version")).status).toBe(200);
  });
});
