import { z } from "zod";
import { AlertFilters, AlertQuery, CreateAlert, WaitQuery, parseTimestamp, type Alert, type AlertCounts, type AlertPage, type WaitResult } from "../contract";
import { SUBSCRIPTION_HEADER, type AlertInput, type AlertQueryFilters, type SocketSubscription, type StoredFilters } from "../project-object/types";
import { listRuns } from "../db/runs";
import { badRequest } from "../errors";
import type { Svc } from "./context";
import { ensureProjectOnce, projectExists } from "./known-projects";
import { findRunByRef, isRunId, requireProject, runNotFound } from "./run-refs";
import { assertSafeWebhookUrl } from "../webhooks/targets";

// REST/Trackio/MCP alert calls as ProjectAlerts RPC. Runs are resolved against D1 here, before
// the call, so the object stores alerts under runs the project knows.

/** The project's Durable Object (alerts, rules, stale watch, webhook outbox); services reach it through this. */
export const projectObject = (env: Env, project: string) => env.PROJECT_ALERTS.getByName(project);

export type CreateAlertsOptions = {
  /**
   * A run that D1 does not know: `error` (REST) answers 404; `keep` stores the alert under the
   * given name/id, as Trackio does for alerts that arrive before the run's first log.
   */
  unknownRun?: "error" | "keep";
  /** Field path prefix of input `i` in error details (`alerts.3.` for a batch). */
  fieldPrefix?: (i: number) => string;
};

const newAlertId = () => crypto.randomUUID().replaceAll("-", "");

/** Resolves the alerts' runs (once per distinct reference), then stores them in one RPC. */
export async function createAlerts(
  s: Svc,
  project: string,
  inputs: z.output<typeof CreateAlert>[],
  opts: CreateAlertsOptions = {},
): Promise<Alert[]> {
  const prefix = opts.fieldPrefix ?? ((i: number) => (inputs.length > 1 ? `alerts.${i}.` : ""));
  // Everything is checked before the first write, so a bad alert never leaves part of a batch stored.
  inputs.forEach((a, i) => {
    if (a.timestamp !== undefined && parseTimestamp(a.timestamp) === null)
      throw badRequest(`Invalid body: ${prefix(i)}timestamp: not a valid ISO-8601 instant`, [
        { path: `${prefix(i)}timestamp`, message: "not a valid ISO-8601 instant" },
      ]);
    if (a.webhook_url) assertSafeWebhookUrl(s.env, a.webhook_url, `${prefix(i)}webhook_url`);
  });
  const runs = new Map<string, { run_id: string | null; run: string | null }>();
  const resolve = async (a: z.output<typeof CreateAlert>) => {
    if (a.run_id === undefined && a.run === undefined) return { run_id: null, run: null };
    const key = `${a.run_id ?? ""}\u0000${a.run ?? ""}`;
    const hit = runs.get(key);
    if (hit) return hit;
    const row = await findRunByRef(s, project, a);
    let out: { run_id: string | null; run: string | null };
    if (row) out = { run_id: row.id, run: row.name };
    else if (opts.unknownRun === "keep") out = { run_id: a.run_id ?? null, run: a.run ?? null };
    else throw runNotFound(project, a.run_id ?? a.run!);
    runs.set(key, out);
    return out;
  };
  const resolved: AlertInput[] = [];
  for (const a of inputs) {
    resolved.push({
      alert_id: a.alert_id ?? newAlertId(),
      ...(await resolve(a)),
      title: a.title,
      text: a.text ?? null,
      level: a.level,
      step: a.step ?? null,
      timestamp: a.timestamp ?? null,
      ...(a.webhook_url ? { webhook_url: a.webhook_url } : {}),
    });
  }
  // Only now, with every run resolved: a refused alert (an unknown run) creates no project.
  await ensureProjectOnce(s, project);
  // The object reads the project's webhook targets and records each new alert's deliveries in the same write as the alert.
  return projectObject(s.env, project).createAlerts(project, resolved);
}

function sinceMicros(since: string | undefined): number | undefined {
  if (since === undefined) return undefined;
  const us = parseTimestamp(since);
  if (us === null) throw badRequest("Invalid query: since: not a valid ISO-8601 instant", [{ path: "since", message: "not a valid ISO-8601 instant" }]);
  return us;
}

/**
 * Query filters as the object applies them. A run the project knows is matched by id (a name
 * means its newest run); an unknown reference still matches alerts stored under it (Trackio
 * clients may alert before their run's first log), which for most is none: an empty list.
 */
async function storedFilters(s: Svc, project: string, q: z.output<typeof AlertFilters>): Promise<StoredFilters> {
  const f: StoredFilters = { level: q.level, min_level: q.min_level, since_us: sinceMicros(q.since) };
  if (q.run !== undefined) {
    const row = await findRunByRef(s, project, { run: q.run });
    if (row) f.run_id = row.id;
    else if (isRunId(q.run)) f.run_id = q.run;
    else f.run_name = q.run;
  }
  return f;
}

// A project without alerts has cursor 0: a client's larger cursor would skip its first alerts.
const emptyPage = (): AlertPage => ({ alerts: [], next_cursor: 0, has_more: false });

/** Newest first. An unknown project is an empty page, as Trackio answers. */
export async function queryAlerts(s: Svc, project: string, q: z.output<typeof AlertQuery>): Promise<AlertPage> {
  const since_us = sinceMicros(q.since);
  if (!(await projectExists(s, project))) return emptyPage();
  const filters: AlertQueryFilters = { ...(await storedFilters(s, project, q)), since_us, cursor: q.cursor, limit: q.limit };
  return projectObject(s.env, project).queryAlerts(filters);
}

/**
 * Trackio's `get_alerts`: every matching alert (the first `max` by cursor), newest instant first,
 * as the JSON text of its answer, built by the object; `[]` for an unknown project.
 */
export async function trackioAlertsJson(s: Svc, project: string, q: z.output<typeof AlertFilters>, max: number): Promise<string> {
  sinceMicros(q.since);
  if (!(await projectExists(s, project))) return "[]";
  return projectObject(s.env, project).trackioAlertsJson(await storedFilters(s, project, q), max);
}

/**
 * Long poll. With neither cursor nor since, only alerts stored after the wait began count. A
 * project that does not exist yet is waited on all the same: an agent may start waiting before
 * its training script creates the project.
 */
export async function waitForAlerts(s: Svc, project: string, q: z.output<typeof WaitQuery>): Promise<WaitResult> {
  const filters: AlertQueryFilters = { ...(await storedFilters(s, project, q)), cursor: q.cursor, limit: q.limit };
  return projectObject(s.env, project).waitForAlerts(filters, Math.round(q.timeout * 1000));
}

/** The empty answer for a project the key may not see, given after the same wait as a missing one. */
export async function hiddenWait(q: z.output<typeof WaitQuery>): Promise<WaitResult> {
  await new Promise((r) => setTimeout(r, q.timeout * 1000));
  return { ...emptyPage(), timed_out: true };
}

export const emptyAlertPage = emptyPage;

/**
 * Hands an authenticated upgrade to the project's object, which replays and then streams.
 * `bearerProtocol`: the client offered the `bearer, <key>` subprotocol, so the 101 must name
 * `bearer` (and only that: never echo the key).
 */
export async function subscribeAlerts(
  s: Svc,
  project: string,
  q: z.output<typeof AlertFilters>,
  bearerProtocol: boolean,
): Promise<Response> {
  const sub: SocketSubscription = { project, filters: await storedFilters(s, project, q), cursor: q.cursor ?? (q.since !== undefined ? 0 : null) };
  const res = await projectObject(s.env, project).fetch(
    new Request(`https://project-alerts/ws`, { headers: { upgrade: "websocket", [SUBSCRIPTION_HEADER]: JSON.stringify(sub) } }),
  );
  if (res.status !== 101 || !res.webSocket) return res;
  const headers = new Headers();
  if (bearerProtocol) headers.set("sec-websocket-protocol", "bearer");
  return new Response(null, { status: 101, webSocket: res.webSocket, headers });
}

/** Counts by level, kept by the object at insert; `runId` absent: the whole project. */
export async function alertCountsFor(env: Env, project: string, runId?: string): Promise<AlertCounts> {
  return projectObject(env, project).countByLevel(runId ?? null);
}

/**
 * Alert counts by level for every run of a project in one request, for the dashboard's runs
 * table (instead of one run summary per row from the browser). One call to the project's object
 * answers for all runs, whatever their number.
 */
export async function runAlertCounts(s: Svc, project: string): Promise<Record<string, AlertCounts>> {
  await requireProject(s, project);
  const [rows, byRun] = await Promise.all([listRuns(s.db, project), projectObject(s.env, project).countsByRun()]);
  const out: Record<string, AlertCounts> = {};
  for (const r of rows) out[r.id] = byRun[r.id] ?? { info: 0, warn: 0, error: 0 };
  return out;
}
