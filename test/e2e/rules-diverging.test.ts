import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, inject, it } from "vitest";
import type WebSocket from "ws";
import type { Alert, AlertSocketMessage } from "../../src/contract";
import { connect as connectSocket, createKey, parse, uniqueProject, wsUrl } from "../helpers/alerts-e2e";
import { cli } from "../helpers/cli";
import { call, callError, connect as connectMcp } from "../helpers/mcp-e2e";

// The agent's worst case: a training script with no alert code of its own diverges, and the agent
// learns of it from the server's rules alone, pushed over its WebSocket.

const ROOT = path.resolve(import.meta.dirname, "../..");
const SDK = path.join(ROOT, "sdk/dist/index.js");

/** The loss the script logs at each step: falling for 60 steps, then growing 15% a step; NaN at the end. */
const lossAt = (step: number) => (step < 60 ? 0.7 * 0.98 ** step : 0.7 * 0.98 ** 60 * 1.15 ** (step - 60));
const STEPS = 150;

const SCRIPT = `
import * as trackflare from ${JSON.stringify(SDK)};
const lossAt = ${lossAt.toString()};
await trackflare.init({ project: process.env.PROJECT, name: "diverging", config: { lr: 3.0 }, quiet: true });
for (let step = 0; step < ${STEPS}; step++) {
  trackflare.log({ train_loss: lossAt(step), lr: 3.0 });
  await new Promise((r) => setTimeout(r, 2));
}
trackflare.log({ train_loss: NaN, lr: 3.0 });
await trackflare.finish();
`;

function runScript(project: string, token: string): Promise<{ code: number | null; output: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tf-script-"));
  const file = path.join(dir, "train.mjs");
  fs.writeFileSync(file, SCRIPT);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], {
      env: { ...process.env, PROJECT: project, TRACKFLARE_URL: inject("baseUrl"), TRACKFLARE_TOKEN: token },
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** Collects the alerts a socket receives; `until` resolves once `pred` holds. */
function collect(ws: WebSocket) {
  const alerts: Alert[] = [];
  let ready = false;
  const checks = new Set<() => void>();
  ws.on("message", (data) => {
    const m = parse(data) as AlertSocketMessage | "pong";
    if (m !== "pong" && m.type === "alerts") alerts.push(...m.alerts);
    if (m !== "pong" && m.type === "ready") ready = true;
    for (const c of checks) c();
  });
  return {
    alerts,
    until(pred: () => boolean, timeoutMs = 20_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!pred()) return;
          checks.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          checks.delete(check);
          reject(new Error(`socket: not met after ${timeoutMs} ms; got ${JSON.stringify(alerts).slice(0, 800)}`));
        }, timeoutMs);
        checks.add(check);
        check();
      });
    },
    ready: () => ready,
  };
}

let project: string;
let agentKey: string;
let mcp: Awaited<ReturnType<typeof connectMcp>>;

beforeAll(async () => {
  project = uniqueProject("rules");
  agentKey = await createKey("write", [project]);
  mcp = await connectMcp(agentKey);
});

afterAll(async () => {
  await mcp?.close();
});

describe("server-side rules end to end", () => {
  it("an agent gets the rule's alert over its WebSocket when a script with no alert code diverges", async ({ expect }) => {
    // The agent sets the rule up through MCP before launching the script.
    const rule = await call(mcp, "add_alert_rule", {
      project,
      id: "loss-diverged",
      metric: "train_*",
      condition: { type: "gt", value: 10 },
      level: "error",
      title: "Loss diverged",
      text: "{metric}={value:.4f} at step {step}",
    });
    expect(rule).toMatchObject({ id: "loss-diverged", metric: "train_*", condition: { type: "gt", value: 10 }, level: "error" });
    expect((await call(mcp, "list_alert_rules", { project })).rules.map((r: any) => r.id)).toEqual(["loss-diverged"]);

    const ws = await connectSocket(wsUrl(project, { min_level: "warn" }), { headers: { authorization: `Bearer ${agentKey}` } });
    const sub = collect(ws);
    await sub.until(sub.ready);

    const scriptKey = await createKey("write", [project]);
    const script = await runScript(project, scriptKey);
    expect(script.code, script.output).toBe(0);

    await sub.until(() => sub.alerts.length >= 2);
    const firstOver = Array.from({ length: STEPS }, (_, s) => s).find((s) => lossAt(s) > 10)!;
    expect(sub.alerts.map((a) => [a.title, a.level, a.rule_id, a.step, a.run])).toEqual([
      ["Loss diverged", "error", "loss-diverged", firstOver, "diverging"],
      ["Non-finite metric", "error", "builtin:non_finite", STEPS, "diverging"],
    ]);
    expect(sub.alerts[0].text).toBe(`train_loss=${lossAt(firstOver).toFixed(4)} at step ${firstOver}`);
    expect(sub.alerts[1].text).toBe(`train_loss=NaN at step ${STEPS}`);
    // Loss stayed above 10 for every later step: still one alert, not one per step.
    await new Promise((r) => setTimeout(r, 300));
    expect(sub.alerts).toHaveLength(2);
    ws.close();
  });

  it("refuses a bad rule from MCP with a tool error naming the field", async ({ expect }) => {
    const err = await callError(mcp, "add_alert_rule", { project, metric: "loss", condition: { type: "gt", value: 1 }, title: "t", text: "{valeu}" });
    expect(err).toMatch(/text: unknown placeholder \{valeu\}/);
    const bad = await callError(mcp, "add_alert_rule", { project, metric: "loss", condition: { type: "spike", factor: 0.5 }, title: "t" });
    expect(bad).toMatch(/factor must be > 1/);
  });

  it("manages rules from the CLI: add, list, remove, with --json and clear errors", async ({ expect }) => {
    const p = uniqueProject("rules-cli");
    const add = await cli(["rules", "add", "--project", p, "--metric", "val/*", "--condition", "no_improvement 500 max", "--title", "{metric} plateaued", "--id", "plateau", "--json"]);
    expect(add.code, add.stderr).toBe(0);
    expect(add.json).toMatchObject({ id: "plateau", metric: "val/*", condition: { type: "no_improvement", steps: 500, mode: "max", min_delta: 0 }, level: "warn" });
    const spike = await cli(["rules", "add", "--project", p, "--metric", "loss", "--condition", "> 4.5", "--title", "high", "--level", "error"]);
    expect(spike.code, spike.stderr).toBe(0);
    expect(spike.stdout).toMatch(/condition:\s+> 4\.5/);
    const list = await cli(["rules", "list", "--project", p]);
    expect(list.code).toBe(0);
    expect(list.stdout.split("\n")[0]).toMatch(/^ID\s+METRIC\s+CONDITION\s+LEVEL\s+TITLE/);
    expect(list.stdout).toContain("no_improvement 500 max");
    const listJson = await cli(["rules", "list", "--project", p, "--json"]);
    expect(listJson.json.rules.map((r: any) => r.id)).toEqual(["plateau", expect.stringMatching(/^rule_/)]);
    const removed = await cli(["rules", "remove", "plateau", "--project", p]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain("Removed rule plateau.");
    const again = await cli(["rules", "remove", "plateau", "--project", p]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Rule 'plateau' not found/);
    const usage = await cli(["rules", "add", "--project", p, "--metric", "x", "--condition", "above 3", "--title", "t"]);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/--condition' must be/);
    const server = await cli(["rules", "add", "--project", p, "--metric", "x", "--condition", "> 3", "--title", "t", "--text", "{nope}"]);
    expect(server.code).toBe(1);
    expect(server.stderr).toMatch(/text: unknown placeholder \{nope\}/);
    const settings = await cli(["rules", "settings", "--project", p, "--stale-after", "120", "--non-finite", "off", "--json"]);
    expect(settings.json).toEqual({ stale_after: 120, detectors: { non_finite: false, stale: true } });
  });
});
