import { beforeAll, describe, it } from "vitest";
import { api, createKey, createRun, logEntries, uniqueProject } from "../helpers/api";

// Every /v1 route of the Worker core × every kind of caller. A route's expected status for a
// caller follows from the scope it needs: no key and a wrong key → 401 (the same body), a key
// limited to another project → 404 (as if the project did not exist), too small a scope → 403.

type Need = "read" | "write" | "admin";
type Route = { name: string; need: Need; method: string; path: (p: string, run: string) => string; body?: unknown; ok: number };

const ROUTES: Route[] = [
  { name: "get project", need: "read", method: "GET", path: (p) => `/v1/projects/${p}`, ok: 200 },
  { name: "list runs", need: "read", method: "GET", path: (p) => `/v1/projects/${p}/runs`, ok: 200 },
  { name: "run summary", need: "read", method: "GET", path: (p, r) => `/v1/projects/${p}/runs/${r}`, ok: 200 },
  { name: "metric names", need: "read", method: "GET", path: (p, r) => `/v1/projects/${p}/runs/${r}/metrics`, ok: 200 },
  { name: "metric values", need: "read", method: "GET", path: (p, r) => `/v1/projects/${p}/runs/${r}/metrics/loss`, ok: 200 },
  { name: "snapshot", need: "read", method: "GET", path: (p, r) => `/v1/projects/${p}/runs/${r}/snapshot?step=0`, ok: 200 },
  { name: "series", need: "read", method: "GET", path: (p, r) => `/v1/projects/${p}/series?runs=${r}`, ok: 200 },
  { name: "create run", need: "write", method: "POST", path: (p) => `/v1/projects/${p}/runs`, body: { name: "new" }, ok: 201 },
  { name: "append logs", need: "write", method: "POST", path: (p, r) => `/v1/projects/${p}/runs/${r}/logs`, body: { logs: [{ metrics: { loss: 1 } }] }, ok: 200 },
  { name: "rename run", need: "write", method: "PATCH", path: (p, r) => `/v1/projects/${p}/runs/${r}`, body: { name: "renamed" }, ok: 200 },
  { name: "finish run", need: "write", method: "POST", path: (p, r) => `/v1/projects/${p}/runs/${r}/finish`, body: { status: "finished" }, ok: 200 },
  { name: "delete run", need: "write", method: "DELETE", path: (p, r) => `/v1/projects/${p}/runs/${r}`, ok: 200 },
  { name: "create key", need: "admin", method: "POST", path: () => `/v1/keys`, body: { name: "k", scope: "read" }, ok: 201 },
  { name: "list keys", need: "admin", method: "GET", path: () => `/v1/keys`, ok: 200 },
];

const CALLERS = ["none", "wrong", "read", "write", "other", "admin"] as const;
type Caller = (typeof CALLERS)[number];

function expected(route: Route, caller: Caller): number {
  if (caller === "none" || caller === "wrong") return 401;
  if (route.need === "admin") return caller === "admin" ? route.ok : 403;
  if (caller === "other") return 404;
  if (caller === "read" && route.need === "write") return 403;
  return route.ok;
}

describe("auth matrix", () => {
  const p = uniqueProject("auth");
  const tokens: Record<Caller, string | null> = { none: null, wrong: "tf_wrongwrongwrongwrongwrongwrongwrongwrong", read: "", write: "", other: "", admin: "test-admin-token" };

  beforeAll(async () => {
    tokens.read = await createKey("read", [p]);
    tokens.write = await createKey("write", [p]);
    tokens.other = await createKey("write", ["someone-else"]);
  });

  for (const route of ROUTES) {
    for (const caller of CALLERS) {
      it(`${route.name} as ${caller} → ${expected(route, caller)}`, async ({ expect }) => {
        // A fresh run per case, so destructive routes do not affect the next one.
        const run = await createRun(p, { name: `r-${Math.random().toString(36).slice(2)}` });
        await logEntries(p, run.id, [{ step: 0, metrics: { loss: 1 } }]);
        const r = await api(route.method, route.path(p, run.id), { token: tokens[caller], body: route.body });
        expect(r.status, r.text).toBe(expected(route, caller));
        if (r.status === 401) expect(r.json).toEqual({ error: { code: "unauthorized", message: "Missing or invalid API key" } });
        if (r.status === 404 && caller === "other") expect(r.json.error.message).toBe(`Project '${p}' not found`);
        if (r.status === 403) expect(r.json.error.code).toBe("forbidden");
      });
    }
  }

  it("answers a hidden project exactly like a missing one", async ({ expect }) => {
    const hidden = await api("GET", `/v1/projects/${p}`, { token: tokens.other });
    const missing = await api("GET", `/v1/projects/does-not-exist`, { token: tokens.other });
    expect(hidden.status).toBe(404);
    expect(missing.json.error.message.replace("does-not-exist", p)).toBe(hidden.json.error.message);
  });

  it("lists only the projects a limited key may see", async ({ expect }) => {
    const r = await api("GET", "/v1/projects", { token: tokens.read });
    expect(r.json.projects.map((x: { name: string }) => x.name)).toEqual([p]);
  });

  it("accepts the key as X-Trackio-Write-Token and ?write_token=", async ({ expect }) => {
    const h = await api("GET", `/v1/projects/${p}`, { token: null, headers: { "x-trackio-write-token": tokens.read! } });
    expect(h.status).toBe(200);
    const q = await api("GET", `/v1/projects/${p}?write_token=${tokens.read}`, { token: null });
    expect(q.status).toBe(200);
  });

  it("refuses a revoked key", async ({ expect }) => {
    const created = await api("POST", "/v1/keys", { body: { name: "temp", scope: "read" } });
    expect((await api("GET", "/v1/projects", { token: created.json.key })).status).toBe(200);
    const revoked = await api("DELETE", `/v1/keys/${created.json.id}`);
    expect(revoked.json.revoked_at).toBeTruthy();
    expect((await api("GET", "/v1/projects", { token: created.json.key })).status).toBe(401);
  });
});
