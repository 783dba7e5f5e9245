import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, it } from "vitest";
import { call, callError, connect, makeKey, rest, restOk, uniqueProject } from "../helpers/mcp-e2e";

// The control tools through the official MCP client: wait_for_run, diagnose_run, stop_run, add_note.

const project = uniqueProject("mcp-ctl");
let writer: Client;
let reader: Client;
let runId: string;

const logs = (from: number, to: number, f: (s: number) => Record<string, number>) => ({
  logs: Array.from({ length: to - from }, (_, i) => ({ step: from + i, metrics: f(from + i) })),
});

beforeAll(async () => {
  const write = await makeKey("write", [project]);
  runId = (await restOk("POST", `/v1/projects/${project}/runs`, { token: write, body: { name: "train" } })).id;
  await restOk("POST", `/v1/projects/${project}/runs/${runId}/logs`, { token: write, body: logs(0, 200, (s) => ({ "train/loss": 2 / (1 + s / 20), "val/loss": 2 / (1 + s / 20) + 0.1 })) });
  writer = await connect(write);
  reader = await connect(await makeKey("read", [project]));
});

afterAll(async () => {
  await writer?.close();
  await reader?.close();
});

describe("MCP control tools", () => {
  it("are listed with input and output schemas", async ({ expect }) => {
    const { tools } = await reader.listTools();
    for (const name of ["wait_for_run", "diagnose_run", "stop_run", "add_note"]) {
      const t = tools.find((x) => x.name === name)!;
      expect(t, name).toBeDefined();
      expect(t.outputSchema?.type).toBe("object");
    }
  });

  it("wait_for_run is woken by ingest, and times out with matched false", async ({ expect }) => {
    const timedOut = await call(reader, "wait_for_run", { project, run: "train", until: "val/loss<0.05", timeout: 0.5 });
    expect(timedOut).toMatchObject({ matched: false, timed_out: true, status: "running", step: 199 });
    const waiting = call(reader, "wait_for_run", { project, run: "train", until: "step>=250", timeout: 40 }, 55_000);
    await new Promise((r) => setTimeout(r, 500));
    await restOk("POST", `/v1/projects/${project}/runs/${runId}/logs`, { body: logs(200, 260, (s) => ({ "train/loss": 2 / (1 + s / 20) })) });
    expect(await waiting).toMatchObject({ matched: true, timed_out: false, step: 259 });
    expect(await callError(reader, "wait_for_run", { project, run: "train", until: "loss==1" })).toMatch(/invalid_request.*until/s);
  });

  it("add_note and diagnose_run: the note shows in the diagnosis and get_run_summary", async ({ expect }) => {
    const note = await call(writer, "add_note", { project, run: "train", text: "baseline with cosine schedule" });
    expect(note).toMatchObject({ run_id: runId, text: "baseline with cosine schedule", author: "mcp-write" });
    const projectNote = await call(writer, "add_note", { project, text: "sweep: lr x warmup" });
    expect(projectNote.run_id).toBeNull();
    const d = await call(reader, "diagnose_run", { project, run: "train" });
    expect(d.metrics.find((m: any) => m.name === "train/loss")).toMatchObject({ trend: "decreasing", goal: "min" });
    expect(d.gaps).toMatchObject([{ train: "train/loss", val: "val/loss", overfitting: false }]);
    expect(d.notes).toMatchObject([{ text: "baseline with cosine schedule" }]);
    const summary = await call(reader, "get_run_summary", { project, run: "train" });
    expect(summary.notes.map((n: any) => n.text)).toEqual(["baseline with cosine schedule"]);
    expect(await callError(reader, "add_note", { project, run: "train", text: "x" })).toMatch(/forbidden/);
  });

  it("stop_run records the request, which the next log batch answers; a read key may not", async ({ expect }) => {
    expect(await callError(reader, "stop_run", { project, run: "train" })).toMatch(/forbidden/);
    const run = await call(writer, "stop_run", { project, run: "train", reason: "val loss plateaued" });
    expect(run.stop_requested).toMatchObject({ reason: "val loss plateaued", by: "mcp-write" });
    const batch = await restOk("POST", `/v1/projects/${project}/runs/${runId}/logs`, { body: logs(260, 261, () => ({ "train/loss": 0.1 })) });
    expect(batch).toMatchObject({ stop_requested: true, stop_reason: "val loss plateaued" });
    const alerts = await call(reader, "get_alerts", { project, run: "train" });
    expect(alerts.result.map((a: any) => a.title)).toContain("Stop requested");
    const audit = await rest("GET", `/v1/audit?project=${project}`);
    expect(audit.json.entries.map((e: any) => e.action)).toEqual(expect.arrayContaining(["run.stop", "note.add", "run.create"]));
  });
});
