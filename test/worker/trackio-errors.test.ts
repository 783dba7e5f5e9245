import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, it, vi } from "vitest";
import { READ_KEY_REQUIRED, WRITE_TOKEN_REQUIRED } from "../../src/trackio/errors";
import { isRecentlyRejected } from "../../src/auth/rejected";
import { api, createKey, uniqueProject } from "../helpers/api";
import { ELIDED, HTTP_RECORDS, call, send } from "../helpers/trackio";

const entry = (project: string, extra: Record<string, unknown> = {}) => ({
  project,
  run: "r",
  run_id: "0123456789abcdef0123456789abcdef".slice(0, 32),
  metrics: { loss: 1 },
  step: 0,
  config: null,
  log_id: crypto.randomUUID().replaceAll("-", ""),
  ...extra,
});

describe("Trackio protocol errors", () => {
  const keys = { write: "", read: "", other: "" };
  beforeAll(async () => {
    keys.write = await createKey("write");
    keys.read = await createKey("read");
    keys.other = await createKey("write", ["someone-else"]);
  });
  afterEach(() => vi.restoreAllMocks());

  it("answers an unknown endpoint 404 with Trackio's message, whatever the key", async ({ expect }) => {
    for (const token of [null, keys.read, "garbage"]) {
      const r = await call("no_such_endpoint", {}, { token });
      expect(r.status).toBe(404);
      expect(r.json).toEqual({ error: "Unknown API: no_such_endpoint" });
    }
    // Trackio endpoints Trackflare does not serve are unknown too (the client reports them as unsupported).
    expect((await call("query_project", { project: "p", query: "select 1" }, { token: keys.read })).json).toEqual({ error: "Unknown API: query_project" });
  });

  it("names the first missing required parameter, in Trackio's parameter order", async ({ expect }) => {
    const cases: [string, unknown[], Record<string, unknown>, string][] = [
      ["get_runs_for_project", [], {}, "project"],
      ["get_metric_values", ["p", "r"], {}, "metric_name"],
      ["get_metric_values", [], { project: "p", metric_name: "m" }, "run"],
      ["bulk_log", [], {}, "logs"],
      ["rename_run", ["p", "old"], {}, "new_name"],
    ];
    for (const [name, args, kwargs, missing] of cases) {
      const r = await call(name, kwargs, { args, token: keys.write });
      expect(r.status, name).toBe(400);
      expect(r.json).toEqual({ error: `Missing required parameter: ${missing}` });
    }
  });

  it("refuses a write without a key or with a wrong key with Trackio's 400, and stores nothing", async ({ expect }) => {
    const p = uniqueProject("tk");
    for (const token of [null, "tf_wrong", keys.read.slice(0, -1) + "x"]) {
      for (const [name, kw] of [
        ["bulk_log", { logs: [entry(p)], hf_token: null }],
        ["bulk_log_system", { logs: [{ project: p, run: "r", metrics: { cpu: 1 }, timestamp: "2026-11-28T17:25:43.295535+00:00" }] }],
        ["bulk_alert", { alerts: [{ project: p, run: "r", title: "t", level: "warn" }] }],
        ["bulk_upload_media", { uploads: [] }],
      ] as const) {
        const r = await call(name, kw, { token });
        expect(r.status, `${name} with ${token}`).toBe(400);
        expect(r.json).toEqual({ error: WRITE_TOKEN_REQUIRED });
      }
    }
    expect((await call("get_all_projects", {}, { token: keys.read })).json.data).not.toContain(p);
    expect((await api("GET", `/v1/projects/${p}`)).status).toBe(404);
  });

  it("refuses writes with a read key (403) and to a project outside a limited key (403)", async ({ expect }) => {
    const p = uniqueProject("tk");
    const r = await call("bulk_log", { logs: [entry(p)] }, { token: keys.read });
    expect(r.status).toBe(403);
    expect(r.json.error).toMatch(/'read' scope/);
    const o = await call("bulk_log", { logs: [entry(p)] }, { token: keys.other });
    expect(o.status).toBe(403);
    expect(o.json).toEqual({ error: `This key may not write to project '${p}'.` });
    expect((await api("GET", `/v1/projects/${p}`)).status).toBe(404);
  });

  it("refuses reads without a key or with a wrong one (401), and answers a hidden project as an unknown one", async ({ expect }) => {
    const p = uniqueProject("tk");
    expect((await call("bulk_log", { logs: [entry(p)] }, { token: keys.write })).status).toBe(200);
    for (const token of [null, "tf_wrong"]) {
      const r = await call("get_runs_for_project", { project: p }, { token });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ error: READ_KEY_REQUIRED });
    }
    expect((await call("get_runs_for_project", { project: p }, { token: keys.read })).json.data).toHaveLength(1);
    expect((await call("get_runs_for_project", { project: p }, { token: keys.other })).json).toEqual({ data: [] });
    expect((await call("get_project_summary", { project: p }, { token: keys.other })).json).toEqual({
      data: { project: p, num_runs: 0, runs: [], last_activity: null },
    });
    expect((await call("get_all_projects", {}, { token: keys.other })).json).toEqual({ data: [] });
    // /version stays open: the client probes it before anything else.
    expect((await send("GET", "/version")).status).toBe(200);
  });

  it("answers unknown projects, runs and metrics as Trackio does: empty, not an error", async ({ expect }) => {
    const p = uniqueProject("tk");
    await call("bulk_log", { logs: [entry(p)] }, { token: keys.write });
    const read = async (name: string, kwargs: Record<string, unknown>) => {
      const r = await call(name, kwargs, { token: keys.read });
      expect(r.status, name).toBe(200);
      return r.json.data;
    };
    const missing = uniqueProject("missing");
    expect(await read("get_runs_for_project", { project: missing })).toEqual([]);
    expect(await read("get_project_summary", { project: missing })).toEqual({ project: missing, num_runs: 0, runs: [], last_activity: null });
    expect(await read("get_alerts", { project: missing })).toEqual([]);
    expect(await read("get_run_configs", { project: missing })).toEqual({});
    expect(await read("get_run_summary", { project: p, run: "nope" })).toEqual({ project: p, run: "nope", run_id: null, num_logs: 0, metrics: [], config: null, last_step: null });
    expect(await read("get_run_summary", { project: p, run_id: "f".repeat(32) })).toEqual({ project: p, run: null, run_id: "f".repeat(32), num_logs: 0, metrics: [], config: null, last_step: null });
    expect(await read("get_metrics_for_run", { project: p, run: "nope" })).toEqual([]);
    expect(await read("get_metric_values", { project: p, run: "r", metric_name: "nope" })).toEqual([]);
    expect(await read("get_metric_values", { project: p, run: "nope", metric_name: "loss" })).toEqual([]);
    expect(await read("get_snapshot", { project: p, run: "nope", step: 0 })).toEqual({});
    expect(await read("get_logs", { project: p, run: "nope" })).toEqual([]);
    expect(await read("get_system_logs", { project: p, run: "r" })).toEqual([]);
    expect(await read("get_system_metrics_for_run", { project: p, run: "r" })).toEqual([]);
    expect(await read("get_alerts", { project: p, run: "nope" })).toEqual([]);
  });

  it("names the offending field of a bad batch and stores none of it", async ({ expect }) => {
    const p = uniqueProject("tk");
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ logs: [entry(p), entry(p, { metrics: "nope" })] }, /^Invalid logs\.1\.metrics: /],
      [{ logs: [entry(p), entry(p, { step: -1 })] }, /^Invalid logs\.1\.step: step must be >= 0/],
      [{ logs: [entry(p), entry(p, { project: 42 })] }, /^Invalid logs\.1\.project: project must be a string/],
      [{ logs: [entry(p), { ...entry(p), run: undefined }] }, /^Invalid logs\.1\.run: run must be a string/],
      [{ logs: "nope" }, /^Invalid logs: logs must be a list/],
    ];
    for (const [kwargs, message] of cases) {
      const r = await call("bulk_log", kwargs, { token: keys.write });
      expect(r.status).toBe(400);
      expect(r.json.error).toMatch(message);
    }
    const alert = await call("bulk_alert", { alerts: [{ project: p, run: "r", title: "ok", level: "warn" }, { project: p, run: "r", title: "bad", level: "critical" }] }, { token: keys.write });
    expect(alert.status).toBe(400);
    expect(alert.json.error).toMatch(/^Invalid alerts\.1\.level: /);
    const badTime = await call("bulk_alert", { alerts: [{ project: p, run: "r", title: "t", level: "warn", timestamp: "yesterday" }] }, { token: keys.write });
    expect(badTime.status).toBe(400);
    expect(badTime.json.error).toMatch(/^Invalid alerts\.0\.timestamp: /);
    const badSince = await call("get_alerts", { project: p, since: "last tuesday" }, { token: keys.read });
    expect(badSince.status).toBe(400);
    expect(badSince.json.error).toMatch(/since/);
    const badStep = await call("get_metric_values", { project: p, run: "r", metric_name: "loss", step: "five" }, { token: keys.read });
    expect(badStep.status).toBe(400);
    expect(badStep.json.error).toMatch(/^Invalid step: /);
    // Nothing of the refused batches was stored.
    expect((await api("GET", `/v1/projects/${p}`)).status).toBe(404);
  });

  it("refuses media uploads it cannot store with a 400 naming the field, and uploads without a key", async ({ expect }) => {
    const r = await call("bulk_upload_media", { uploads: [{ project: "p", run: "r", step: 0, relative_path: null, uploaded_file: { path: "/tmp/x.png" } }] }, { token: keys.write });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/^Invalid uploads\.0\.uploaded_file\.path: /);
    const multipart = "--b\r\ncontent-disposition: form-data; name=\"files\"; filename=\"x.html\"\r\ncontent-type: text/html\r\n\r\n<script>\r\n--b--\r\n";
    const up = await send("POST", "/api/upload", { headers: { "x-trackio-write-token": keys.write, "content-type": "multipart/form-data; boundary=b" }, raw: multipart });
    expect(up.status).toBe(400);
    expect(up.json.error).toMatch(/^Invalid files: 'x\.html' is not a stored media type/);
    const anon = await send("POST", "/api/upload");
    expect(anon.status).toBe(400);
    expect(anon.json.error).toMatch(/write_token is required to upload/);
  });

  it("answers GET on an endpoint 405 and an oversize body 413, both without a 5xx", async ({ expect }) => {
    const get = await send("GET", "/api/get_all_projects", { headers: { "x-trackio-write-token": keys.read } });
    expect(get.status).toBe(405);
    expect(get.text).toBe("Method Not Allowed");
    const big = await send("POST", "/api/bulk_log", {
      headers: { "content-type": "application/json", "x-trackio-write-token": keys.write },
      raw: JSON.stringify({ kwargs: { logs: [{ project: "p", run: "r", metrics: { blob: "x".repeat(9 * 1024 * 1024) } }] } }),
    });
    expect(big.status).toBe(413);
    expect(big.json.error).toMatch(/larger than/);
  });
});

describe("a rejected write's retry storm", () => {
  // fixtures: errors.jsonl, sdk-wrong-token: the client re-sent the same rejected bulk_log 822
  // times in 30 s (812 of them elided from the file).
  const storm = HTTP_RECORDS.filter((r) => r.scenario === "sdk-wrong-token" && r.request.path === "/api/bulk_log");
  const elided = ELIDED.find((e) => e.scenario === "sdk-wrong-token")!;

  it("is answered with Trackio's 400 every time, from memory after the first miss, and stores nothing", async ({ expect }) => {
    const token = `tf_${crypto.randomUUID().replaceAll("-", "")}`;
    const body = storm[storm.length - 1].request.body;
    const send1 = () => send("POST", "/api/bulk_log", { headers: { "content-type": "application/json", "x-trackio-write-token": token }, body });
    const first = await send1();
    expect(first.status).toBe(400);
    expect(first.json).toEqual({ error: WRITE_TOKEN_REQUIRED });
    expect(await isRecentlyRejected(token)).toBe(true);

    const prepare = vi.spyOn(env.DB, "prepare");
    const batch = vi.spyOn(env.DB, "batch");
    const n = Math.min(elided.count, 100);
    const started = Date.now();
    for (let i = 0; i < n; i++) {
      const r = await send1();
      expect(r.status).toBe(400);
      expect(r.json).toEqual({ error: WRITE_TOKEN_REQUIRED });
    }
    console.log(`retry storm: ${n} rejected writes in ${Date.now() - started} ms`);
    // No D1 statement at all for the retries: no key lookup, no write.
    expect(prepare).not.toHaveBeenCalled();
    expect(batch).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    const runs = await call("get_runs_for_project", { project: "variants-demo" }, { token: await createKey("read") });
    expect(runs.json.data.map((r: any) => r.name)).not.toContain("wrong-token");
  }, 60_000);

  it("still accepts a valid key at once (only failures are remembered)", async ({ expect }) => {
    const key = await createKey("write");
    const p = uniqueProject("storm");
    const r = await call("bulk_log", { logs: [entry(p)] }, { token: key });
    expect(r.status).toBe(200);
    expect(await isRecentlyRejected(key)).toBe(false);
  });
});
