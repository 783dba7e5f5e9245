import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, inject, it } from "vitest";
import { Client } from "../../sdk/src/index";
import { cli, isolatedConfig } from "../helpers/cli";

let seq = 0;
const uniqueProject = (p: string) => `${p}-${Date.now().toString(36)}-${(seq++).toString(36)}`;
const client = () => new Client({ url: inject("baseUrl"), token: inject("adminToken") });

/** Every failure: nothing on stdout (even with --json), one `Error: …` line on stderr, exit 1. */
function expectCliError(expect: any, r: { code: number | null; stdout: string; stderr: string }, message: RegExp) {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(/^Error: /);
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(r.stderr).toMatch(message);
}

describe("bad invocations give a clear error", () => {
  it("unknown flag, unknown command, missing command", async ({ expect }) => {
    expectCliError(expect, await cli(["list", "runs", "--proejct", "x", "--json"]), /Unknown option '--proejct' for 'trackflare list runs'/);
    expectCliError(expect, await cli(["list", "experiments"]), /Unknown command 'experiments' for 'trackflare list'. Expected one of: projects\|runs\|metrics\|alerts/);
    expectCliError(expect, await cli(["frobnicate"]), /Unknown command 'frobnicate' for 'trackflare'/);
    expectCliError(expect, await cli(["get", "--json"]), /'trackflare get' needs a command/);
  });

  it("missing required flags, flags without values, bad numbers and levels", async ({ expect }) => {
    expectCliError(expect, await cli(["list", "runs", "--json"]), /Missing required argument: --project/);
    expectCliError(expect, await cli(["get", "metric", "--project", "p", "--run", "r"]), /--metric/);
    expectCliError(expect, await cli(["list", "runs", "--project"]), /Option '--project' needs a value/);
    expectCliError(expect, await cli(["get", "metric", "--project", "p", "--run", "r", "--metric", "m", "--step", "ten"]), /Option '--step' must be an integer >= 0, got 'ten'/);
    expectCliError(expect, await cli(["get", "metric", "--project", "p", "--run", "r", "--metric", "m", "--step", "1", "--around", "2"]), /Give --step or --around, not both/);
    expectCliError(expect, await cli(["list", "alerts", "--project", "p", "--level", "fatal"]), /Option '--level' must be info, warn or error, got 'fatal'/);
    expectCliError(expect, await cli(["wait", "alerts", "--project", "p", "--timeout", "soon"]), /Option '--timeout' must be a number >= 0/);
    expectCliError(expect, await cli(["list", "projects", "extra"]), /Unexpected argument 'extra'/);
  });

  it("server-side refusals come back as the API's message", async ({ expect }) => {
    expectCliError(expect, await cli(["list", "projects", "--json"], { env: { TRACKFLARE_TOKEN: "tf_wrong" } }), /Missing or invalid API key/);
    const project = uniqueProject("errs");
    await client().runs.create(project, { name: "r" });
    expectCliError(expect, await cli(["get", "run", "--project", project, "--run", "nope", "--json"]), new RegExp(`Run 'nope' not found in project '${project}'`));
    expectCliError(expect, await cli(["list", "runs", "--project", project, "--status", "exploded"]), /status/);
    expectCliError(expect, await cli(["list", "alerts", "--project", project, "--since", "yesterday"]), /since/);
  });

  it("no server configured, and a server that is down", async ({ expect }) => {
    expectCliError(expect, await cli(["list", "projects"], { env: { TRACKFLARE_URL: undefined } }), /No server URL: pass --url, set TRACKFLARE_URL, or run 'trackflare login/);
    expectCliError(expect, await cli(["list", "projects"], { env: { TRACKFLARE_URL: "http://127.0.0.1:9" } }), /Could not reach http:\/\/127\.0\.0\.1:9/);
  });

  it("--help and --version go to stdout with exit 0", async ({ expect }) => {
    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    const usage = /USAGE trackflare (\S+)/.exec(help.stdout)![1].split("|");
    expect(usage).toEqual(expect.arrayContaining(["list", "get", "watch", "wait", "runs", "keys", "webhooks", "login"]));
    const sub = await cli(["wait", "alerts", "--help"]);
    expect(sub.stdout).toMatch(/--timeout/);
    expect((await cli(["--version"])).stdout).toMatch(/^trackflare \d+\.\d+\.\d+\n$/);
  });
});

describe("login and configuration order", () => {
  it("login checks the key, writes an owner-only file, and later commands use it", async ({ expect }) => {
    const config = isolatedConfig();
    const env = { TRACKFLARE_CONFIG: config, TRACKFLARE_URL: undefined, TRACKFLARE_TOKEN: undefined };
    expectCliError(expect, await cli(["login", "--url", inject("baseUrl"), "--token", "tf_wrong"], { env }), /Missing or invalid API key/);
    expect(fs.existsSync(config)).toBe(false);

    const ok = await cli(["login", "--url", inject("baseUrl"), "--token", inject("adminToken"), "--json"], { env });
    expect(ok.code).toBe(0);
    expect(ok.json).toEqual({ url: inject("baseUrl"), config });
    expect(ok.stdout).not.toContain(inject("adminToken"));
    expect(fs.statSync(config).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(config, "utf8"))).toEqual({ url: inject("baseUrl"), token: inject("adminToken") });

    const fromFile = await cli(["list", "projects", "--json"], { env });
    expect(fromFile.code).toBe(0);
    // The environment beats the file, and a flag beats the environment.
    const envWins = await cli(["list", "projects", "--json"], { env: { ...env, TRACKFLARE_TOKEN: "tf_wrong" } });
    expect(envWins.code).toBe(1);
    const flagWins = await cli(["--token", inject("adminToken"), "list", "projects", "--json"], { env: { ...env, TRACKFLARE_TOKEN: "tf_wrong" } });
    expect(flagWins.code).toBe(0);
  });

  it("accepts Trackio's variables and its --space flag", async ({ expect }) => {
    const r = await cli(["list", "projects", "--json"], {
      env: { TRACKFLARE_URL: undefined, TRACKFLARE_TOKEN: undefined, TRACKIO_SERVER_URL: inject("baseUrl"), TRACKIO_WRITE_TOKEN: inject("adminToken") },
    });
    expect(r.code).toBe(0);
    const space = await cli(["list", "projects", "--space", inject("baseUrl"), "--json"], { env: { TRACKFLARE_URL: "http://127.0.0.1:9" } });
    expect(space.code).toBe(0);
  });
});

describe("runs, keys and webhooks commands", () => {
  it("runs rename, finish --status failed, delete", async ({ expect }) => {
    const project = uniqueProject("runs");
    const run = await client().runs.create(project, { name: "before" });
    const renamed = await cli(["runs", "rename", "--project", project, "--run", "before", "--name", "after", "--json"]);
    expect(renamed.json).toMatchObject({ id: run.id, name: "after" });
    const finished = await cli(["runs", "finish", "--project", project, "--run", "after", "--status", "failed", "--json"]);
    expect(finished.json).toMatchObject({ id: run.id, status: "failed" });
    expectCliError(expect, await cli(["runs", "finish", "--project", project, "--run", "after", "--status", "done"]), /--status' must be finished or failed/);
    const deleted = await cli(["runs", "delete", "--project", project, "--run", run.id, "--json"]);
    expect(deleted.json).toEqual({ deleted: true, id: run.id });
    expect((await cli(["list", "runs", "--project", project, "--json"])).json.runs).toEqual([]);
  });

  it("keys create shows the key once; list never does; revoke stops it working", async ({ expect }) => {
    const project = uniqueProject("keys");
    const created = await cli(["keys", "create", "--name", "agent", "--scope", "read", "--projects", project, "--json"]);
    expect(created.code).toBe(0);
    expect(created.json).toMatchObject({ name: "agent", scope: "read", projects: [project] });
    const key: string = created.json.key;
    expect(key.length).toBeGreaterThan(16);
    await client().runs.create(project, { name: "r" });
    const asReader = await cli(["list", "runs", "--project", project, "--json"], { env: { TRACKFLARE_TOKEN: key } });
    expect(asReader.json.runs).toEqual(["r"]);
    expectCliError(expect, await cli(["runs", "delete", "--project", project, "--run", "r"], { env: { TRACKFLARE_TOKEN: key } }), /scope|permission|forbidden|write/i);

    const listed = await cli(["keys", "list", "--json"]);
    expect(listed.stdout).not.toContain(key);
    expect(listed.json.keys.map((k: { id: string }) => k.id)).toContain(created.json.id);
    const revoked = await cli(["keys", "revoke", created.json.id, "--json"]);
    expect(revoked.json.revoked_at).not.toBeNull();
    expectCliError(expect, await cli(["list", "runs", "--project", project], { env: { TRACKFLARE_TOKEN: key } }), /Missing or invalid API key/);
    expectCliError(expect, await cli(["keys", "create", "--name", "x", "--scope", "root"]), /--scope' must be read, write or admin/);
  });

  it("webhooks add/list/rotate-secret/remove, and deliveries after an alert", async ({ expect }) => {
    const received: unknown[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d)).on("end", () => {
        received.push(JSON.parse(body));
        res.end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const project = uniqueProject("hooks");
      await client().runs.create(project, { name: "r" });
      const added = await cli(["webhooks", "add", target, "--project", project, "--min-level", "warn", "--json"]);
      expect(added.code).toBe(0);
      expect(added.json).toMatchObject({ project, url: target, kind: "generic", min_level: "warn" });
      expect(added.json.secret).toMatch(/^whsec_/);
      const listed = await cli(["webhooks", "list", "--project", project, "--json"]);
      expect(listed.json.webhooks).toEqual([expect.objectContaining({ id: added.json.id })]);
      expect(listed.stdout).not.toContain(added.json.secret);
      const rotated = await cli(["webhooks", "rotate-secret", added.json.id, "--project", project, "--json"]);
      expect(rotated.json.secret).toMatch(/^whsec_/);
      expect(rotated.json.secret).not.toBe(added.json.secret);

      await client().alerts.create(project, { title: "too low", level: "info", run: "r" });
      await client().alerts.create(project, { title: "disk full", level: "error", run: "r" });
      // The queue consumer delivers in the background; poll cheaply, then read it with the CLI.
      for (let i = 0; i < 300 && !(await client().webhooks.deliveries(project)).deliveries.some((d) => d.status === "delivered"); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const deliveries = (await cli(["webhooks", "deliveries", "--project", project, "--json"])).json.deliveries;
      expect(deliveries).toEqual([expect.objectContaining({ status: "delivered", url: target })]);
      expect(received).toEqual([expect.objectContaining({ title: "disk full", level: "error", project })]);

      const removed = await cli(["webhooks", "remove", added.json.id, "--project", project, "--json"]);
      expect(removed.json).toEqual({ deleted: true, id: added.json.id });
      expect((await cli(["webhooks", "list", "--project", project, "--json"])).json.webhooks).toEqual([]);
      expectCliError(expect, await cli(["webhooks", "add", "ftp://x", "--project", project]), /url/);
    } finally {
      server.close();
    }
  });
});
