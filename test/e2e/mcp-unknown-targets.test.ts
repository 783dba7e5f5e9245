import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, inject, it } from "vitest";
import { call, callError, connect, restOk, uniqueProject } from "../helpers/mcp-e2e";

// A typo in a project or run name must not read as "nothing there yet": every tool that takes a
// project answers an unknown one (and an unknown run) with a tool error naming it.

/** Arguments each project tool accepts, apart from `project`; a new tool must be added here. */
const ARGS: Record<string, Record<string, unknown>> = {
  get_runs_for_project: {},
  get_project_summary: {},
  get_run_summary: { run: "r1" },
  get_metrics_for_run: { run: "r1" },
  get_metric_values: { run: "r1", metric_name: "loss" },
  get_snapshot: { run: "r1", step: 1 },
  get_logs: { run: "r1" },
  get_system_logs: { run: "r1" },
  get_alerts: {},
  wait_for_alerts: { timeout: 30 },
  compare_runs: {},
  list_alert_rules: {},
  log_alert: { title: "x" },
  finish_run: { run: "r1" },
  rename_run: { old_name: "r1", new_name: "r2" },
  delete_run: { run: "r1" },
  remove_alert_rule: { id: "r1" },
  get_media: { run: "r1" },
  wait_for_run: { run: "r1", until: "ended", timeout: 30 },
  diagnose_run: { run: "r1" },
  stop_run: { run: "r1" },
  add_note: { text: "x" },
};

const project = uniqueProject("mcp-unknown");
let client: Client;

beforeAll(async () => {
  await restOk("POST", `/v1/projects/${project}/runs`, { body: { name: "r1" } });
  client = await connect(inject("adminToken"));
});
afterAll(async () => client?.close());

describe("MCP: unknown projects and runs", () => {
  it("every tool that takes a project answers an unknown one with a tool error naming it", async ({ expect }) => {
    const { tools } = await client.listTools();
    const projectTools = tools.filter((t) => "project" in (t.inputSchema.properties ?? {})).map((t) => t.name);
    // add_alert_rule sets up a project before its first run, so it is the one tool that may name a new one.
    expect(projectTools.filter((n) => n !== "add_alert_rule").sort()).toEqual(Object.keys(ARGS).sort());
    for (const name of Object.keys(ARGS)) {
      const text = await callError(client, name, { project: "no-such-projekt", ...ARGS[name] });
      expect(text, name).toBe("not_found: Project 'no-such-projekt' not found");
    }
    // Nothing was created on the way.
    expect((await call(client, "get_all_projects")).result).not.toContain("no-such-projekt");
  });

  it("alert reads and waits name an unknown run instead of answering empty or waiting", async ({ expect }) => {
    expect(await callError(client, "get_alerts", { project, run: "ghost" })).toBe(`not_found: Run 'ghost' not found in project '${project}'`);
    expect(await callError(client, "wait_for_alerts", { project, run_id: "0".repeat(32), timeout: 30 })).toContain(`Run '${"0".repeat(32)}' not found`);
    // The known run still reads and times out as before.
    expect(await call(client, "wait_for_alerts", { project, run: "r1", cursor: 0, timeout: 0.2 })).toMatchObject({ alerts: [], timed_out: true });
  });
});
