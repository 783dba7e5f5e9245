import { describe, it } from "vitest";
import { api, createRun, uniqueProject } from "../helpers/api";
import { namedKey } from "../helpers/control";

describe("notes", () => {
  it("round-trip on a run, newest first, credited to the key, and shown in the run summary", async ({ expect }) => {
    const p = uniqueProject();
    const { key } = await namedKey("planner", "write", [p]);
    const run = await createRun(p, { name: "r" });
    const a = await api("POST", `/v1/projects/${p}/runs/r/notes`, { body: { text: "lr=3e-4 because 1e-3 diverged" }, token: key });
    expect(a.status).toBe(201);
    expect(a.json).toMatchObject({ project: p, run_id: run.id, text: "lr=3e-4 because 1e-3 diverged", author: "planner" });
    await api("POST", `/v1/projects/${p}/runs/${run.id}/notes`, { body: { text: "  second  " } });
    const list = await api("GET", `/v1/projects/${p}/runs/r/notes`);
    expect(list.json.notes.map((n: { text: string }) => n.text)).toEqual(["second", "lr=3e-4 because 1e-3 diverged"]);
    const summary = await api("GET", `/v1/projects/${p}/runs/r`);
    expect(summary.json.notes.map((n: { text: string }) => n.text)).toEqual(["second", "lr=3e-4 because 1e-3 diverged"]);
    // By id the summary reads its notes in the run's own D1 batch: the same notes, every field.
    expect((await api("GET", `/v1/projects/${p}/runs/${run.id}`)).json.notes).toEqual(list.json.notes);
    expect(summary.json.notes).toEqual(list.json.notes);
  });

  it("keeps project notes apart from run notes", async ({ expect }) => {
    const p = uniqueProject();
    await createRun(p, { name: "r" });
    const made = await api("POST", `/v1/projects/${p}/notes`, { body: { text: "sweep over lr in [1e-4, 1e-2]" } });
    expect(made.status).toBe(201);
    expect(made.json.run_id).toBeNull();
    const projectNotes = await api("GET", `/v1/projects/${p}/notes`);
    expect(projectNotes.json.notes).toHaveLength(1);
    expect((await api("GET", `/v1/projects/${p}/runs/r/notes`)).json.notes).toEqual([]);
  });

  it("refuses empty or oversized text (400 naming text), read keys (403), unknown runs (404), and deletes them with their run", async ({ expect }) => {
    const p = uniqueProject();
    await createRun(p, { name: "r" });
    const empty = await api("POST", `/v1/projects/${p}/runs/r/notes`, { body: { text: "   " } });
    expect(empty.status).toBe(400);
    expect(empty.json.error.details[0].path).toBe("text");
    const big = await api("POST", `/v1/projects/${p}/runs/r/notes`, { body: { text: "x".repeat(4001) } });
    expect(big.status).toBe(400);
    const { key } = await namedKey("ro", "read", [p]);
    expect((await api("POST", `/v1/projects/${p}/runs/r/notes`, { body: { text: "hi" }, token: key })).status).toBe(403);
    expect((await api("POST", `/v1/projects/${p}/runs/ghost/notes`, { body: { text: "hi" } })).status).toBe(404);
    expect((await api("GET", `/v1/projects/${p}/runs/r/notes`)).json.notes).toEqual([]);
    await api("POST", `/v1/projects/${p}/runs/r/notes`, { body: { text: "kept until the run goes" } });
    await api("DELETE", `/v1/projects/${p}/runs/r`);
    await createRun(p, { name: "r" });
    expect((await api("GET", `/v1/projects/${p}/runs/r/notes`)).json.notes).toEqual([]);
  });
});
