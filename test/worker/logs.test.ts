import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { api, createRun, logEntries, uniqueProject } from "../helpers/api";
import { countedRequest } from "../helpers/round-trips";
import { appendLogRows } from "../../src/db/logs";

const values = async (p: string, run: string, metric: string, q = "") =>
  (await api("GET", `/v1/projects/${p}/runs/${run}/metrics/${encodeURIComponent(metric)}${q}`)).json.values as { step: number; value: unknown; timestamp: string }[];

describe("appending log entries", () => {
  it("assigns missing steps as max + 1, lets explicit steps repeat or go back", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    const r = await logEntries(p, run.id, [
      { metrics: { x: 0 } },
      { metrics: { x: 1 } },
      { step: 10, metrics: { x: 10 } },
      { metrics: { x: 11 } },
      { step: 3, metrics: { x: 3 } },
      { metrics: { x: 12 } },
      { step: 3, metrics: { x: 33 } },
    ]);
    expect(r.json).toMatchObject({ accepted: 7, duplicates: 0, last_step: 12 });
    expect((await values(p, run.id, "x")).map((v) => [v.step, v.value])).toEqual([[0, 0], [1, 1], [3, 3], [3, 33], [10, 10], [11, 11], [12, 12]]);
    const next = await logEntries(p, run.id, [{ metrics: { x: 13 } }]);
    expect(next.json.last_step).toBe(13);
  });

  it("is idempotent by log_id: a retried batch changes nothing", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    const batch = Array.from({ length: 20 }, (_, i) => ({ log_id: `id-${i}`, metrics: { loss: i } }));
    const first = await logEntries(p, run.id, batch);
    const retry = await logEntries(p, run.id, batch);
    expect(first.json).toMatchObject({ accepted: 20, duplicates: 0, last_step: 19 });
    expect(retry.json).toMatchObject({ accepted: 0, duplicates: 20, last_step: 19 });
    const dupInBatch = await logEntries(p, run.id, [{ log_id: "twice", metrics: { loss: 1 } }, { log_id: "twice", metrics: { loss: 2 } }]);
    expect(dupInBatch.json).toMatchObject({ accepted: 1, duplicates: 1 });
    const summary = await api("GET", `/v1/projects/${p}/runs/${run.id}`);
    expect(summary.json).toMatchObject({ log_count: 21, last_step: 20 });
    expect(await values(p, run.id, "loss")).toHaveLength(21);
  });

  it("stores and counts only the new entries of a partly retried batch", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    const entry = (i: number) => ({ step: i, log_id: `id-${i}`, metrics: { loss: i % 3 === 0 ? "NaN" : i } });
    const first = await logEntries(p, run.id, [0, 1, 2, 3].map(entry));
    expect(first.json).toMatchObject({ accepted: 4, duplicates: 0, last_step: 3 });
    // Entries 0-3 again (0 and 3 are NaN) with 4-9 new (6 and 9 are NaN), in one batch.
    const partly = await logEntries(p, run.id, [2, 4, 0, 5, 6, 1, 7, 3, 8, 9].map(entry));
    expect(partly.json).toMatchObject({ accepted: 6, duplicates: 4, last_step: 9 });
    const summary = await api("GET", `/v1/projects/${p}/runs/${run.id}`);
    expect(summary.json).toMatchObject({ log_count: 10, last_step: 9 });
    expect((await values(p, run.id, "loss")).map((v) => v.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const diagnosis = await api("GET", `/v1/projects/${p}/runs/${run.id}/diagnosis`);
    expect(diagnosis.json.metrics.find((m: { name: string }) => m.name === "loss")).toMatchObject({ non_finite: 4 });
  });

  it("tells stored entries from duplicates by the insert's row count: a second round trip only for a partial overlap", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    const entry = (i: number) => ({ step: i, log_id: `id-${i}`, metrics: { loss: i } });
    const path = `/v1/projects/${p}/runs/${run.id}/logs`;
    const fresh = await countedRequest("POST", path, { logs: [0, 1, 2].map(entry) });
    expect(fresh.json).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(fresh.trips).toMatchObject({ d1: 1 });
    const retry = await countedRequest("POST", path, { logs: [0, 1, 2].map(entry) });
    expect(retry.json).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(retry.trips).toMatchObject({ d1: 1 });
    // Another run's rows written in between hold higher ids: they must not count as this batch's own.
    const other = await createRun(p, { name: "other" });
    await logEntries(p, other.id, [0, 1, 2].map(entry));
    const partly = await countedRequest("POST", path, { logs: [1, 3, 2, 4].map(entry) });
    expect(partly.json).toMatchObject({ accepted: 2, duplicates: 2, last_step: 4 });
    expect(partly.trips).toMatchObject({ d1: 2 });
    const summary = await api("GET", `/v1/projects/${p}/runs/${run.id}`);
    expect(summary.json).toMatchObject({ log_count: 5 });
  });

  it("still tells stored entries apart when D1 answers without row counts", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    // The same local D1, whose batch results come back without meta.changes.
    const uncounted = new Proxy(env.DB, {
      get(target, prop) {
        if (prop !== "batch") return Reflect.get(target, prop).bind(target);
        return async (statements: D1PreparedStatement[]) =>
          (await target.batch(statements)).map((r) => ({ ...r, meta: { ...r.meta, changes: undefined } }));
      },
    }) as D1Database;
    const entry = (i: number) => ({ log_id: `id-${i}`, step: i, metrics: { loss: i } });
    const first = await appendLogRows(uncounted, { id: run.id, project: p, lastStep: null }, [0, 1, 2].map(entry), Date.now() * 1000);
    expect(first.stored.map((e) => e.log_id)).toEqual(["id-0", "id-1", "id-2"]);
    const partly = await appendLogRows(uncounted, { id: run.id, project: p, lastStep: 2 }, [1, 3, 2, 4].map(entry), Date.now() * 1000);
    expect(partly.stored.map((e) => e.log_id)).toEqual(["id-3", "id-4"]);
    expect(partly.duplicates).toBe(2);
  });

  it("marks a metric numeric once any value of it is, and keeps it so", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    const numeric = async () =>
      (await env.DB.prepare("SELECT name, numeric FROM metric_names WHERE run_id = ? ORDER BY name").bind(run.id).all()).results.map((r) => [r.name, r.numeric]);
    await logEntries(p, run.id, [{ step: 0, metrics: { phase: "warmup", lr: "auto", loss: 1 } }]);
    expect(await numeric()).toEqual([["loss", 1], ["lr", 0], ["phase", 0]]);
    await logEntries(p, run.id, [{ step: 1, metrics: { phase: "train", lr: 0.1, loss: 0.9 } }]);
    await logEntries(p, run.id, [{ step: 2, metrics: { phase: "train", lr: "auto", loss: "NaN" } }]);
    expect(await numeric()).toEqual([["loss", 1], ["lr", 1], ["phase", 0]]);
  });

  it("round-trips NaN, ±Infinity, full-precision doubles and nested values exactly", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    const metrics = { a: "NaN", b: "Infinity", c: "-Infinity", d: 0.1 + 0.2, e: 1e-300, f: -0, g: { enc: 1.5, head: [1, 2, { x: null }] }, h: 123456789012345 };
    await logEntries(p, run.id, [{ step: 0, metrics }]);
    const snap = await api("GET", `/v1/projects/${p}/runs/${run.id}/snapshot?step=0`);
    const got = Object.fromEntries(Object.entries(snap.json.metrics as Record<string, { value: unknown }[]>).map(([k, v]) => [k, v[0].value]));
    expect(got).toEqual({ ...metrics, f: 0 });
    expect(snap.text).not.toMatch(/\bNaN\b(?!")/);
  });

  it("stores a 1,000-entry batch in one request", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "big" });
    const logs = Array.from({ length: 1000 }, (_, i) => ({
      log_id: crypto.randomUUID(),
      metrics: Object.fromEntries(Array.from({ length: 10 }, (_, j) => [`m${j}`, Math.random() + i])),
    }));
    const r = await logEntries(p, run.id, logs);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ accepted: 1000, last_step: 999 });
    const n = await env.DB.prepare(`SELECT count(*) AS n FROM metric_logs WHERE run_id = ?`).bind(run.id).first<{ n: number }>();
    expect(n?.n).toBe(1000);
  });

  it("stores nothing when one entry of a batch is invalid, and names it", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    const logs: unknown[] = Array.from({ length: 600 }, (_, i) => ({ metrics: { x: i } }));
    logs[500] = { step: -1, metrics: { x: 1 } };
    const r = await logEntries(p, run.id, logs);
    expect(r.status).toBe(400);
    expect(r.json.error.details[0].path).toBe("logs.500.step");
    const bad2 = await logEntries(p, run.id, [{ metrics: "loss=1" }]);
    expect(bad2.json.error.details[0].path).toBe("logs.0.metrics");
    const empty = await logEntries(p, run.id, []);
    expect(empty.status).toBe(400);
    expect((await api("GET", `/v1/projects/${p}/runs/${run.id}`)).json.log_count).toBe(0);
  });

  it("refuses an oversize body with 413 and unknown runs with 404", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    const huge = JSON.stringify({ logs: [{ metrics: { blob: "x".repeat(9 * 1024 * 1024) } }] });
    const r = await api("POST", `/v1/projects/${p}/runs/${run.id}/logs`, { raw: huge });
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe("payload_too_large");
    const missing = await logEntries(p, "no-such-run", [{ metrics: { x: 1 } }]);
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toContain("no-such-run");
  });

  it("writes to a run id only within its own project, and finds a run whose name looks like an id", async ({ expect }) => {
    const a = uniqueProject();
    const b = uniqueProject();
    const runA = await createRun(a, { name: "mine" });
    await createRun(b, { name: "theirs" });
    // B's key-holder sends A's run id in B's project: refused, and nothing reaches A's run.
    const cross = await logEntries(b, runA.id, [{ step: 0, metrics: { x: 1 }, log_id: "x1" }]);
    expect(cross.status).toBe(404);
    const rows = await env.DB.prepare(`SELECT count(*) AS n FROM metric_logs WHERE run_id = ?`).bind(runA.id).first<{ n: number }>();
    expect(rows?.n).toBe(0);
    expect((await api("GET", `/v1/projects/${a}/runs/${runA.id}`)).json).toMatchObject({ log_count: 0, last_step: null });
    // A 32-hex name is not an id: it still resolves by name.
    const hexName = "ab".repeat(16);
    const named = await createRun(a, { name: hexName });
    const ok = await logEntries(a, hexName, [{ step: 3, metrics: { x: 1 } }]);
    expect(ok.json).toMatchObject({ run_id: named.id, accepted: 1, last_step: 3 });
    // The one-round-trip path reports the run's last step, not only the batch's.
    await logEntries(a, runA.id, [{ step: 9, metrics: { x: 1 } }]);
    const back = await logEntries(a, runA.id, [{ step: 2, metrics: { x: 2 } }]);
    expect(back.json).toMatchObject({ accepted: 1, last_step: 9 });
  });
});
