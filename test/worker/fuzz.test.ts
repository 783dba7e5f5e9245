import { describe, it } from "vitest";
import { api, createRun, logEntries, uniqueProject } from "../helpers/api";

// Random, malformed and hostile input on every core route: the Worker must answer each with a
// status below 500 and, for a 4xx, the one error shape.

let seed = 0x5eed;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];

const WEIRD_VALUES: unknown[] = [null, true, false, 0, -1, 1e308, -1e308, 2 ** 53 + 2, "", "NaN", "x".repeat(300), [], {}, [1, [2, [3]]], { a: { b: { c: null } } }, "\u0000", "💥", "../../etc/passwd", "' OR 1=1 --"];
const KEYS = ["step", "metrics", "log_id", "timestamp", "name", "config", "resume", "group", "status", "logs", "id", "scope", "projects", "__proto__", "constructor"];

function weirdObject(depth = 0): unknown {
  if (depth > 2 || rand() < 0.3) return pick(WEIRD_VALUES);
  const o: Record<string, unknown> = {};
  const n = Math.floor(rand() * 5);
  for (let i = 0; i < n; i++) o[pick(KEYS)] = rand() < 0.5 ? weirdObject(depth + 1) : pick(WEIRD_VALUES);
  if (rand() < 0.3) return [o, weirdObject(depth + 1)];
  return o;
}

const RAW_BODIES = ["", "{", "null", "[]", '{"logs":', '{"logs":[{"metrics":{"a":NaN}}]}', "\u0000\u0001", '{"logs":[{"step":1.5,"metrics":{}}]}', '{"logs":[{"step":1e400,"metrics":{}}]}'];
const QUERY_JUNK = ["step=-1", "step=abc", "around=1e999", "window=-5", "max_points=0", "max_points=999999999", "start=5&end=1", "status=%00", "config=%3D%3D", "config=a", "runs=", "limit=-1", "cursor=x", "since=yesterday"];

describe("fuzzed input", () => {
  it("never answers 5xx on the core routes", { timeout: 60_000 }, async ({ expect }) => {
    const p = uniqueProject("fuzz");
    const run = await createRun(p, { name: "r" });
    await logEntries(p, run.id, [{ metrics: { loss: 1 } }]);
    const paths = [
      `/v1/projects/${p}/runs`,
      `/v1/projects/${p}/runs/${run.id}`,
      `/v1/projects/${p}/runs/${run.id}/logs`,
      `/v1/projects/${p}/runs/${run.id}/finish`,
      `/v1/projects/${p}/runs/${run.id}/metrics/loss`,
      `/v1/projects/${p}/runs/${run.id}/snapshot`,
      `/v1/projects/${p}/series`,
      `/v1/projects/${p}`,
      `/v1/projects/${encodeURIComponent("bad name/../x")}/runs`,
      `/v1/keys`,
      `/v1/projects/${p}/runs/%E0%A4%A`,
    ];
    const failures: string[] = [];
    for (let i = 0; i < 400; i++) {
      const path = pick(paths) + (rand() < 0.4 ? `?${pick(QUERY_JUNK)}` : "");
      const method = pick(["GET", "POST", "PATCH", "DELETE", "PUT"]);
      const raw = rand() < 0.3 ? pick(RAW_BODIES) : JSON.stringify(weirdObject());
      const r = await api(method, path, method === "GET" || method === "DELETE" ? {} : { raw });
      if (r.status >= 500) failures.push(`${method} ${path} ${raw.slice(0, 80)} → ${r.status} ${r.text.slice(0, 120)}`);
      else if (r.status >= 400) expect(r.json?.error?.code, `${method} ${path} → ${r.text}`).toBeTypeOf("string");
    }
    expect(failures).toEqual([]);
  });
});
