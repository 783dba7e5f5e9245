import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, inject, it } from "vitest";
import { baseUrl, call, callError, connect, makeKey, restOk, uniqueProject } from "../helpers/mcp-e2e";

const mine = uniqueProject("mcp-mine");
const theirs = uniqueProject("mcp-theirs");
let client: Client;

beforeAll(async () => {
  for (const project of [mine, theirs]) {
    await restOk("POST", `/v1/projects/${project}/runs`, { body: { name: "r1" } });
    await restOk("POST", `/v1/projects/${project}/alerts`, { body: { run: "r1", title: `alert in ${project}`, level: "error" } });
  }
  client = await connect(await makeKey("read", [mine]));
});

afterAll(async () => {
  await client?.close();
});

const initialize = (headers: Record<string, string>) =>
  fetch(`${baseUrl()}/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "0" } },
    }),
  });

describe("MCP auth", () => {
  it("answers a missing or wrong key with the same 401 JSON error", async ({ expect }) => {
    const missing = await initialize({});
    const wrong = await initialize({ authorization: "Bearer tf_not_a_real_key" });
    for (const res of [missing, wrong]) {
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.stringContaining("Authorization: Bearer") } });
    }
  });

  it("makes the official client fail to connect without a valid key", async ({ expect }) => {
    const c = new Client({ name: "no-key", version: "0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${baseUrl()}/mcp`), { requestInit: { headers: { authorization: "Bearer wrong" } } });
    await expect(c.connect(transport)).rejects.toMatchObject({ code: 401, message: expect.stringContaining("unauthorized") });
  });

  it("serves /mcp/ (Trackio's URL form) and refuses GET with 405", async ({ expect }) => {
    const admin = inject("adminToken");
    const ok = await initialize({ authorization: `Bearer ${admin}` });
    expect(ok.status).toBe(200);
    expect((await ok.json()).result.serverInfo.name).toBe("Trackflare");
    const slash = await fetch(`${baseUrl()}/mcp/`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${admin}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} }),
    });
    expect(slash.status).toBe(200);
    expect((await slash.json()).result.tools.length).toBeGreaterThan(10);
    const get = await fetch(`${baseUrl()}/mcp`, { headers: { authorization: `Bearer ${admin}`, accept: "text/event-stream" } });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });

  it("refuses a body over 1 MB with 413 before parsing it", async ({ expect }) => {
    const res = await fetch(`${baseUrl()}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${inject("adminToken")}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "log_alert", arguments: { project: mine, title: "x".repeat(2_000_000) } } }),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("payload_too_large");
  });

  it("hides projects outside a key's list exactly like missing ones", async ({ expect }) => {
    expect((await call(client, "get_all_projects")).result).toEqual([mine]);
    for (const [name, args] of [
      ["get_project_summary", {}],
      ["get_runs_for_project", {}],
      ["get_run_summary", { run: "r1" }],
      ["get_metric_values", { run: "r1", metric_name: "loss" }],
      ["compare_runs", {}],
      ["get_alerts", {}],
      ["wait_for_alerts", { cursor: 0, timeout: 0.2 }],
      ["list_alert_rules", {}],
    ] as const) {
      const hidden = await callError(client, name, { project: theirs, ...args });
      const missing = await callError(client, name, { project: "no-such-project-anywhere", ...args });
      expect(hidden, name).toBe(missing.replaceAll("no-such-project-anywhere", theirs));
      expect(hidden, name).toMatch(/^not_found: /);
    }
    expect((await call(client, "get_alerts", { project: mine })).result).toHaveLength(1);
  });

  it("answers malformed arguments with a tool error naming the field, and keeps serving", async ({ expect }) => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["get_project_summary", {}, /project/],
      ["get_project_summary", { project: 42 }, /project/],
      ["get_project_summary", { project: "bad/name" }, /project may contain only/],
      ["get_run_summary", { project: mine, run: "r1", colour: "blue" }, /colour/],
      ["get_metric_values", { project: mine, run: "r1", metric_name: "loss", step: -1 }, /step/],
      ["get_metric_values", { project: mine, run: "r1", metric_name: "loss", max_points: "lots" }, /max_points/],
      ["get_alerts", { project: mine, level: "critical" }, /level/],
      ["get_alerts", { project: mine, since: "yesterday" }, /since/],
      ["compare_runs", { project: mine, mode: "median" }, /mode/],
      ["compare_runs", { project: mine, runs: [] }, /runs/],
    ];
    for (const [name, args, pattern] of cases) {
      const text = await callError(client, name, args);
      expect(text, `${name} ${JSON.stringify(args)}`).toMatch(pattern);
    }
    expect((await call(client, "get_all_projects")).result).toEqual([mine]);
  });

  it("answers an unknown tool with a tool error naming it", async ({ expect }) => {
    expect(await callError(client, "drop_database")).toContain("Tool drop_database not found");
  });
});
