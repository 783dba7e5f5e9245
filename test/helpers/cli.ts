import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { runNode } from "./run-node";

// Runs the real `trackflare` CLI as a subprocess (`node sdk/bin/trackflare.js …`), the way users
// and agents do, against the shared `wrangler dev` of the e2e project.

export const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "sdk/bin/trackflare.js");

if (!fs.existsSync(path.join(ROOT, "sdk/dist/cli.js"))) throw new Error("sdk/dist/cli.js is missing: run `npm run build:sdk` first");

/** A config file path that does not exist, so the user's own login never leaks into a test. */
export const isolatedConfig = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tf-cli-")), "config.json");

export type CliEnv = Record<string, string | undefined>;

export function cliEnv(extra: CliEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TRACKFLARE_URL: inject("baseUrl"), TRACKFLARE_TOKEN: inject("adminToken"), TRACKFLARE_CONFIG: isolatedConfig(), NO_COLOR: "1" };
  for (const k of ["TRACKIO_SERVER_URL", "TRACKIO_WRITE_TOKEN"]) delete env[k];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export type CliResult = { code: number | null; stdout: string; stderr: string; json: any };

/** Runs one CLI command to completion. `json` is stdout parsed (null when it is not one JSON document). */
export async function cli(args: string[], opts: { env?: CliEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  const r = await runNode([BIN, ...args], { env: cliEnv(opts.env), cwd: ROOT, timeoutMs: opts.timeoutMs });
  let json: any = null;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = null;
  }
  return { ...r, json };
}

/** A long-running CLI (watch): collects stdout lines as they come. */
export function cliStream(args: string[], opts: { env?: CliEnv } = {}) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BIN, ...args], { env: cliEnv(opts.env), cwd: ROOT });
  const lines: string[] = [];
  let buf = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    /** Resolves once `n` lines arrived (or rejects after `timeoutMs`). */
    async waitForLines(n: number, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (lines.length < n) {
        if (Date.now() > deadline) throw new Error(`got ${lines.length}/${n} lines; stderr: ${stderr}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return lines.slice(0, n);
    },
    /** Resolves once stderr contains `text` (watch prints its readiness there). */
    async waitForStderr(text: string, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!stderr.includes(text)) {
        if (Date.now() > deadline) throw new Error(`stderr never contained '${text}': ${stderr}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    kill() {
      if (child.exitCode === null) child.kill("SIGTERM");
    },
  };
}

/** Timestamps as Trackio writes them: `2026-11-28T16:57:00.911818+00:00`, fraction optional. */
export const TRACKIO_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/;
