import { describe, inject, it } from "vitest";
import { Client } from "../../sdk/src/index";
import { cli } from "../helpers/cli";

let seq = 0;
const uniqueProject = (p: string) => `${p}-${Date.now().toString(36)}-${(seq++).toString(36)}`;
const client = () => new Client({ url: inject("baseUrl"), token: inject("adminToken") });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("trackflare wait run / diagnose / note / runs stop", () => {
  it("wait run exits 0 when ingest makes the condition true, 2 when it times out", async ({ expect }) => {
    const project = uniqueProject("cli-wait-run");
    const run = await client().runs.create(project, { name: "r" });
    await client().logs.append(project, run.id, { logs: [{ step: 0, metrics: { "val/loss": 0.9 } }] });
    const timedOut = await cli(["wait", "run", "--project", project, "--run", "r", "--until", "val/loss<0.3", "--timeout", "1", "--json"]);
    expect(timedOut.code).toBe(2);
    expect(timedOut.json).toMatchObject({ matched: false, timed_out: true, value: 0.9 });
    const waiting = cli(["wait", "run", "--project", project, "--run", "r", "--until", "val/loss<0.3", "--timeout", "30", "--json"], { timeoutMs: 40_000 });
    await sleep(1500);
    await client().logs.append(project, run.id, { logs: [{ step: 1, metrics: { "val/loss": 0.2 } }] });
    const hit = await waiting;
    expect(hit.code).toBe(0);
    expect(hit.json).toMatchObject({ matched: true, value: 0.2, value_step: 1 });
    const human = await cli(["wait", "run", "--project", project, "--run", "r", "--until", "step>=1"]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("'step>=1' holds");
    const bad = await cli(["wait", "run", "--project", project, "--run", "r", "--until", "loss=1"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("until");
  });

  it("note, list notes, runs stop and diagnose --json", async ({ expect }) => {
    const project = uniqueProject("cli-ctl");
    const run = await client().runs.create(project, { name: "r" });
    await client().logs.append(project, run.id, { logs: Array.from({ length: 50 }, (_, i) => ({ step: i, metrics: { loss: 1 / (1 + i) } })) });
    const n = await cli(["note", "--project", project, "--run", "r", "--text", "lr 3e-4", "--json"]);
    expect(n.code).toBe(0);
    expect(n.json).toMatchObject({ run_id: run.id, text: "lr 3e-4" });
    const listed = await cli(["list", "notes", "--project", project, "--run", "r", "--json"]);
    expect(listed.json.notes.map((x: { text: string }) => x.text)).toEqual(["lr 3e-4"]);
    const stop = await cli(["runs", "stop", "--project", project, "--run", "r", "--reason", "enough", "--json"]);
    expect(stop.code).toBe(0);
    expect(stop.json.stop_requested).toMatchObject({ reason: "enough" });
    const d = await cli(["diagnose", "--project", project, "--run", "r", "--json"]);
    expect(d.code).toBe(0);
    expect(d.json).toMatchObject({ run: "r", last_step: 49, flags: ["stop_requested"], notes: [{ text: "lr 3e-4" }] });
    const table = await cli(["diagnose", "--project", project, "--run", "r"]);
    expect(table.stdout).toContain("decreasing");
    const audit = await cli(["list", "audit", "--project", project, "--json"]);
    expect(audit.json.entries.map((e: { action: string }) => e.action)).toEqual(["run.stop", "note.add", "run.create"]);
  });
});
