import { exports } from "cloudflare:workers";
import { readResponse } from "./read-response";

export const ADMIN = "test-admin-token";

type Opts = { token?: string | null; body?: unknown; headers?: Record<string, string>; raw?: string };

/** Calls the Worker's fetch handler in-process (real D1, DOs and queues of the test runtime). */
export async function api(method: string, path: string, opts: Opts = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? ADMIN : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers["content-type"] ??= "application/json";
  const res = await exports.default.fetch(new Request(`http://tf.test${path}`, { method, headers, body }));
  return readResponse(res);
}

let seq = 0;
/** A fresh project name per call, so tests in one file do not see each other's data. */
export const uniqueProject = (prefix = "p") => `${prefix}-${Date.now().toString(36)}-${(seq++).toString(36)}`;

export async function createKey(scope: "read" | "write" | "admin", projects?: string[]) {
  const r = await api("POST", "/v1/keys", { body: { name: `${scope}-key`, scope, projects } });
  if (r.status !== 201) throw new Error(`key creation failed: ${r.status} ${r.text}`);
  return r.json.key as string;
}

export async function createRun(project: string, body: Record<string, unknown> = {}, token?: string) {
  const r = await api("POST", `/v1/projects/${project}/runs`, { body, token });
  if (r.status !== 201 && r.status !== 200) throw new Error(`run creation failed: ${r.status} ${r.text}`);
  return r.json;
}

export async function logEntries(project: string, run: string, logs: unknown[], token?: string) {
  return api("POST", `/v1/projects/${project}/runs/${run}/logs`, { body: { logs }, token });
}
