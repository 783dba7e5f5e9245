import { inject } from "vitest";
import WebSocket from "ws";
import type { Alert, AlertSocketMessage } from "../../src/contract";

// Node-side helpers for the alert end-to-end tests: REST against the shared `wrangler dev`, and
// WebSocket subscribers built on the `ws` package (Node 20 has no global WebSocket).

export const baseUrl = () => inject("baseUrl");
export const adminToken = () => inject("adminToken");
let seq = 0;
export const uniqueProject = (prefix = "e2e") => `${prefix}-${Date.now().toString(36)}-${(seq++).toString(36)}`;

export async function rest(method: string, path: string, opts: { token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${opts.token ?? adminToken()}` };
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${baseUrl()}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

export async function postAlerts(project: string, alerts: Record<string, unknown>[]): Promise<Alert[]> {
  const r = await rest("POST", `/v1/projects/${project}/alerts`, { body: { alerts } });
  if (r.status !== 201) throw new Error(`POST alerts -> ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.alerts;
}

export async function createKey(scope: "read" | "write" | "admin", projects?: string[]): Promise<string> {
  const r = await rest("POST", "/v1/keys", { body: { name: `${scope}-e2e`, scope, projects } });
  if (r.status !== 201) throw new Error(`POST keys -> ${r.status}`);
  return r.json.key;
}

export function wsUrl(project: string, query: Record<string, string | number> = {}) {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  return `${baseUrl().replace(/^http/, "ws")}/v1/projects/${project}/alerts/ws${qs ? `?${qs}` : ""}`;
}

/** Opens a socket; resolves with it once open, or rejects with the handshake's error (e.g. `Unexpected server response: 401`). */
export function connect(url: string, opts: { protocols?: string[]; headers?: Record<string, string> } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, opts.protocols ?? [], { headers: opts.headers });
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

export const parse = (data: WebSocket.RawData): AlertSocketMessage | "pong" => {
  const text = data.toString();
  return text === "pong" ? "pong" : (JSON.parse(text) as AlertSocketMessage);
};
