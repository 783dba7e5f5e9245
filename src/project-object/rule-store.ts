import { Rule, ProjectSettings } from "../contract";
import type { RuleState } from "../rules/conditions";
import { stateKey } from "../rules/engine";

/**
 * The rules' tables in the project's Durable Object SQLite, and the only module with SQL for
 * them (the alerts' own tables are in alert-store.ts). Rules and per-run rule state live
 * here, next to the alerts they raise, so evaluating a batch costs one RPC and local reads; see
 * docs/architecture.md, "Rules".
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS rules (
  id TEXT PRIMARY KEY,
  def TEXT NOT NULL,
  created_us INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rule_state (
  run_id TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  metric TEXT NOT NULL,
  active INTEGER NOT NULL,
  last REAL,
  best REAL,
  best_step INTEGER,
  PRIMARY KEY (run_id, rule_id, metric)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS run_watch (
  run_id TEXT PRIMARY KEY,
  run_name TEXT NOT NULL,
  last_us INTEGER NOT NULL,
  last_step INTEGER,
  due_us INTEGER,
  stale_since_us INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS run_watch_due ON run_watch(due_us) WHERE due_us IS NOT NULL;
CREATE TABLE IF NOT EXISTS rule_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
`;

type StateRow = { rule_id: string; metric: string; active: number; last: number | null; best: number | null; best_step: number | null };

/**
 * A run the stale detector watches: when it last logged (the object's clock), its last step,
 * when it is due to be checked (null: not scheduled) and since when it is stale (null: it is not).
 */
export type RunWatch = { run_id: string; run_name: string; last_us: number; last_step: number | null; due_us: number | null; stale_since_us: number | null };

export class RuleStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  meta(key: string): string | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM rule_meta WHERE key = ?", key).toArray()[0];
    return row ? row.value : null;
  }

  setMeta(key: string, value: string) {
    this.sql.exec("INSERT INTO rule_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
  }

  settings(): ProjectSettings | null {
    const raw = this.meta("settings");
    const parsed = raw === null ? null : ProjectSettings.safeParse(JSON.parse(raw));
    return parsed?.success ? parsed.data : null;
  }

  setSettings(s: ProjectSettings) {
    this.setMeta("settings", JSON.stringify(s));
  }

  /** Every rule that still parses: one unreadable row must not stop the project's other rules. */
  rules(): Rule[] {
    const out: Rule[] = [];
    for (const r of this.sql.exec<{ id: string; def: string }>("SELECT id, def FROM rules ORDER BY created_us, id")) {
      const parsed = Rule.safeParse(JSON.parse(r.def));
      if (parsed.success) out.push(parsed.data);
      else console.error("skipping unreadable rule", r.id);
    }
    return out;
  }

  rule(id: string): Rule | null {
    const row = this.sql.exec<{ def: string }>("SELECT def FROM rules WHERE id = ?", id).toArray()[0];
    const parsed = row ? Rule.safeParse(JSON.parse(row.def)) : null;
    return parsed?.success ? parsed.data : null;
  }

  count(): number {
    return Number(this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM rules").one().n);
  }

  insertRule(rule: Rule, createdUs: number) {
    this.sql.exec("INSERT INTO rules (id, def, created_us) VALUES (?, ?, ?)", rule.id, JSON.stringify(rule), createdUs);
  }

  /** Removes a rule and what it remembered about every run. */
  deleteRule(id: string): boolean {
    const n = this.sql.exec("DELETE FROM rules WHERE id = ?", id).rowsWritten;
    this.sql.exec("DELETE FROM rule_state WHERE rule_id = ?", id);
    return n > 0;
  }

  states(runId: string): Map<string, RuleState> {
    const out = new Map<string, RuleState>();
    for (const r of this.sql.exec<StateRow>("SELECT rule_id, metric, active, last, best, best_step FROM rule_state WHERE run_id = ?", runId)) {
      out.set(stateKey(r.rule_id, r.metric), { active: r.active === 1, last: r.last, best: r.best, bestStep: r.best_step });
    }
    return out;
  }

  /** Writes the changed states; a state back to its fresh form is deleted, so idle metrics cost no rows. */
  saveStates(runId: string, states: Map<string, RuleState>, dirty: Set<string>) {
    for (const key of dirty) {
      const s = states.get(key)!;
      const [ruleId, metric] = key.split("\u0000");
      if (!s.active && s.last === null && s.best === null) {
        this.sql.exec("DELETE FROM rule_state WHERE run_id = ? AND rule_id = ? AND metric = ?", runId, ruleId, metric);
        continue;
      }
      this.sql.exec(
        `INSERT INTO rule_state (run_id, rule_id, metric, active, last, best, best_step) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(run_id, rule_id, metric) DO UPDATE SET active = excluded.active, last = excluded.last, best = excluded.best, best_step = excluded.best_step`,
        runId, ruleId, metric, s.active ? 1 : 0, s.last, s.best, s.bestStep,
      );
    }
  }

  watch(runId: string): RunWatch | null {
    return this.sql.exec<RunWatch>("SELECT * FROM run_watch WHERE run_id = ?", runId).toArray()[0] ?? null;
  }

  putWatch(w: RunWatch) {
    this.sql.exec(
      `INSERT INTO run_watch (run_id, run_name, last_us, last_step, due_us, stale_since_us) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(run_id) DO UPDATE SET run_name = excluded.run_name, last_us = excluded.last_us, last_step = excluded.last_step,
         due_us = excluded.due_us, stale_since_us = excluded.stale_since_us`,
      w.run_id, w.run_name, w.last_us, w.last_step, w.due_us, w.stale_since_us,
    );
  }

  dueWatches(nowUs: number, limit: number): RunWatch[] {
    return this.sql.exec<RunWatch>("SELECT * FROM run_watch WHERE due_us IS NOT NULL AND due_us <= ? ORDER BY due_us LIMIT ?", nowUs, limit).toArray();
  }

  /** The earliest check due, in epoch microseconds, or null. */
  nextDue(): number | null {
    const row = this.sql.exec<{ due: number | null }>("SELECT min(due_us) AS due FROM run_watch WHERE due_us IS NOT NULL").one();
    return row.due ?? null;
  }

  setDue(runId: string, dueUs: number | null) {
    this.sql.exec("UPDATE run_watch SET due_us = ? WHERE run_id = ?", dueUs, runId);
  }

  markStale(runId: string, sinceUs: number) {
    this.sql.exec("UPDATE run_watch SET due_us = NULL, stale_since_us = ? WHERE run_id = ?", sinceUs, runId);
  }

  /** After a settings change: every live watch due `staleAfterUs` after its last entry, or none when off. */
  rescheduleAll(staleAfterUs: number | null) {
    if (staleAfterUs === null) this.sql.exec("UPDATE run_watch SET due_us = NULL");
    else this.sql.exec("UPDATE run_watch SET due_us = last_us + ? WHERE stale_since_us IS NULL", staleAfterUs);
  }

  renameRun(runId: string, name: string) {
    this.sql.exec("UPDATE run_watch SET run_name = ? WHERE run_id = ?", name, runId);
  }

  forgetWatch(runId: string) {
    this.sql.exec("DELETE FROM run_watch WHERE run_id = ?", runId);
  }

  forgetRun(runId: string) {
    this.sql.exec("DELETE FROM run_watch WHERE run_id = ?", runId);
    this.sql.exec("DELETE FROM rule_state WHERE run_id = ?", runId);
  }
}
