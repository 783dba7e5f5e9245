import { spawn } from "node:child_process";
import { describe, inject, it } from "vitest";
import { Client } from "../../sdk/src/index";
import { cliEnv, ROOT } from "../helpers/cli";

// A training script that never calls finish(): what is buffered must still reach the server when
// the process ends, however it ends. Each case is a real Node process using the built package.

let seq = 0;
const uniqueProject = (p: string) => `${p}-${Date.now().toString(36)}-${(seq++).toString(36)}`;
const admin = () => new Client({ url: inject("baseUrl"), token: inject("adminToken") });

function script(project: string, body: string) {
  return `import * as tf from ${JSON.stringify(`${ROOT}/sdk/dist/index.js`)};
const run = await tf.init({ project: ${JSON.stringify(project)}, name: "script", quiet: true, flushIntervalMs: 60000, flushAt: 1000000 });
${body}`;
}

/** Runs the script; `onReady` is called once it prints READY. Resolves with how it ended. */
function runScript(code: string, onReady?: (pid: number) => void): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", code], { env: cliEnv(), cwd: ROOT });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.on("data", (d) => {
      if (String(d).includes("READY")) onReady?.(child.pid!);
    });
    child.on("close", (code, signal) => resolve({ code, signal, stderr }));
  });
}

async function expectStored(expect: any, project: string, logs: number, status: string, alert?: string) {
  const run = await admin().runs.get(project, "script");
  expect(run.log_count).toBe(logs);
  expect(run.status).toBe(status);
  if (alert) expect((await admin().alerts.list(project)).alerts.map((a) => a.title)).toEqual([alert]);
}

// The timers are set so nothing is sent before the process ends: everything rides the exit path.
describe("process exit flushes what is buffered", () => {
  it("a script that just ends: finished, every entry stored", async ({ expect }) => {
    const project = uniqueProject("exit-natural");
    const r = await runScript(script(project, `for (let i = 0; i < 1234; i++) tf.log({ i }); tf.alert("bye", null, "info");`));
    expect(r.code).toBe(0);
    await expectStored(expect, project, 1234, "finished", "bye");
  });

  it("process.exit(3): sent synchronously, the run marked failed", async ({ expect }) => {
    const project = uniqueProject("exit-code");
    const r = await runScript(script(project, `for (let i = 0; i < 777; i++) tf.log({ i }); tf.alert("exiting", "code 3", "error"); process.exit(3);`));
    expect(r.code).toBe(3);
    await expectStored(expect, project, 777, "failed", "exiting");
  });

  it("an uncaught exception: sent, failed", async ({ expect }) => {
    const project = uniqueProject("exit-throw");
    const r = await runScript(script(project, `for (let i = 0; i < 500; i++) tf.log({ i }); throw new Error("training crashed");`));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("training crashed");
    await expectStored(expect, project, 500, "failed");
  });

  it("a dozen runs in one process share one set of listeners and are all flushed by process.exit(0)", async ({ expect }) => {
    const project = uniqueProject("exit-many");
    const code = `import * as tf from ${JSON.stringify(`${ROOT}/sdk/dist/index.js`)};
const runs = await Promise.all(Array.from({ length: 12 }, (_, i) => tf.Run.start({ project: ${JSON.stringify(project)}, name: "r" + i, quiet: true, flushIntervalMs: 60000, flushAt: 1000000 })));
runs.forEach((run, i) => { for (let k = 0; k <= i; k++) run.log({ k }); });
process.exit(0);`;
    const r = await runScript(code);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("MaxListenersExceededWarning");
    const runs = (await admin().runs.list(project)).runs;
    expect(runs).toHaveLength(12);
    for (const run of runs) expect([run.log_count, run.status]).toEqual([Number(run.name.slice(1)) + 1, "finished"]);
  });

  it("SIGTERM with no handler of its own: sent, failed, and the process still dies of the signal", async ({ expect }) => {
    const project = uniqueProject("exit-signal");
    const r = await runScript(script(project, `for (let i = 0; i < 321; i++) tf.log({ i }); console.log("READY"); setInterval(() => {}, 1000);`), (pid) =>
      process.kill(pid, "SIGTERM"),
    );
    expect(r.signal).toBe("SIGTERM");
    await expectStored(expect, project, 321, "failed");
  });
});
