import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { describe, inject, it } from "vitest";
import { codeBlocks, ROOT, shellCommands } from "../helpers/readme";

// A newcomer's run of the README against the local server: the curl loop as written (after the
// `export` line `npm start` prints) and the MCP configuration, each checked for what the README
// says it answers. The SDK and CLI sections run from the packed package (sdk-package.test.ts).

/** Runs the commands in one bash (variables carry over) and returns each one's stdout. */
function runScript(commands: string[], env: Record<string, string>): string[] {
  const script = ["set -e", ...commands.flatMap((c, i) => [`printf '\\n@@%d@@\\n' ${i}`, c])].join("\n");
  const r = spawnSync("bash", ["-c", script], { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) throw new Error(`the script stopped (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const parts = r.stdout.split(/\n@@(\d+)@@\n/);
  const outputs: string[] = [];
  for (let i = 1; i < parts.length; i += 2) outputs[Number(parts[i])] = parts[i + 1];
  return outputs;
}

describe("the README, as a newcomer runs it", () => {
  it("runs the curl loop as written, every answer the one the README describes", ({ expect }) => {
    const commands = shellCommands(codeBlocks("README.md", "The agent loop, with curl", "sh")[0]);
    const out = runScript(commands, { TRACKFLARE_URL: inject("baseUrl"), TRACKFLARE_TOKEN: inject("adminToken") });
    const answer = (fragment: string) => {
      const i = commands.findIndex((c) => c.includes(fragment));
      if (i < 0) throw new Error(`no README command contains ${fragment}`);
      return JSON.parse(out[i]);
    };
    // Every curl answers JSON, and none the error shape.
    for (const [i, c] of commands.entries()) if (c.startsWith("curl")) expect(JSON.parse(out[i]), c).not.toHaveProperty("error.code");

    expect(answer("/v1/keys").key).toMatch(/^tf_/);
    const run = answer(`runs -d '{"name":"lr-0.01"`);
    expect(run).toMatchObject({ name: "lr-0.01", config: { lr: 0.01, bs: 64 } });
    // The NaN raised the built-in detector's alert, besides the one posted.
    const titles = answer("alerts?min_level=warn&cursor=0").alerts.map((a: { title: string }) => a.title);
    expect(titles).toEqual(expect.arrayContaining(["loss diverged", "Non-finite metric"]));
    const waited = answer("alerts/wait?");
    expect(waited.timed_out).toBe(false);
    expect(waited.alerts.length).toBeGreaterThan(0);
    const summary = JSON.parse(out[commands.findIndex((c) => c.endsWith("$TF/v1/projects/cifar/runs/lr-0.01"))]);
    expect(summary).toMatchObject({ id: run.id, last_step: 1, log_count: 2 });
    expect(answer("metrics/train/loss").values.map((v: { value: unknown }) => v.value)).toEqual([2.3, "NaN"]);
    expect(answer("/finish").status).toBe("failed");
    expect(answer("status=failed").runs.map((r: { id: string }) => r.id)).toContain(run.id);
  });

  it("connects an MCP client with the README's configuration and gets the tools its table lists", async ({ expect }) => {
    const [block] = codeBlocks("README.md", "Use from an MCP agent", "json");
    const config = JSON.parse(block.replaceAll("http://127.0.0.1:8787", inject("baseUrl")).replaceAll("tf_your_key", inject("adminToken")));
    const server = config.mcpServers.trackflare;
    expect(server.type).toBe("http");
    const client = new Client({ name: "readme-newcomer", version: "0.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: server.headers } }));
    try {
      const { tools } = await client.listTools();
      const readme = fs.readFileSync(`${ROOT}/README.md`, "utf8");
      const table = readme.slice(readme.indexOf("| tool | what |"), readme.indexOf("Every tool has a JSON Schema"));
      const listed = new Set([...table.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]).filter((n) => n.includes("_") && !/^(min_level|next_cursor|has_more)$/.test(n)));
      expect([...listed].filter((n) => !tools.some((t) => t.name === n))).toEqual([]);
      // "An unknown project or run is a tool error that names it", in every tool.
      const r = (await client.callTool({ name: "get_alerts", arguments: { project: "no-such-project" } })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(JSON.stringify(r.content)).toContain("Project 'no-such-project' not found");
    } finally {
      await client.close();
    }
  });
});
