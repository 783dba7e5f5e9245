import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, it } from "vitest";
import { call, callError, connect, makeKey, restOk, uniqueProject } from "../helpers/mcp-e2e";

const project = uniqueProject("mcp-wait");
let client: Client;
let writeKey: string;

beforeAll(async () => {
  writeKey = await makeKey("write", [project]);
  await restOk("POST", `/v1/projects/${project}/runs`, { token: writeKey, body: { name: "train" } });
  client = await connect(await makeKey("read", [project]));
});

afterAll(async () => {
  await client?.close();
});

const postAlert = (body: Record<string, unknown>) => restOk("POST", `/v1/projects/${project}/alerts`, { token: writeKey, body: { run: "train", ...body } });

describe("wait_for_alerts", () => {
  it("returns as soon as another client posts a matching alert", async ({ expect }) => {
    const started = Date.now();
    const waiting = call(client, "wait_for_alerts", { project, min_level: "warn", timeout: 20 });
    await new Promise((r) => setTimeout(r, 700));
    await postAlert({ title: "just info", level: "info" }); // below min_level: the wait goes on
    await new Promise((r) => setTimeout(r, 300));
    await postAlert({ title: "loss diverged", text: "loss > 1e3", level: "error", step: 12 });
    const got = await waiting;
    const elapsed = Date.now() - started;
    expect(got.timed_out).toBe(false);
    expect(got.alerts).toHaveLength(1);
    expect(got.alerts[0]).toMatchObject({ project, run: "train", title: "loss diverged", text: "loss > 1e3", level: "error", step: 12 });
    expect(got.next_cursor).toBe(got.alerts[0].cursor);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(10_000);
  });

  it("from next_cursor, returns alerts raised between two waits at once and misses none", async ({ expect }) => {
    const first = await call(client, "get_alerts", { project });
    await postAlert({ title: "between waits", level: "warn" });
    const started = Date.now();
    const got = await call(client, "wait_for_alerts", { project, cursor: first.next_cursor, timeout: 20 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(got.alerts.map((a: any) => a.title)).toEqual(["between waits"]);
    expect(got.timed_out).toBe(false);
  });

  it("times out with an empty answer when nothing matches", async ({ expect }) => {
    const started = Date.now();
    const got = await call(client, "wait_for_alerts", { project, level: "error", timeout: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(got).toMatchObject({ alerts: [], timed_out: true });
  });

  it("refuses a timeout past the MCP client's request limit with a tool error", async ({ expect }) => {
    expect(await callError(client, "wait_for_alerts", { project, timeout: 120 })).toMatch(/timeout must be <= 50/);
  });
});
