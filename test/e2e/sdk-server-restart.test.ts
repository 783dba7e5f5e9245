import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, it } from "vitest";
import type { Alert } from "../../src/contract";
import { Client, Run } from "../../sdk/src/index";
import { cliStream } from "../helpers/cli";
// @ts-expect-error plain ESM helper shared with `npm start` and the benchmarks
import { startDevServer } from "../../src/local/dev-server.mjs";

// The server dies in the middle of a run and comes back on the same port with the same state:
// the SDK must end with every point stored exactly once, and a live alert watch must resume.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TOTAL = 20_000;

describe("server killed and restarted mid-run", () => {
  const persistTo = fs.mkdtempSync(path.join(os.tmpdir(), "trackflare-restart-"));
  const adminToken = `tf_admin_restart_${Date.now()}`;
  let server: { url: string; port: number; close(): Promise<void> } | null = null;

  afterAll(async () => {
    await server?.close();
    fs.rmSync(persistTo, { recursive: true, force: true });
  });

  it(`stores exactly ${TOTAL} points, and the alert watch resumes without loss or repeats`, { timeout: 300_000 }, async ({ expect }) => {
    // The first start picks its own free port (retrying if one is taken before it binds); the restart reuses it.
    server = await startDevServer({ persistTo, adminToken, quiet: true });
    const port = server!.port;
    const url = server!.url;
    const project = "restart";
    const warnings: string[] = [];
    const run = await Run.start({ project, url, token: adminToken, quiet: true, exitHook: false, finishTimeoutMs: 120_000, onWarning: (m) => warnings.push(m) });

    const received: Alert[] = [];
    let disconnects = 0;
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    const watch = new Client({ url, token: adminToken }).alerts.watch(project, {}, { onAlert: (a) => received.push(a), onReady: () => ready(), onDisconnect: () => disconnects++ });
    await isReady;
    // The CLI too, as a separate process that must outlive the outage on its own.
    const cliWatch = cliStream(["watch", "alerts", "--project", project, "--json", "--count", "2"], { env: { TRACKFLARE_URL: url, TRACKFLARE_TOKEN: adminToken } });
    await cliWatch.waitForStderr("Watching alerts", 30_000);
    run.alert("before restart");
    for (let i = 0; received.length < 1 && i < 200; i++) await sleep(50);
    expect(received.map((a) => a.title)).toEqual(["before restart"]);

    // A training loop that yields now and then, as one that awaits its data loader does.
    const training = (async () => {
      for (let i = 0; i < TOTAL; i++) {
        run.log({ i, loss: 1 / (i + 1) });
        if (i % 100 === 99) await sleep(25);
      }
    })();
    await sleep(1500);
    await server!.close();
    server = null;
    const deliveredBeforeKill = run.stats().delivered_logs;
    expect(deliveredBeforeKill).toBeGreaterThan(0);
    expect(deliveredBeforeKill).toBeLessThan(TOTAL);
    await sleep(1000);
    server = await startDevServer({ port, persistTo, adminToken, quiet: true });
    await training;
    run.alert("after restart", "back up", "error");
    await run.finish();

    expect(run.stats()).toEqual({ buffered_logs: 0, buffered_alerts: 0, delivered_logs: TOTAL, delivered_alerts: 2 });
    expect(warnings.some((w) => w.includes("retrying with backoff"))).toBe(true);
    expect(warnings.filter((w) => w.startsWith("dropped") || w.includes("they are lost") || w.includes("could not mark"))).toEqual([]);

    const api = new Client({ url, token: adminToken });
    const summary = await api.runs.get(project, run.id);
    expect(summary.log_count).toBe(TOTAL);
    expect(summary.last_step).toBe(TOTAL - 1);
    expect(summary.status).toBe("finished");
    const values = await api.metrics.values(project, run.id, "i");
    expect(values.values).toHaveLength(TOTAL);
    expect(values.values.every((p, k) => p.step === k && p.value === k)).toBe(true);

    for (let i = 0; received.length < 2 && i < 400; i++) await sleep(50);
    watch.close();
    await watch.done;
    expect(disconnects).toBeGreaterThanOrEqual(1);
    expect(received.map((a) => a.title)).toEqual(["before restart", "after restart"]);
    const cliLines = await cliWatch.waitForLines(2, 30_000);
    expect(cliLines.map((l) => JSON.parse(l).title)).toEqual(["before restart", "after restart"]);
    expect(await cliWatch.exited).toBe(0);
    expect(cliWatch.stderr()).toContain("reconnecting");
    const { alerts } = await api.alerts.list(project);
    expect(alerts.map((a) => a.title)).toEqual(["after restart", "before restart"]);
  });
});
