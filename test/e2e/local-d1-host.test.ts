import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, it } from "vitest";
// @ts-expect-error plain ESM helper shared with `npm start` and the benchmarks
import { OFFLINE_ENV, ROOT, startDevServer } from "../../src/local/dev-server.mjs";

// `npm start` serves local D1 from a workerd of its own (src/local/d1-host.mjs). Whichever way it
// runs, it must be the one local database that `wrangler d1 … --local --persist-to` and
// `npm run dev` use: what one writes, the others read.

const WRANGLER = path.join(ROOT, "node_modules/wrangler/bin/wrangler.js");

function wranglerSelect(persistTo: string, sql: string): Record<string, unknown>[] {
  const r = spawnSync(process.execPath, [WRANGLER, "d1", "execute", "DB", "--local", "--persist-to", persistTo, "--json", "--command", sql], {
    cwd: ROOT,
    env: { ...process.env, ...OFFLINE_ENV, CI: "1" },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`wrangler d1 execute failed:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout)[0].results;
}

async function api(url: string, token: string, method: string, p: string, body?: unknown) {
  const res = await fetch(`${url}${p}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("local D1 in its own workerd", () => {
  const persistTo = fs.mkdtempSync(path.join(os.tmpdir(), "trackflare-d1-host-"));
  const token = `tf_admin_d1host_${Date.now()}`;
  afterAll(() => fs.rmSync(persistTo, { recursive: true, force: true }));

  it("is the same database before and after a restart, with local D1 inline, and for wrangler", { timeout: 180_000 }, async ({ expect }) => {
    const own = await startDevServer({ persistTo, adminToken: token, quiet: true });
    let runId: string;
    try {
      const run = await api(own.url, token, "POST", "/v1/projects/d1-host/runs", { name: "first" });
      expect(run.status).toBe(201);
      runId = run.json.id as string;
      const logs = Array.from({ length: 50 }, (_, step) => ({ step, log_id: `e${step}`, metrics: { loss: 1 / (step + 1) } }));
      const wrote = await api(own.url, token, "POST", `/v1/projects/d1-host/runs/${runId}/logs`, { logs });
      expect(wrote.status).toBe(200);
      expect(wrote.json.accepted).toBe(50);
    } finally {
      await own.close();
    }

    // The same state under the single-process layout: the run and its 50 entries are there, and a retry stores nothing new.
    const inline = await startDevServer({ persistTo, adminToken: token, quiet: true, inlineD1: true });
    try {
      const retry = await api(inline.url, token, "POST", `/v1/projects/d1-host/runs/${runId}/logs`, { logs: [{ step: 0, log_id: "e0", metrics: { loss: 1 } }, { step: 50, log_id: "e50", metrics: { loss: 0.01 } }] });
      expect(retry.json).toMatchObject({ accepted: 1, duplicates: 1 });
      const summary = await api(inline.url, token, "GET", `/v1/projects/d1-host/runs/${runId}`);
      expect(summary.json).toMatchObject({ id: runId, name: "first", log_count: 51 });
    } finally {
      await inline.close();
    }

    expect(wranglerSelect(persistTo, `SELECT name, log_count FROM runs WHERE project = 'd1-host'`)).toEqual([{ name: "first", log_count: 51 }]);
  });
});
