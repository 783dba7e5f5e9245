import { describe, it } from "vitest";
import { ENDPOINTS } from "../../src/trackio/registry";
import { createKey, uniqueProject } from "../helpers/api";
import { call, send } from "../helpers/trackio";

// Random, malformed and hostile arguments to every Trackio endpoint, as keywords and as
// positional arguments: each answer must be below 500 and one of the protocol's two shapes,
// `{"data": …}` or `{"error": "<message>"}`.

let seed = 0x7ac10;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];

const WEIRD: unknown[] = [null, true, 0, -1, 1.5, 1e308, 2 ** 53 + 2, "", "NaN", "Infinity", "x".repeat(300), [], {}, [null], { a: [1, { b: "NaN" }] }, "\u0000", "💥", "../etc", "2026-11-28T17:25:45Z", "r"];

function weird(project: string, depth = 0): unknown {
  const r = rand();
  if (depth > 2 || r < 0.45) return pick(WEIRD);
  if (r < 0.6) return project;
  if (r < 0.8) {
    const entry: Record<string, unknown> = {};
    for (const k of ["project", "run", "run_id", "metrics", "step", "config", "log_id", "title", "level", "timestamp", "alert_id", "text"]) {
      if (rand() < 0.7) entry[k] = k === "project" && rand() < 0.7 ? project : rand() < 0.3 ? weird(project, depth + 1) : pick(WEIRD);
    }
    return entry;
  }
  return Array.from({ length: Math.floor(rand() * 3) }, () => weird(project, depth + 1));
}

describe("fuzzed Trackio calls", () => {
  it("never answer 5xx and always answer {data} or {error}", { timeout: 120_000 }, async ({ expect }) => {
    const key = await createKey("write");
    const p = uniqueProject("tfz");
    await call("bulk_log", { logs: [{ project: p, run: "r", run_id: null, metrics: { loss: 1 }, step: 0, config: null, log_id: null }] }, { token: key });
    const failures: string[] = [];
    const statuses: Record<number, number> = {};
    const names = Object.keys(ENDPOINTS);
    for (let i = 0; i < 300; i++) {
      const name = pick(names);
      const ep = ENDPOINTS[name];
      const kwargs: Record<string, unknown> = {};
      for (const param of ep.params) if (rand() < 0.8) kwargs[param] = param === "project" && rand() < 0.6 ? p : weird(p);
      const args = rand() < 0.3 ? ep.params.map((param) => kwargs[param] ?? null) : [];
      const r = await call(name, args.length ? {} : kwargs, { token: key, args });
      const shapeOk = r.json && typeof r.json === "object" && (("data" in r.json && r.status === 200) || (typeof r.json.error === "string" && r.status >= 400));
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.status >= 500 || !shapeOk) failures.push(`${name} ${JSON.stringify({ args, kwargs }).slice(0, 300)} -> ${r.status} ${r.text.slice(0, 200)}`);
    }
    for (const raw of ["", "{", "null", "[]", "[[[[[[]]]]]]", "5", '"s"', '{"args": 5, "kwargs": []}', '{"data": {"project": 1}}', '{"kwargs": {"logs": [{"metrics": {"a": NaN}}]}}']) {
      for (const name of ["bulk_log", "get_alerts", "get_metric_values"]) {
        const r = await send("POST", `/api/${name}`, { headers: { "content-type": "application/json", "x-trackio-write-token": key }, raw });
        if (r.status >= 500 || !(r.json && ("data" in r.json || typeof r.json.error === "string"))) failures.push(`${name} raw ${raw} -> ${r.status} ${r.text.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    // The inputs reach the handlers, not only the validation: some calls succeed.
    expect(statuses[200]).toBeGreaterThan(20);
    expect(statuses[400]).toBeGreaterThan(20);
  });
});
