import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, it } from "vitest";
import { call, callError, connect, makeKey, rest, restOk, uniqueProject } from "../helpers/mcp-e2e";

const project = uniqueProject("mcp-write");
let writer: Client;
let reader: Client;

beforeAll(async () => {
  const write = await makeKey("write", [project]);
  await restOk("POST", `/v1/projects/${project}/runs`, { token: write, body: { name: "keep", config: { lr: 0.1 } } });
  await restOk("POST", `/v1/projects/${project}/runs`, { token: write, body: { name: "doomed" } });
  writer = await connect(write);
  reader = await connect(await makeKey("read", [project]));
});

afterAll(async () => {
  await writer?.close();
  await reader?.close();
});

describe("MCP write tools", () => {
  it("log_alert stores an alert that REST and get_alerts read back, once per alert_id", async ({ expect }) => {
    const args = { project, run: "keep", title: "Try a lower lr", text: "loss oscillates", level: "WARN", step: 7, alert_id: "mcp-alert-1" };
    const stored = await call(writer, "log_alert", args);
    expect(stored).toMatchObject({ project, run: "keep", title: "Try a lower lr", text: "loss oscillates", level: "warn", step: 7, alert_id: "mcp-alert-1" });
    expect(stored.timestamp).toMatch(/\+00:00$/);
    const again = await call(writer, "log_alert", args);
    expect(again.cursor).toBe(stored.cursor);
    const viaRest = await restOk("GET", `/v1/projects/${project}/alerts`);
    expect(viaRest.alerts.map((a: any) => a.alert_id)).toEqual(["mcp-alert-1"]);
    const viaMcp = await call(reader, "get_alerts", { project, run: "keep" });
    expect(viaMcp.result).toHaveLength(1);
  });

  it("log_alert on a run the project does not have is a tool error", async ({ expect }) => {
    expect(await callError(writer, "log_alert", { project, run: "ghost", title: "x" })).toMatch(/not_found: Run 'ghost' not found/);
  });

  it("finish_run marks a run finished or failed", async ({ expect }) => {
    const run = await call(writer, "finish_run", { project, run: "keep", status: "failed" });
    expect(run).toMatchObject({ name: "keep", status: "failed", finished_at: expect.any(String) });
    const summary = await restOk("GET", `/v1/projects/${project}/runs/keep`);
    expect(summary.status).toBe("failed");
  });

  it("rename_run takes Trackio's old_name/new_name", async ({ expect }) => {
    const renamed = await call(writer, "rename_run", { project, old_name: "keep", new_name: "kept", write_token: "ignored" });
    expect(renamed).toMatchObject({ result: true, run: { name: "kept", config: { lr: 0.1 } } });
    expect((await rest("GET", `/v1/projects/${project}/runs/keep`)).status).toBe(404);
    expect((await restOk("GET", `/v1/projects/${project}/runs/kept`)).id).toBe(renamed.run.id);
  });

  it("delete_run removes the run", async ({ expect }) => {
    const runs = await restOk("GET", `/v1/projects/${project}/runs`);
    const doomed = runs.runs.find((r: any) => r.name === "doomed");
    expect(await call(writer, "delete_run", { project, run: "doomed" })).toEqual({ result: true, id: doomed.id });
    expect((await rest("GET", `/v1/projects/${project}/runs/${doomed.id}`)).status).toBe(404);
    expect(await callError(writer, "delete_run", { project, run_id: doomed.id })).toContain("not found");
  });

  it("refuses every write tool to a read key with a clear tool error, and changes nothing", async ({ expect }) => {
    const calls: [string, Record<string, unknown>][] = [
      ["log_alert", { project, run: "kept", title: "nope" }],
      ["finish_run", { project, run: "kept" }],
      ["rename_run", { project, old_name: "kept", new_name: "stolen" }],
      ["delete_run", { project, run: "kept" }],
    ];
    for (const [name, args] of calls) {
      expect(await callError(reader, name, args), name).toBe("forbidden: This key has the 'read' scope; this action needs 'write'");
    }
    const summary = await restOk("GET", `/v1/projects/${project}/runs/kept`);
    expect(summary).toMatchObject({ name: "kept", status: "failed" });
    expect((await restOk("GET", `/v1/projects/${project}/alerts`)).alerts).toHaveLength(1);
  });
});
