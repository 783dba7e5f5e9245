import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { inject } from "vitest";
import { readResponse } from "./read-response";

// Node-side helpers for the MCP end-to-end tests: REST calls to seed data, and the official
// MCP client connected to the shared `wrangler dev`.

export const baseUrl = () => inject("baseUrl");

export async function rest(method: string, path: string, opts: { token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${opts.token ?? inject("adminToken")}` };
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${baseUrl()}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  return readResponse(res);
}

export async function restOk(method: string, path: string, opts: { token?: string; body?: unknown } = {}) {
  const r = await rest(method, path, opts);
  if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status} ${r.text}`);
  return r.json;
}

export async function makeKey(scope: "read" | "write" | "admin", projects?: string[]): Promise<string> {
  const created = await restOk("POST", "/v1/keys", { body: { name: `mcp-${scope}`, scope, projects } });
  return created.key;
}

let seq = 0;
export const uniqueProject = (prefix = "mcp") => `${prefix}-${Date.now().toString(36)}-${(seq++).toString(36)}`;

export async function connect(token: string): Promise<Client> {
  const client = new Client({ name: "trackflare-e2e", version: "0.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${baseUrl()}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

/** Calls a tool and returns its structured result, failing on a tool error. */
export async function call<T = any>(client: Client, name: string, args: Record<string, unknown> = {}, timeout?: number): Promise<T> {
  const r = (await client.callTool({ name, arguments: args }, undefined, timeout ? { timeout } : undefined)) as CallToolResult;
  if (r.isError) throw new Error(`${name} failed: ${textOf(r)}`);
  return r.structuredContent as T;
}

/** Calls a tool that should fail and returns the error text. */
export async function callError(client: Client, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (!r.isError) throw new Error(`${name} succeeded unexpectedly: ${JSON.stringify(r.structuredContent)}`);
  return textOf(r);
}

export const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
