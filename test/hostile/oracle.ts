import { env } from "cloudflare:workers";
import { ErrorBody } from "../../src/contract";
import { ADMIN, api } from "../helpers/api";
import type { ReadResponse } from "../helpers/read-response";
import { call } from "../helpers/trackio";
import type { HostileRequest } from "./surface";

// What every answer must be, whatever was sent: below 500, in its interface's documented shape;
// a refused write leaves every stored row, alert and rule exactly as it was; and what an accepted
// write stored reads back without a failure.

/** Why an answer breaks a promise, or null. */
export function brokenPromise(req: HostileRequest, res: ReadResponse): string | null {
  if (res.status >= 500) return `${res.status}: ${res.text.slice(0, 200)}`;
  if (req.family === "rest") {
    if (res.status >= 400 && !ErrorBody.safeParse(res.json).success) return `error not in the one shape: ${res.text.slice(0, 200)}`;
    return null;
  }
  if (req.family === "trackio") {
    if (req.method !== "POST") return res.status === 405 ? null : `expected 405 for ${req.method}, got ${res.status}`;
    const body = res.json as Record<string, unknown> | undefined;
    if (res.status === 200) return body && "data" in body ? null : `200 without {data}: ${res.text.slice(0, 200)}`;
    return body && typeof body.error === "string" ? null : `${res.status} without {error: string}: ${res.text.slice(0, 200)}`;
  }
  // MCP: a JSON-RPC answer (HTTP 200, or a 4xx for a malformed message), or the REST error shape before it (401, 413).
  if (res.status >= 400) {
    const ok = ErrorBody.safeParse(res.json).success || (res.json as { jsonrpc?: string } | undefined)?.jsonrpc === "2.0";
    return ok ? null : `${res.status} in neither shape: ${res.text.slice(0, 200)}`;
  }
  if (res.status === 202) return null;
  const rpc = res.json as { result?: { isError?: boolean; content?: { text?: string }[] }; error?: { message?: string } } | undefined;
  if (!rpc || (rpc.result === undefined && rpc.error === undefined)) {
    // A JSON-RPC batch is answered with an array.
    return Array.isArray(res.json) ? null : `not a JSON-RPC answer: ${res.text.slice(0, 200)}`;
  }
  const text = rpc.result?.isError ? (rpc.result.content?.[0]?.text ?? "") : "";
  return text.startsWith("internal") ? `tool failed unexpectedly: ${text.slice(0, 200)}` : null;
}

/** Whether the answer refused the request (nothing of it may have been stored). */
export function refused(req: HostileRequest, res: ReadResponse): boolean {
  if (res.status >= 400) return true;
  if (req.family === "mcp") return (res.json as { result?: { isError?: boolean }; error?: unknown } | undefined)?.result?.isError === true || !!(res.json as { error?: unknown })?.error;
  return false;
}

// Columns the Worker changes outside the request (a key's last use, a delivery's progress).
const TABLES: Record<string, string> = {
  projects: "SELECT * FROM projects ORDER BY name",
  runs: "SELECT * FROM runs ORDER BY id",
  metric_logs: "SELECT run_id, log_id, step, ts, metrics FROM metric_logs ORDER BY run_id, log_id",
  metric_names: "SELECT * FROM metric_names ORDER BY run_id, name",
  metric_rollups: "SELECT * FROM metric_rollups ORDER BY run_id, name, width, bucket",
  system_metrics: "SELECT project, run_id, log_id, ts, metrics FROM system_metrics ORDER BY id",
  api_keys: "SELECT id, name, hash, scope, projects, revoked_at FROM api_keys ORDER BY id",
  webhooks: "SELECT id, project, url, kind, min_level, run_filter, secret FROM webhooks ORDER BY id",
  webhook_deliveries: "SELECT id, alert_id FROM webhook_deliveries ORDER BY id",
  media: "SELECT project, run_id, step, name, file_path, r2_key, sha256, caption FROM media ORDER BY id",
  media_staged: "SELECT id, r2_key, sha256 FROM media_staged ORDER BY id",
};

/**
 * Everything stored that a request could touch: D1's rows, the media bucket's keys, and the
 * alerts and rules in the Durable Object of each of `projects` that exists, as one comparable text.
 */
export async function storedState(projects: string[]): Promise<string> {
  const rows = await env.DB.batch(Object.values(TABLES).map((q) => env.DB.prepare(q)));
  const out: Record<string, unknown> = Object.fromEntries(Object.keys(TABLES).map((k, i) => [k, rows[i].results]));
  out.r2 = (await env.MEDIA.list()).objects.map((o) => o.key);
  const existing = new Set((out.projects as { name: string }[]).map((r) => r.name));
  const inObjects = await Promise.all(
    projects
      .filter((p) => existing.has(p))
      .map(async (p) => {
        const stub = env.PROJECT_ALERTS.getByName(p);
        return [p, await Promise.all([stub.queryAlerts({ cursor: 0, limit: 1000 }), stub.listRules()])] as const;
      }),
  );
  for (const [p, [alerts, rules]] of inObjects) {
    out[`alerts:${p}`] = alerts;
    out[`rules:${p}`] = rules;
  }
  return JSON.stringify(out);
}

/** The runs an accepted write stored into (`[project, run]`), to be read back. */
export function writtenRuns(req: HostileRequest): [string, string][] {
  const rest = /^\/v1\/projects\/([^/?]+)\/runs(?:\/([^/?]+)\/logs)?(?:\?|$)/.exec(req.path);
  if (req.family === "rest" && rest && req.method === "POST") {
    if (rest[2]) return [[decodeURIComponent(rest[1]), decodeURIComponent(rest[2])]];
    const name = (safeJson(req.body) as { name?: unknown } | null)?.name;
    return typeof name === "string" ? [[decodeURIComponent(rest[1]), name]] : [];
  }
  if (req.family === "trackio" && /^\/api\/(bulk_log|log)\b/.test(req.path)) {
    const body = safeJson(req.body) as { kwargs?: { logs?: unknown; project?: unknown; run?: unknown } } | null;
    const entries = Array.isArray(body?.kwargs?.logs) ? body.kwargs.logs : [body?.kwargs];
    return entries.flatMap((e) => {
      const { project, run } = (e ?? {}) as { project?: unknown; run?: unknown };
      return typeof project === "string" && typeof run === "string" ? [[project.replace(/[^A-Za-z0-9_-]/g, "") || "default", run] as [string, string]] : [];
    });
  }
  return [];
}

function safeJson(text: string | undefined): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/**
 * Reads back what an accepted write stored: the run, every metric (values, downsampled, and the
 * snapshot at its last step), a config filter, and Trackio's reads of the same. Nothing accepted
 * may make a later read fail; returns the reads that did.
 */
export async function readBack(project: string, run: string): Promise<string[]> {
  const p = encodeURIComponent(project);
  const r = encodeURIComponent(run);
  const failed: string[] = [];
  const get = async (path: string) => {
    const res = await api("GET", path);
    if (res.status >= 500) failed.push(`${path} → ${res.status} ${res.text.slice(0, 120)}`);
    return res;
  };
  const summary = await get(`/v1/projects/${p}/runs/${r}`);
  if (summary.status !== 200) return failed;
  const metrics: string[] = (summary.json.metrics ?? []).slice(0, 8);
  for (const m of metrics) {
    await get(`/v1/projects/${p}/runs/${r}/metrics/${m.split("/").map(encodeURIComponent).join("/")}`);
    await get(`/v1/projects/${p}/runs/${r}/metrics/${m.split("/").map(encodeURIComponent).join("/")}?max_points=10`);
    const t = await call("get_metric_values", { project, run, metric_name: m }, { token: ADMIN });
    if (t.status >= 500) failed.push(`get_metric_values ${m} → ${t.status}`);
  }
  if (summary.json.last_step !== null) await get(`/v1/projects/${p}/runs/${r}/snapshot?step=${summary.json.last_step}`);
  for (const key of Object.keys(summary.json.config ?? {}).slice(0, 3)) await get(`/v1/projects/${p}/runs?config=${encodeURIComponent(`${key}=1`)}`);
  for (const name of ["get_logs", "get_run_configs", "get_runs_for_project"]) {
    const t = await call(name, { project, run }, { token: ADMIN });
    if (t.status >= 500) failed.push(`${name} → ${t.status}`);
  }
  return failed;
}
