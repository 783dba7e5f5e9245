import { describe, it } from "vitest";
import { z } from "zod";
import { Project } from "../../src/trackio/endpoint";
import { bulkLogChecker } from "../../src/trackio/check-bulk-log";
import { BULK_LOG_CHECK, BulkLogArgs } from "../../src/trackio/endpoints/writes";
import { prng } from "../helpers/prng";
import { call } from "../helpers/trackio";
import { ADMIN, api, uniqueProject } from "../helpers/api";

// Trackio's bulk_log arguments checked by hand before zod: never "valid" where zod refuses, and
// exactly zod's verdict on what the trackio client sends, limits included.

const { rand, int, pick } = prng(0x7ac10);
const str = (n: number) => "r".repeat(n);
const zodOk = (b: unknown) => BulkLogArgs.safeParse(b).success;

/** An entry as the client sends it: project, run, run_id, metrics, step, config (first entry after an init), log_id. */
function hotEntry(project: string, k: number): Record<string, unknown> {
  const metrics: Record<string, unknown> = {};
  for (let j = 0, n = 1 + int(10); j < n; j++) metrics[`m${int(12)}`] = pick([rand(), -rand() * 5, "NaN", "Infinity", "-Infinity", 0]);
  return { project, run: "run-1", run_id: "0123456789abcdef0123456789abcdef", metrics, step: k, config: k === 0 && rand() < 0.3 ? { lr: 0.01, _Group: "g" } : null, log_id: `id-${k}` };
}

/** A call of hot entries with, most of the time, one field of one entry at or past a limit, or replaced by anything. */
function fuzzed(wild: boolean): Record<string, unknown> {
  const n = 1 + int(60);
  const logs: Record<string, unknown>[] = Array.from({ length: n }, (_, k) => hotEntry("proj-a", k));
  if (rand() < 0.75) {
    const e = logs[int(n)];
    const field = pick(["project", "run", "run_id", "log_id", "step", "metric", "config"]);
    const edge: Record<string, unknown[]> = {
      project: ["", "bad/name", "ok_name-2", str(128), str(129), 3, null],
      run: ["", "r", str(256), str(257), 1, null, ".", "..", "a\u0000b", "a\nb", "\ud800"],
      run_id: [null, "", "x", str(256), str(257), 5],
      log_id: [null, "", "x", str(128), str(129), {}],
      step: [null, -1, 1.5, 2 ** 53, 2 ** 53 - 1, "3"],
      metric: ["", str(256), str(257), "a/../b", "..", "a\u0000b", "tab\tname", "\udc00x"],
      config: [null, {}, { a: [1, { b: null }] }, [], "cfg", 1],
    };
    if (field === "metric") e.metrics = { ...(e.metrics as object), [pick(edge.metric) as string]: wild ? pick([1, "x", true, null, [1], { a: 1 }]) : 1 };
    else e[field] = pick(edge[field]);
    if (wild && rand() < 0.3) delete e[pick(["project", "run", "metrics", "step"])];
  }
  if (wild && rand() < 0.05) return { logs: pick([null, {}, "x", [1]]) };
  return rand() < 0.1 ? { logs, hf_token: "hf_x" } : { logs };
}

describe("hand-written bulk_log check", () => {
  it("is on for the contract's schema, and off for a schema of another shape", ({ expect }) => {
    // If this fails, bulk_log's arguments changed shape: update src/trackio/check-bulk-log.ts.
    expect(BULK_LOG_CHECK.enabled).toBe(true);
    const other = z.object({ logs: z.array(z.object({ project: Project, run: z.string().refine((r) => r !== "x") })) });
    expect(bulkLogChecker(other, Project).enabled).toBe(false);
  });

  it("never accepts arguments zod refuses, on fuzzed calls", { timeout: 60_000 }, ({ expect }) => {
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 1500; i++) {
      const b = fuzzed(true);
      const z = zodOk(b);
      if (!z) refused++;
      if (BULK_LOG_CHECK.check(b)) {
        accepted++;
        expect(z, JSON.stringify(b).slice(0, 300)).toBe(true);
      }
    }
    expect(accepted).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(300);
  });

  it("gives exactly zod's verdict on calls of the client's shape", { timeout: 60_000 }, ({ expect }) => {
    let valid = 0;
    for (let i = 0; i < 1500; i++) {
      const b = fuzzed(false);
      const z = zodOk(b);
      // A non-canonical project is valid for zod (it canonicalises it) but left to zod here, and so
      // is a config (sent once after each init, and measured by zod): neither is the hot shape.
      const canonical = (b.logs as { project: unknown }[]).every((e) => typeof e.project !== "string" || /^[A-Za-z0-9_-]+$/.test(e.project));
      const noConfig = (b.logs as { config: unknown }[]).every((e) => e.config === null || e.config === undefined);
      if (z) valid++;
      if (canonical && noConfig) expect(BULK_LOG_CHECK.check(b), JSON.stringify(b).slice(0, 300)).toBe(z);
      else expect(BULK_LOG_CHECK.check(b)).toBe(false);
    }
    expect(valid).toBeGreaterThan(300);
    expect(valid).toBeLessThan(1500);
  });

  it("the endpoint still answers zod's error for what the check leaves to it, and stores a non-canonical project under its canonical name", async ({ expect }) => {
    const p = uniqueProject("bl");
    const runId = crypto.randomUUID().replaceAll("-", "");
    const long = await call("bulk_log", { logs: [{ project: p, run: str(257), metrics: { a: 1 }, step: 0 }] }, { token: ADMIN });
    expect(long.status).toBe(400);
    expect(long.json.error).toMatch(/run/);
    const odd = await call("bulk_log", { logs: [{ project: `${p}/x`, run: "r", run_id: runId, metrics: { a: 1 }, step: 0, config: null, log_id: "l0" }] }, { token: ADMIN });
    expect(odd.status).toBe(200);
    expect((await api("GET", `/v1/projects/${p}x/runs/${runId}`)).json).toMatchObject({ id: runId, log_count: 1 });
  });
});
