import { beforeAll, describe, it } from "vitest";
import { parseTimestamp } from "../../src/contract";
import { READ_KEY_REQUIRED } from "../../src/trackio/errors";
import { derivedRunId } from "../../src/trackio/identity";
import { api, createKey } from "../helpers/api";
import { HTTP_RECORDS, send, type HttpRecord, type TrackioResponse } from "../helpers/trackio";

// Replays every HTTP exchange recorded between the real trackio 0.36 client/CLI and the real
// server (test/fixtures/trackio-wire) against the Worker, in capture order, and compares each
// answer with the recorded one: status, shape, types and every value that does not vary between
// runs. Server-made timestamps (those that appear in no request) are compared by format, by
// order where the answer is sorted, and for consistency: one recorded value always maps to one
// of ours (a run's created_at is its first batch's metric timestamp, a batch shares one time).
//
// Where Trackflare differs on purpose (README, "Trackio compatibility"), the test asserts our
// documented behaviour instead; each such record is listed below. The built-in detectors (a NaN
// raises a "Non-finite metric" alert; trackio-writes.test.ts) are turned off for the recorded
// projects before their first write, so that get_alerts holds only what the clients sent.

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/;
const WRONG = "tf_not-a-key-not-a-key-not-a-key-not-a-key";

/** Timestamps the clients sent: every other timestamp in an answer was made by the server. */
const clientTimestamps = new Set<string>();
const collect = (v: unknown) => {
  if (typeof v === "string" && TS.test(v)) clientTimestamps.add(v);
  else if (Array.isArray(v)) v.forEach(collect);
  else if (v && typeof v === "object") Object.values(v).forEach(collect);
};
for (const r of HTTP_RECORDS) collect(r.request.body);

const isRead = (r: HttpRecord) => /^\/api\/get_/.test(r.request.path);
const recordedToken = (r: HttpRecord) =>
  r.request.headers["x-trackio-write-token"] ?? r.request.query.write_token ?? /trackio_write_token=([^;]+)/.exec(r.request.headers.cookie ?? "")?.[1] ?? null;

// --- Deliberate differences -------------------------------------------------------------

/** Every `GET /version`: our MCP server is at /mcp (the recording's server ran without MCP). */
const VERSION = { version: "0.36.0", api_version: 1, api_transport: "http", mcp_enabled: true, mcp_path: "/mcp" };

/**
 * Reads without a key, or with a wrong one, are answered 401 (Trackio's reads are open): each is
 * sent first as recorded and must get that 401, then again with a read key, as the CLI sends it
 * with `--space 'https://host/?write_token=<key>'`, and that answer is compared. (A call Trackio
 * refuses before its handler runs, such as a missing parameter, is refused first here too.)
 */
const READ_WITHOUT_KEY = (r: HttpRecord) => r.request.method === "POST" && isRead(r) && r.response.status === 200 && recordedToken(r) !== "<token>";

const STEP_15 = "2026-11-28T17:25:39.497675+00:00";
const STEPS_16_17 = "2026-11-28T17:25:40.544028+00:00";
const point = (timestamp: string, step: number, value: number) => ({ timestamp, step, value });
const NAN_ALERT = { timestamp: "2026-11-28T17:25:45.807105+00:00", run: "run-lr0.001-bs64", title: "NaN in val_loss", text: "val_loss became NaN at step 19", level: "error", step: 24 };
const CHECKPOINT_ALERT = { timestamp: "2026-11-28T17:25:46.610401+00:00", run: "run-lr0.001-bs64", title: "Checkpoint saved", text: null, level: "warn", step: 24 };
const RESUMED_ALERT = { timestamp: "2026-11-28T17:25:50.001675+00:00", run: "run-lr0.001-bs64", title: "Resumed run finished", text: null, level: "info", step: 27 };
/** A server time: compared by format only (it appears in no request). */
const SERVER_TIME = "1970-01-01T00:00:00.000001+00:00";
const RAW_PROBE_ID = "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr";

/** Records whose recorded answer is replaced by ours, and why. */
const DIFFERENT: Record<number, { why: string; expect: (recorded: any) => Promise<unknown> | unknown }> = {
  // The CLI sends get_alerts as [project, run, level, since]; read in that order, --level and --since work.
  131: { why: "`list alerts --level error` returns the error alert", expect: () => ({ data: [NAN_ALERT] }) },
  134: { why: "`list alerts --since <ts>` returns the alerts after it", expect: () => ({ data: [RESUMED_ALERT, CHECKPOINT_ALERT] }) },
  // The CLI sends get_snapshot as [project, run, step, around, at_time, window].
  109: {
    why: "`get snapshot --step 15` returns step 15",
    expect: () => ({
      data: {
        train_loss: [point(STEP_15, 15, 0.742747)],
        val_loss: [point(STEP_15, 15, 0.972911)],
        val_accuracy: [point(STEP_15, 15, 0.45)],
        learning_rate: [point(STEP_15, 15, 0.000598737)],
      },
    }),
  },
  112: {
    why: "`get snapshot --around 16 --window 1` returns steps 15..17",
    expect: () => ({
      data: {
        train_loss: [point(STEP_15, 15, 0.742747), point(STEPS_16_17, 16, 0.664411), point(STEPS_16_17, 17, 0.594934)],
        val_loss: [point(STEP_15, 15, 0.972911), point(STEPS_16_17, 16, 0.888891), point(STEPS_16_17, 17, 0.812866)],
        val_accuracy: [point(STEP_15, 15, 0.45), point(STEPS_16_17, 16, 0.485), point(STEPS_16_17, 17, 0.52)],
        learning_rate: [point(STEP_15, 15, 0.000598737), point(STEPS_16_17, 16, 0.0005688), point(STEPS_16_17, 17, 0.00054036)],
      },
    }),
  },
  // An alert sent without a timestamp is stored with the server's time (Trackio drops it silently).
  298: {
    why: "the minimal alert of seq 297 was stored",
    expect: () => ({ data: [{ timestamp: SERVER_TIME, run: "raw-probe", title: "minimal", text: null, level: "warn", step: null }] }),
  },
  // A run_id that is not 32 hex digits maps to an id derived from (project, run_id).
  303: { why: "raw-probe's id is derived", expect: (rec) => withRawProbeId(rec) },
  304: { why: "raw-probe's id is derived", expect: (rec) => withRawProbeId(rec) },
  1133: { why: "raw-probe's id is derived", expect: (rec) => withRawProbeId(rec) },
};

async function withRawProbeId(recorded: { data: { id: string }[] }) {
  const id = await derivedRunId("variants-demo", RAW_PROBE_ID);
  return { data: recorded.data.map((r) => (r.id === RAW_PROBE_ID ? { ...r, id } : r)) };
}

// --- Comparison -------------------------------------------------------------------------

/** Recorded server time → ours: one recorded value must always map to the same value of ours. */
const serverTimes = new Map<string, string>();

function compare(expect: any, ours: unknown, recorded: unknown, path: string) {
  if (typeof recorded === "string" && TS.test(recorded) && !clientTimestamps.has(recorded)) {
    expect(ours, `${path}: a server timestamp`).toMatch(TS);
    const mapped = serverTimes.get(recorded);
    if (mapped === undefined) serverTimes.set(recorded, ours as string);
    else expect(ours, `${path}: the same server time as before`).toBe(mapped);
    return;
  }
  if (Array.isArray(recorded)) {
    expect(Array.isArray(ours), `${path}: a list`).toBe(true);
    const list = ours as unknown[];
    expect(list.length, `${path}: length`).toBe(recorded.length);
    recorded.forEach((r, i) => compare(expect, list[i], r, `${path}[${i}]`));
    checkOrder(expect, list, recorded, path);
    return;
  }
  if (recorded && typeof recorded === "object") {
    expect(ours && typeof ours === "object" && !Array.isArray(ours), `${path}: an object`).toBe(true);
    const obj = ours as Record<string, unknown>;
    expect(Object.keys(obj).sort(), `${path}: keys`).toEqual(Object.keys(recorded).sort());
    for (const [k, v] of Object.entries(recorded)) compare(expect, obj[k], v, `${path}.${k}`);
    return;
  }
  expect(ours, path).toStrictEqual(recorded);
}

/** A list the recording shows sorted by a server-made time must be sorted the same way here. */
function checkOrder(expect: any, ours: unknown[], recorded: unknown[], path: string) {
  for (const key of ["created_at", "timestamp"]) {
    const rec = recorded.map((r) => (r && typeof r === "object" ? (r as Record<string, unknown>)[key] : undefined));
    if (rec.length < 2 || !rec.every((t) => typeof t === "string" && !clientTimestamps.has(t))) continue;
    const us = (xs: unknown[]) => xs.map((t) => parseTimestamp(t as string) ?? 0);
    const ascending = (xs: number[]) => xs.every((x, i) => i === 0 || xs[i - 1] <= x);
    if (ascending(us(rec))) expect(ascending(us(ours.map((o) => (o as Record<string, unknown>)[key]))), `${path}: sorted by ${key}`).toBe(true);
  }
}

function compareResponse(expect: any, res: TrackioResponse, status: number, body: unknown, bodyText: string | undefined, label: string) {
  expect(res.status, `${label}: status (${res.text.slice(0, 300)})`).toBe(status);
  if (bodyText !== undefined) expect(res.text, `${label}: body`).toBe(bodyText);
  else compare(expect, res.json, body, label);
}

describe("Trackio wire replay: every recorded exchange, in capture order", () => {
  const keys = { write: "", read: "" };
  beforeAll(async () => {
    keys.write = await createKey("write");
    keys.read = await createKey("read");
  });

  function request(r: HttpRecord, token: string | null | "as-recorded") {
    const swap = (v: string) => v.replaceAll("<wrong-token>", WRONG).replaceAll("<token>", keys.write);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.request.headers)) headers[k] = swap(v);
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.request.query ?? {})) query[k] = swap(v);
    if (token !== "as-recorded") {
      delete headers.cookie;
      delete query.write_token;
      if (token === null) delete headers["x-trackio-write-token"];
      else headers["x-trackio-write-token"] = token;
    }
    return send(r.request.method, r.request.path, { headers, query, body: r.request.body, raw: r.request.body_text });
  }

  const quiet = new Set<string>();
  /** Turns the project's built-in detectors off before the first write to it. */
  async function withoutDetectors(r: HttpRecord) {
    const kw = (r.request.body as { kwargs?: Record<string, unknown> } | undefined)?.kwargs;
    const entries = (kw?.logs ?? kw?.alerts ?? []) as { project?: unknown }[];
    for (const e of entries) {
      const p = typeof e.project === "string" ? e.project.replace(/[^A-Za-z0-9_-]/g, "") : "";
      if (!p || quiet.has(p)) continue;
      quiet.add(p);
      const res = await api("PATCH", `/v1/projects/${p}/settings`, { body: { detectors: { non_finite: false, stale: false } } });
      if (res.status !== 200) throw new Error(`settings for ${p}: ${res.status} ${res.text}`);
    }
  }

  for (const r of HTTP_RECORDS) {
    const name = `seq ${r.seq} ${r.request.method} ${r.request.path} (${r.group}/${r.scenario})`;
    it(name, async ({ expect }) => {
      const label = `seq ${r.seq}`;
      if (r.request.path === "/version") {
        const res = await request(r, "as-recorded");
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toMatch(/^application\/json/);
        expect(res.json).toEqual(VERSION);
        return;
      }
      if (READ_WITHOUT_KEY(r)) {
        const denied = await request(r, "as-recorded");
        expect(denied.status, `${label}: a read without a valid key`).toBe(401);
        expect(denied.json).toEqual({ error: READ_KEY_REQUIRED });
      }
      if (r.response.status === 200 && /^\/api\/bulk_/.test(r.request.path)) await withoutDetectors(r);
      const res = await request(r, READ_WITHOUT_KEY(r) ? keys.read : "as-recorded");
      if (r.response.headers["content-type"]) expect(res.headers.get("content-type")).toMatch(new RegExp(`^${r.response.headers["content-type"].split(";")[0]}`));
      const diff = DIFFERENT[r.seq];
      if (diff) {
        compareResponse(expect, res, r.response.status, await diff.expect(r.response.body), undefined, `${label} (${diff.why})`);
        return;
      }
      compareResponse(expect, res, r.response.status, r.response.body, r.response.body_text, label);
    });
  }
});
