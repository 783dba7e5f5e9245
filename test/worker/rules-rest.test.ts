import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { api, createKey, createRun, logEntries, uniqueProject } from "../helpers/api";
import { addRule, allAlerts, series } from "../helpers/rules";

const post = (p: string, body: unknown, token?: string) => api("POST", `/v1/projects/${p}/rules`, { body, token });
const valid = { metric: "loss", condition: { type: "gt" as const, value: 1 }, title: "high" };

describe("rules REST", () => {
  it("adds, lists, reads and removes rules", async ({ expect }) => {
    const p = uniqueProject();
    const a = await post(p, { ...valid, id: "a", level: "ERROR" });
    expect(a.status).toBe(201);
    expect(a.json).toEqual({ id: "a", metric: "loss", condition: { type: "gt", value: 1 }, level: "error", title: "high", text: null, created_at: expect.any(String) });
    const b = await addRule(p, { metric: "val/*", condition: { type: "no_improvement", steps: 10 }, title: "plateau", text: "best {best}" });
    expect(b).toMatchObject({ id: expect.stringMatching(/^rule_[0-9a-f]{12}$/), condition: { type: "no_improvement", steps: 10, mode: "min", min_delta: 0 }, level: "warn" });
    const list = await api("GET", `/v1/projects/${p}/rules`);
    expect(list.json.rules.map((r: any) => r.id)).toEqual(["a", b.id]);
    expect((await api("GET", `/v1/projects/${p}/rules/a`)).json).toEqual(a.json);
    expect(await api("DELETE", `/v1/projects/${p}/rules/a`)).toMatchObject({ status: 200, json: { deleted: true, id: "a" } });
    expect((await api("GET", `/v1/projects/${p}/rules`)).json.rules.map((r: any) => r.id)).toEqual([b.id]);
    const gone = await api("DELETE", `/v1/projects/${p}/rules/a`);
    expect(gone.status).toBe(404);
    expect(gone.json.error).toMatchObject({ code: "not_found", message: `Rule 'a' not found in project '${p}'` });
    expect((await api("GET", `/v1/projects/${p}/rules/a`)).status).toBe(404);
  });

  it("answers a project that does not exist with no rules", async ({ expect }) => {
    const r = await api("GET", `/v1/projects/${uniqueProject("none")}/rules`);
    expect(r).toMatchObject({ status: 200, json: { rules: [] } });
  });

  it("answers a retried add with the stored rule, and refuses the same id with another definition", async ({ expect }) => {
    const p = uniqueProject();
    const first = await post(p, { ...valid, id: "same" });
    const retry = await post(p, { ...valid, id: "same", level: "warn" });
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual(first.json);
    const other = await post(p, { ...valid, id: "same", condition: { type: "gt", value: 2 } });
    expect(other.status).toBe(409);
    expect(other.json.error).toMatchObject({ code: "conflict", details: [{ path: "id" }] });
    expect((await api("GET", `/v1/projects/${p}/rules`)).json.rules).toHaveLength(1);
  });

  it("refuses bad definitions with a 400 naming the field, storing nothing", async ({ expect }) => {
    const p = uniqueProject();
    const cases: [unknown, string, RegExp][] = [
      [{ ...valid, metric: undefined }, "metric", /expected string/],
      [{ ...valid, metric: "" }, "metric", /must not be empty/],
      [{ ...valid, condition: { type: "above", value: 1 } }, "condition.type", /gt, lt, non_finite, no_improvement, spike/],
      [{ ...valid, condition: { type: "gt" } }, "condition.value", /value must be a number/],
      [{ ...valid, condition: { type: "lt", value: "x" } }, "condition.value", /value must be a number/],
      [{ ...valid, condition: { type: "gt", value: 1, steps: 3 } }, "condition", /steps/],
      [{ ...valid, condition: { type: "spike", factor: 1 } }, "condition.factor", /factor must be > 1/],
      [{ ...valid, condition: { type: "spike", factor: 3, direction: "sideways" } }, "condition.direction", /'up', 'down' or 'both'/],
      [{ ...valid, condition: { type: "no_improvement", steps: 0 } }, "condition.steps", /steps must be >= 1/],
      [{ ...valid, condition: { type: "no_improvement", steps: 1.5 } }, "condition.steps", /integer/],
      [{ ...valid, condition: { type: "no_improvement", steps: 5, mode: "median" } }, "condition.mode", /'min' or 'max'/],
      [{ ...valid, condition: { type: "no_improvement", steps: 5, min_delta: -1 } }, "condition.min_delta", />= 0/],
      [{ ...valid, level: "fatal" }, "level", /info|warn|error/],
      [{ ...valid, title: "" }, "title", /must not be empty/],
      [{ ...valid, text: "loss={valeu:.4f}" }, "text", /unknown placeholder \{valeu\}/],
      [{ ...valid, text: "{value:.4q}" }, "text", /unsupported format/],
      [{ ...valid, title: "{best} too high" }, "title", /unknown placeholder \{best\}/],
      [{ ...valid, text: "{value" }, "text", /unclosed/],
      [{ ...valid, id: "has space" }, "id", /letters, digits/],
      [{ ...valid, id: "builtin:stale" }, "id", /letters, digits/],
      [{ ...valid, colour: "red" }, "", /colour/],
    ];
    for (const [body, path, message] of cases) {
      const r = await post(p, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.code).toBe("invalid_request");
      const detail = r.json.error.details.find((d: any) => d.path === path);
      expect(detail, `${JSON.stringify(body)} → ${r.text}`).toBeDefined();
      expect(`${detail.message} ${r.json.error.message}`).toMatch(message);
    }
    const garbled = await api("POST", `/v1/projects/${p}/rules`, { raw: "{not json" });
    expect(garbled.status).toBe(400);
    expect((await api("GET", `/v1/projects/${p}/rules`)).json.rules).toEqual([]);
  });

  it("needs a write key to change rules and a read key to list them", async ({ expect }) => {
    const p = uniqueProject();
    const read = await createKey("read", [p]);
    const write = await createKey("write", [p]);
    const elsewhere = await createKey("write", ["someone-else"]);
    expect((await post(p, valid, read)).status).toBe(403);
    expect((await post(p, valid, elsewhere)).status).toBe(404);
    const rule = await addRule(p, valid, write);
    expect((await api("GET", `/v1/projects/${p}/rules`, { token: read })).json.rules).toHaveLength(1);
    expect((await api("GET", `/v1/projects/${p}/rules`, { token: elsewhere })).status).toBe(404);
    expect((await api("DELETE", `/v1/projects/${p}/rules/${rule.id}`, { token: read })).status).toBe(403);
    expect((await api("DELETE", `/v1/projects/${p}/rules/${rule.id}`, { token: write })).status).toBe(200);
    expect((await api("GET", `/v1/projects/${p}/rules`, { token: null })).status).toBe(401);
  });

  it("holds at most 100 rules per project", async ({ expect }) => {
    const p = uniqueProject();
    for (let i = 0; i < 100; i++) await addRule(p, { ...valid, id: `r${i}` });
    const r = await post(p, { ...valid, id: "r100" });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/at most|most it may hold/);
  });

  it("stops raising a removed rule's alerts; added again it starts afresh", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r" });
    await addRule(p, { ...valid, id: "x" });
    await logEntries(p, run.id, series("loss", [2], 0));
    await api("DELETE", `/v1/projects/${p}/rules/x`);
    await logEntries(p, run.id, series("loss", [0, 3], 1));
    expect((await allAlerts(p)).map((a) => a.step)).toEqual([0]);
    await addRule(p, { ...valid, id: "x" });
    // Fresh state: the value already above the threshold fires at once.
    await logEntries(p, run.id, series("loss", [4], 3));
    expect((await allAlerts(p)).map((a) => a.step)).toEqual([0, 3]);
  });
});

describe("project settings", () => {
  it("starts with both detectors on and stale_after from the deployment", async ({ expect }) => {
    const p = uniqueProject();
    await createRun(p, { name: "r" });
    expect((await api("GET", `/v1/projects/${p}/settings`)).json).toEqual({ stale_after: 600, detectors: { non_finite: true, stale: true } });
  });

  it("merges patches, keeps other keys of the stored settings, and refuses bad values naming the field", async ({ expect }) => {
    const p = uniqueProject();
    await createRun(p, { name: "r" });
    await env.DB.prepare(`UPDATE projects SET settings = '{"theme":"dark"}' WHERE name = ?`).bind(p).run();
    const a = await api("PATCH", `/v1/projects/${p}/settings`, { body: { stale_after: 120 } });
    expect(a.json).toEqual({ stale_after: 120, detectors: { non_finite: true, stale: true } });
    const b = await api("PATCH", `/v1/projects/${p}/settings`, { body: { detectors: { non_finite: false } } });
    expect(b.json).toEqual({ stale_after: 120, detectors: { non_finite: false, stale: true } });
    expect((await api("GET", `/v1/projects/${p}/settings`)).json).toEqual(b.json);
    const stored = await env.DB.prepare("SELECT settings FROM projects WHERE name = ?").bind(p).first<{ settings: string }>();
    expect(JSON.parse(stored!.settings)).toMatchObject({ theme: "dark", stale_after: 120 });
    const bad: [unknown, string][] = [
      [{ stale_after: 0 }, "stale_after"],
      [{ stale_after: "10" }, "stale_after"],
      [{ stale_after: 2.5 }, "stale_after"],
      [{ stale_after: 10_000_000 }, "stale_after"],
      [{ detectors: { stale: "no" } }, "detectors.stale"],
      [{ detectors: { nan: true } }, "detectors"],
      [{ stale: 5 }, ""],
    ];
    for (const [body, path] of bad) {
      const r = await api("PATCH", `/v1/projects/${p}/settings`, { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.details.map((d: any) => d.path), r.text).toContain(path);
    }
    expect((await api("GET", `/v1/projects/${p}/settings`)).json).toEqual(b.json);
    const read = await createKey("read", [p]);
    expect((await api("PATCH", `/v1/projects/${p}/settings`, { body: { stale_after: 5 }, token: read })).status).toBe(403);
    expect((await api("GET", `/v1/projects/${p}/settings`, { token: read })).status).toBe(200);
  });
});
