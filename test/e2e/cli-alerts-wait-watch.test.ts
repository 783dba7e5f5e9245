import { describe, inject, it } from "vitest";
import { Client } from "../../sdk/src/index";
import { cli, cliStream } from "../helpers/cli";

let seq = 0;
const uniqueProject = (p: string) => `${p}-${Date.now().toString(36)}-${(seq++).toString(36)}`;
const client = () => new Client({ url: inject("baseUrl"), token: inject("adminToken") });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function projectWithRun(prefix: string) {
  const project = uniqueProject(prefix);
  await client().runs.create(project, { name: "r1" });
  return project;
}

describe("trackflare wait alerts", () => {
  it("returns (exit 0) with an alert raised after it started", async ({ expect }) => {
    const project = await projectWithRun("wait-new");
    await client().alerts.create(project, { title: "old", level: "error", run: "r1" });
    const waiting = cli(["wait", "alerts", "--project", project, "--timeout", "30", "--json"], { timeoutMs: 40_000 });
    // Without --cursor the wait counts only alerts raised after it began; keep raising until it answers.
    let exited = false;
    void waiting.then(() => (exited = true));
    for (let i = 0; !exited && i < 100; i++) {
      await client().alerts.create(project, { title: `new-${i}`, level: "warn", run: "r1" });
      await sleep(300);
    }
    const r = await waiting;
    expect(r.code).toBe(0);
    expect(r.json.timed_out).toBe(false);
    expect(r.json.alerts.length).toBeGreaterThanOrEqual(1);
    expect(r.json.alerts.map((a: { title: string }) => a.title)).not.toContain("old");
    expect(r.json.alerts[0]).toMatchObject({ project, run: "r1", level: "warn" });
    expect(r.json.next_cursor).toBeGreaterThanOrEqual(r.json.alerts[0].cursor);
  });

  it("after --cursor, answers at once with what is already there", async ({ expect }) => {
    const project = await projectWithRun("wait-cursor");
    const [first] = (await client().alerts.create(project, { title: "a", run: "r1" })).alerts;
    await client().alerts.create(project, { title: "b", level: "error", run: "r1" });
    const r = await cli(["wait", "alerts", "--project", project, "--cursor", String(first.cursor), "--timeout", "20", "--json"]);
    expect(r.code).toBe(0);
    expect(r.json.alerts.map((a: { title: string }) => a.title)).toEqual(["b"]);
  });

  it("honours the filters: a lower level does not end the wait", async ({ expect }) => {
    const project = await projectWithRun("wait-filter");
    const { next_cursor } = await client().alerts.list(project);
    const waiting = cli(["wait", "alerts", "--project", project, "--cursor", String(next_cursor), "--min-level", "error", "--timeout", "20", "--json"], { timeoutMs: 30_000 });
    await client().alerts.create(project, { alerts: [{ title: "just info", level: "info", run: "r1" }, { title: "boom", level: "error", run: "r1" }] });
    const r = await waiting;
    expect(r.code).toBe(0);
    expect(r.json.alerts.map((a: { title: string }) => a.title)).toEqual(["boom"]);
  });

  it("times out with exit code 2 and timed_out: true", async ({ expect }) => {
    const project = await projectWithRun("wait-timeout");
    const t0 = Date.now();
    const r = await cli(["wait", "alerts", "--project", project, "--timeout", "1.5", "--json"]);
    expect(r.code).toBe(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
    expect(r.json).toMatchObject({ project, alerts: [], timed_out: true });
    expect(r.stderr).toBe("");
    const human = await cli(["wait", "alerts", "--project", project, "--timeout", "1"]);
    expect(human.code).toBe(2);
    expect(human.stdout).toMatch(/^No matching alert within 1 s/);
  });
});

describe("trackflare watch alerts", () => {
  it("streams live alerts as NDJSON, filtered, and exits after --count", async ({ expect }) => {
    const project = await projectWithRun("watch");
    const w = cliStream(["watch", "alerts", "--project", project, "--min-level", "warn", "--count", "2", "--json"]);
    try {
      await w.waitForStderr("Watching alerts");
      await client().alerts.create(project, { title: "ignored info", level: "info", run: "r1" });
      await client().alerts.create(project, { title: "first", level: "warn", run: "r1" });
      await sleep(200);
      await client().alerts.create(project, { title: "second", level: "error", run: "r1", step: 7 });
      const lines = await w.waitForLines(2);
      const alerts = lines.map((l) => JSON.parse(l));
      expect(alerts.map((a) => a.title)).toEqual(["first", "second"]);
      expect(alerts[1]).toMatchObject({ project, run: "r1", level: "error", step: 7 });
      expect(alerts[1].cursor).toBeGreaterThan(alerts[0].cursor);
      expect(await w.exited).toBe(0);
      expect(w.lines).toHaveLength(2);
    } finally {
      w.kill();
    }
  });

  it("resumes after --cursor: replays what it missed, then goes live, in readable lines", async ({ expect }) => {
    const project = await projectWithRun("watch-replay");
    const [before] = (await client().alerts.create(project, { title: "seen already", run: "r1" })).alerts;
    await client().alerts.create(project, { title: "missed", level: "error", text: "while away", run: "r1" });
    const w = cliStream(["watch", "alerts", "--project", project, "--cursor", String(before.cursor), "--count", "2"]);
    try {
      await w.waitForLines(1);
      await client().alerts.create(project, { title: "live", run: "r1" });
      const lines = await w.waitForLines(2);
      expect(lines[0]).toMatch(/ERROR\s+r1\s+missed: while away/);
      expect(lines[1]).toMatch(/WARN\s+r1\s+live/);
      expect(await w.exited).toBe(0);
    } finally {
      w.kill();
    }
  });
});
