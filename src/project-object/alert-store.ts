import { LEVEL_RANK, formatTimestamp, parseTimestamp, type Alert, type AlertCounts, type AlertPage, type AlertLevel } from "../contract";
import type { WebhookOutbox } from "./outbox";
import type { AlertInput, AlertQueryFilters, StoredFilters } from "./types";

/**
 * The alerts' tables in the object's SQLite, and the only module with SQL for them (the rules'
 * tables are in rule-store.ts, the webhook outbox's in outbox.ts). `seq` is the cursor. It is assigned
 * from `last_seq` in `alert_meta` rather than by SQLite's rowid, so a cursor is never reused even
 * after the newest alerts are deleted with their run (a reused number would hide an alert from a
 * client polling with that cursor). Timestamps are kept twice: `ts_us` (integer epoch
 * microseconds) for exact instant comparisons, `timestamp` as Trackio emits it.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS alerts (
  seq INTEGER PRIMARY KEY,
  alert_id TEXT NOT NULL UNIQUE,
  run_id TEXT,
  run_name TEXT,
  title TEXT NOT NULL,
  text TEXT,
  level_rank INTEGER NOT NULL,
  step INTEGER,
  ts_us INTEGER NOT NULL,
  timestamp TEXT NOT NULL,
  rule_id TEXT
);
CREATE INDEX IF NOT EXISTS alerts_run ON alerts(run_id, seq);
CREATE INDEX IF NOT EXISTS alerts_run_name ON alerts(run_name, seq);
CREATE INDEX IF NOT EXISTS alerts_level ON alerts(level_rank, seq);
CREATE INDEX IF NOT EXISTS alerts_ts ON alerts(ts_us);
CREATE TABLE IF NOT EXISTS alert_counts (
  run_key TEXT NOT NULL,
  level_rank INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (run_key, level_rank)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS alert_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
`;

const LEVELS: AlertLevel[] = ["info", "warn", "error"];

type AlertRow = {
  seq: number;
  alert_id: string;
  run_id: string | null;
  run_name: string | null;
  title: string;
  text: string | null;
  level_rank: number;
  step: number | null;
  ts_us: number;
  timestamp: string;
  rule_id: string | null;
};

/** An alert with its instant as integer microseconds, for in-memory matching. */
export type StoredAlert = { alert: Alert; us: number };


/** Trackio's alert fields, as one JSON object per row; `level_rank` back to its name (LEVEL_RANK). */
const TRACKIO_ALERT_JSON = `json_object('timestamp', timestamp, 'run', run_name, 'title', title, 'text', text,
  'level', CASE level_rank WHEN 0 THEN 'info' WHEN 1 THEN 'warn' ELSE 'error' END, 'step', step)`;

/** The largest answer kept for a repeated Trackio read (characters of JSON). */
const TRACKIO_ANSWER_CACHE_CHARS = 8_000_000;

export class AlertStore {
  private lastSeq: number;
  private project: string;
  /** Bumped by every change to the alerts' rows: a remembered answer is valid while it stays. */
  private version = 0;
  private trackioAnswer: { key: string; version: number; json: string } | null = null;

  constructor(private readonly ctx: DurableObjectState) {
    const sql = ctx.storage.sql;
    sql.exec(SCHEMA);
    this.lastSeq = Number(this.meta("last_seq") ?? 0);
    this.project = this.meta("project") ?? "";
  }

  private get sql() {
    return this.ctx.storage.sql;
  }

  private meta(key: string): string | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM alert_meta WHERE key = ?", key).toArray()[0];
    return row ? row.value : null;
  }

  private setMeta(key: string, value: string) {
    this.sql.exec("INSERT INTO alert_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
  }

  /** The highest cursor ever assigned in this project (0 before the first alert). */
  get cursor(): number {
    return this.lastSeq;
  }

  private toAlert(r: AlertRow): Alert {
    return {
      cursor: r.seq,
      alert_id: r.alert_id,
      project: this.project,
      run: r.run_name,
      run_id: r.run_id,
      title: r.title,
      text: r.text,
      level: LEVELS[r.level_rank],
      step: r.step,
      timestamp: r.timestamp,
      rule_id: r.rule_id,
    };
  }

  /**
   * Stores alerts in one transaction, idempotent by `alert_id`: a duplicate (earlier, or twice in
   * this batch) yields the stored alert. Returns every input's alert in input order, and those
   * newly stored. `nowUs` stamps inputs without a timestamp. Each new alert's webhook deliveries
   * are recorded in the same transaction (`webhooks`, absent when no webhook can match), so an
   * alert is never stored without its deliveries, or the reverse; that recording must stay
   * synchronous (no await inside a sync transaction).
   */
  insert(project: string, inputs: AlertInput[], nowUs: number, webhooks?: WebhookOutbox): { all: Alert[]; created: StoredAlert[] } {
    return this.ctx.storage.transactionSync(() => {
      if (this.project !== project) {
        this.project = project;
        this.setMeta("project", project);
      }
      const all: Alert[] = [];
      const created: StoredAlert[] = [];
      let seq = this.lastSeq;
      for (const input of inputs) {
        const existing = this.sql.exec<AlertRow>("SELECT * FROM alerts WHERE alert_id = ?", input.alert_id).toArray()[0];
        if (existing) {
          all.push(this.toAlert(existing));
          continue;
        }
        const us = input.timestamp === null ? nowUs : parseTimestamp(input.timestamp);
        if (us === null) throw new RangeError(`timestamp '${input.timestamp}' is not an ISO-8601 instant`);
        const row: AlertRow = {
          seq: ++seq,
          alert_id: input.alert_id,
          run_id: input.run_id,
          run_name: input.run,
          title: input.title,
          text: input.text,
          level_rank: LEVEL_RANK[input.level],
          step: input.step,
          ts_us: us,
          timestamp: formatTimestamp(us),
          rule_id: input.rule_id ?? null,
        };
        this.sql.exec(
          `INSERT INTO alerts (seq, alert_id, run_id, run_name, title, text, level_rank, step, ts_us, timestamp, rule_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          row.seq, row.alert_id, row.run_id, row.run_name, row.title, row.text, row.level_rank, row.step, row.ts_us, row.timestamp, row.rule_id,
        );
        this.sql.exec(
          `INSERT INTO alert_counts (run_key, level_rank, n) VALUES (?, ?, 1)
           ON CONFLICT(run_key, level_rank) DO UPDATE SET n = n + 1`,
          row.run_id ?? "", row.level_rank,
        );
        const alert = this.toAlert(row);
        all.push(alert);
        created.push({ alert, us });
        webhooks?.record({ ...alert, webhook_url: input.webhook_url ?? null });
      }
      if (seq !== this.lastSeq) {
        this.setMeta("last_seq", String(seq));
        this.version++;
      }
      this.lastSeq = seq;
      return { all, created };
    });
  }

  private where(f: StoredFilters, cursor: number | undefined) {
    const clauses: string[] = [];
    const args: (string | number)[] = [];
    if (f.run_id !== undefined) clauses.push("run_id = ?"), args.push(f.run_id);
    if (f.run_name !== undefined) clauses.push("run_name = ?"), args.push(f.run_name);
    if (f.level !== undefined) clauses.push("level_rank = ?"), args.push(LEVEL_RANK[f.level]);
    if (f.min_level !== undefined) clauses.push("level_rank >= ?"), args.push(LEVEL_RANK[f.min_level]);
    if (f.since_us !== undefined) clauses.push("ts_us > ?"), args.push(f.since_us);
    if (cursor !== undefined) clauses.push("seq > ?"), args.push(cursor);
    return { sql: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", args };
  }

  /**
   * Matching alerts after `cursor`, oldest first: the next `limit` a poller or a replaying
   * socket has not seen. A range on the primary key, so its cost follows the alerts returned,
   * not the history.
   */
  after(f: StoredFilters, cursor: number, limit: number): AlertRow[] {
    const w = this.where(f, cursor);
    return this.read(this.sql.exec<AlertRow>(`SELECT * FROM alerts ${w.sql} ORDER BY seq ASC LIMIT ?`, ...w.args, limit));
  }

  /**
   * Rows SQLite read for the last query: what it cost, independent of the machine's load. Tests
   * check it to prove a `since` or cursor query reads the new alerts, not the history.
   */
  lastRowsRead = 0;

  private read(cursor: SqlStorageCursor<AlertRow>): AlertRow[] {
    const rows = cursor.toArray();
    this.lastRowsRead = cursor.rowsRead;
    return rows;
  }

  /**
   * With a cursor: the oldest `limit` matching alerts after it (so that paging forward from
   * `next_cursor` misses nothing), returned newest first. Without: the newest `limit`.
   * `next_cursor` is the highest cursor this answer covers: the project's newest unless the
   * page was cut short. A cursor beyond the newest (from another history, or made up) counts
   * as the newest: answered with it, a poller would otherwise wait past every future alert.
   */
  query(f: AlertQueryFilters): AlertPage {
    if (f.cursor !== undefined) {
      const rows = this.after(f, Math.min(f.cursor, this.lastSeq), f.limit + 1);
      const has_more = rows.length > f.limit;
      const page = rows.slice(0, f.limit);
      const next_cursor = has_more ? page[page.length - 1].seq : this.lastSeq;
      return { alerts: page.reverse().map((r) => this.toAlert(r)), next_cursor, has_more };
    }
    const w = this.where(f, undefined);
    // `since` alone: walk the timestamp index over the new alerts only. Left to itself the planner
    // may walk the primary key backwards to skip the sort, which reads the whole history when
    // fewer than `limit` alerts match.
    const hint = f.since_us !== undefined ? "INDEXED BY alerts_ts" : "";
    const rows = this.read(this.sql.exec<AlertRow>(`SELECT * FROM alerts ${hint} ${w.sql} ORDER BY seq DESC LIMIT ?`, ...w.args, f.limit + 1));
    const has_more = rows.length > f.limit;
    return { alerts: rows.slice(0, f.limit).map((r) => this.toAlert(r)), next_cursor: this.lastSeq, has_more };
  }

  rowToAlert(r: AlertRow): Alert {
    return this.toAlert(r);
  }

  /** Counts kept at insert time, so a summary never scans the history. `null`: the whole project. */
  counts(runId: string | null): AlertCounts {
    const rows =
      runId === null
        ? this.sql.exec<{ level_rank: number; n: number }>("SELECT level_rank, SUM(n) AS n FROM alert_counts GROUP BY level_rank").toArray()
        : this.sql.exec<{ level_rank: number; n: number }>("SELECT level_rank, n FROM alert_counts WHERE run_key = ?", runId).toArray();
    const out: AlertCounts = { info: 0, warn: 0, error: 0 };
    for (const r of rows) out[LEVELS[r.level_rank]] = Number(r.n);
    return out;
  }

  /**
   * Every run's counts by level in one query, from the counts kept at insert time. The GROUP BY
   * follows alert_counts' primary key (run_key, level_rank), so SQLite walks that index without a
   * sort and reads one row per run and level, however many alerts there are. Alerts without a run
   * (run_key '') are left out.
   */
  countsByRun(): Record<string, AlertCounts> {
    const cursor = this.sql.exec<{ run_key: string; level_rank: number; n: number }>(
      "SELECT run_key, level_rank, SUM(n) AS n FROM alert_counts WHERE run_key > '' GROUP BY run_key, level_rank",
    );
    const out: Record<string, AlertCounts> = {};
    for (const r of cursor) (out[r.run_key] ??= { info: 0, warn: 0, error: 0 })[LEVELS[r.level_rank]] = Number(r.n);
    this.lastRowsRead = cursor.rowsRead;
    return out;
  }

  /**
   * Trackio's `get_alerts` answer as JSON text: the first `max` matching alerts by cursor, newest
   * instant first (ties: the later cursor), each `{timestamp, run, title, text, level, step}`.
   * SQLite builds the text, so no row becomes a JS object and the RPC copies one string; the
   * answer is remembered until the alerts change, for clients that ask again and again.
   */
  trackioJson(f: StoredFilters, max: number): string {
    const key = JSON.stringify([f.run_id, f.run_name, f.level, f.min_level, f.since_us, max]);
    const hit = this.trackioAnswer;
    if (hit && hit.key === key && hit.version === this.version) return hit.json;
    const w = this.where(f, undefined);
    const cursor = this.sql.exec<{ json: string }>(
      `SELECT coalesce(json_group_array(${TRACKIO_ALERT_JSON} ORDER BY ts_us DESC, seq DESC), '[]') AS json
       FROM (SELECT * FROM alerts ${w.sql} ORDER BY seq ASC LIMIT ?)`,
      ...w.args, max,
    );
    const json = cursor.one().json;
    this.lastRowsRead = cursor.rowsRead;
    this.trackioAnswer = json.length <= TRACKIO_ANSWER_CACHE_CHARS ? { key, version: this.version, json } : null;
    return json;
  }

  deleteRun(runId: string): number {
    this.version++;
    return this.ctx.storage.transactionSync(() => {
      const n = Number(this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM alerts WHERE run_id = ?", runId).one().n);
      this.sql.exec("DELETE FROM alerts WHERE run_id = ?", runId);
      this.sql.exec("DELETE FROM alert_counts WHERE run_key = ?", runId);
      return n;
    });
  }

  /** Alerts keep the run's name as it was; a rename updates them so queries by the new name match. */
  renameRun(runId: string, name: string): number {
    this.version++;
    return this.sql.exec("UPDATE alerts SET run_name = ? WHERE run_id = ?", name, runId).rowsWritten;
  }
}
