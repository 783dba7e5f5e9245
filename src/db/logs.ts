import { computeRollups, metricKinds, nonFiniteCounts, type IngestedEntry, type RollupRow } from "../metrics/rollup";
import { formatTimestamp } from "../contract/time";
import { chunkJson } from "./client";
import { runRowFromSql, type RunRow } from "./runs";

// The ingest path binds whole batches as JSON to json_each (one statement per ~1 MB chunk)
// instead of multi-row VALUES, which D1's 100-parameter limit would cut to 20 rows.
//
// ELEMENTS reads each element once: every reference to json_each's `value` renders an object or
// array element back to JSON text, which each `->>` then parses again, so the 15 columns of a
// rollup row cost 15 renders and 15 parses of it, and this was the top of local D1's CPU
// profile on ingest. Materialized as JSONB, an element is rendered and parsed once and its
// fields are read straight from the parsed form (SQLite 3.47 here has no jsonb_each).
const ELEMENTS = `WITH e AS MATERIALIZED (SELECT jsonb(value) AS value FROM json_each(?2))`;

// Ids of the batch stored before it, read ahead of a batch with missing steps (so that a retried
// entry is not given a new step), and after a write that stored only part of its entries (then the
// rows at most the max id seen before the write were there already: ids only grow, and D1 runs
// one write transaction at a time).
const SELECT_EXISTING = `SELECT log_id FROM metric_logs WHERE run_id = ?1 AND log_id IN (SELECT value FROM json_each(?2))`;
const SELECT_STORED_BEFORE = `${SELECT_EXISTING} AND id <= ?3`;

// Every write is guarded by the run's existence in its project (?1 run id, ?3 project): a batch
// sent straight to a run id, without a lookup first, writes nothing when the id is not that
// project's run, and its leading SELECT says so.
const OWNED = `EXISTS (SELECT 1 FROM runs WHERE id = ?1 AND project = ?3)`;

// Each transaction starts by reading, before UPDATE_RUN clears `stale`, the run's status as this
// batch found it, why the project's object must see the batch (src/ingest/hooks.ts), and the
// highest log row id (one seek to the table's end), which tells a partly duplicate batch's stored
// entries apart afterwards; a batch sent to a run that was not looked up reads the whole run row
// with them, in the same statement.
const RUN_AND_PROJECT = `, p.ingest_hooks AS hooks, (SELECT max(id) FROM metric_logs) AS max_log_id
  FROM runs r JOIN projects p ON p.name = r.project WHERE r.id = ?1 AND r.project = ?2`;
const SELECT_HOOKS = `SELECT r.status AS status ${RUN_AND_PROJECT}`;
const SELECT_RUN_AND_HOOKS = `SELECT r.* ${RUN_AND_PROJECT}`;

// `m` is the metrics object nested in the row's JSON, and `value -> 'm'` is SQLite's text of it:
// SQLite keeps a JSON number's and string's source text, so what is stored is byte for byte
// JSON.stringify(metrics) (full-precision doubles, "NaN" strings, escapes, nested values; a test
// holds SQLite to that), without the escaped copy a JSON string inside JSON would cost to build,
// bind and unescape. `t` is given only by an entry with its own time; the others take the
// batch's (?4), bound once.
const INSERT_LOGS = `${ELEMENTS} INSERT OR IGNORE INTO metric_logs (run_id, log_id, step, ts, metrics)
  SELECT ?1, value ->> 'i', value ->> 's', coalesce(value ->> 't', ?4), value -> 'm' FROM e WHERE ${OWNED}`;

// A name already stored is rewritten only when it turns numeric: almost every batch names the
// same metrics as the last, and an update that changes nothing still writes the row (and is billed).
const UPSERT_NAMES = `INSERT INTO metric_names (run_id, name, numeric)
  SELECT ?1, value ->> 'n', value ->> 'k' FROM json_each(?2) WHERE ${OWNED}
  ON CONFLICT (run_id, name) DO UPDATE SET numeric = excluded.numeric WHERE excluded.numeric > numeric`;

// In an UPDATE every column reference reads the old row, so the CASEs compare against the
// stored bucket. Re-applying the same batch leaves every column unchanged (idempotent). Each
// row is bound as an array (rollupTuple): a third of the JSON of keyed objects. Its four times
// come last and only when one differs from the batch's (?4): most rows are the batch's own.
const UPSERT_ROLLUPS = `${ELEMENTS} INSERT INTO metric_rollups (run_id, name, width, bucket, first_step, first, first_us,
    last_step, last, last_us, min_step, min, min_us, max_step, max, max_us)
  SELECT ?1, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, coalesce(value ->> 11, ?4),
    value ->> 5, value ->> 6, coalesce(value ->> 12, ?4), value ->> 7, value ->> 8, coalesce(value ->> 13, ?4),
    value ->> 9, value ->> 10, coalesce(value ->> 14, ?4) FROM e WHERE ${OWNED}
  ON CONFLICT (run_id, name, width, bucket) DO UPDATE SET
    first_step = CASE WHEN excluded.first_step < first_step THEN excluded.first_step ELSE first_step END,
    first = CASE WHEN excluded.first_step < first_step THEN excluded.first ELSE first END,
    first_us = CASE WHEN excluded.first_step < first_step THEN excluded.first_us ELSE first_us END,
    last_step = CASE WHEN excluded.last_step >= last_step THEN excluded.last_step ELSE last_step END,
    last = CASE WHEN excluded.last_step >= last_step THEN excluded.last ELSE last END,
    last_us = CASE WHEN excluded.last_step >= last_step THEN excluded.last_us ELSE last_us END,
    min_step = CASE WHEN excluded.min < min THEN excluded.min_step ELSE min_step END,
    min = CASE WHEN excluded.min < min THEN excluded.min ELSE min END,
    min_us = CASE WHEN excluded.min < min THEN excluded.min_us ELSE min_us END,
    max_step = CASE WHEN excluded.max > max THEN excluded.max_step ELSE max_step END,
    max = CASE WHEN excluded.max > max THEN excluded.max ELSE max END,
    max_us = CASE WHEN excluded.max > max THEN excluded.max_us ELSE max_us END`;

// Sent right after each INSERT_LOGS chunk: changes() there is that INSERT's row count (D1 runs a
// batch's statements in order on one connection), so duplicates never inflate log_count.
const UPDATE_RUN = `UPDATE runs SET
    log_count = log_count + changes(),
    last_step = CASE WHEN last_step IS NULL OR ?2 > last_step THEN ?2 ELSE last_step END,
    updated_at = ?3, last_log_at = ?3, last_log_us = ?4,
    status = CASE WHEN status IN ('stale', 'ended') THEN 'running' ELSE status END
  WHERE id = ?1 AND project = ?5`;

// Non-finite values are counted for the entries a batch actually stored, which is known only once
// it ran; so the count is a second statement, sent only by the rare batch that holds one. Counting
// inside the batch would count a retried entry twice.
const COUNT_NON_FINITE = `UPDATE metric_names SET non_finite = non_finite + (value ->> 'c')
  FROM json_each(?2) WHERE run_id = ?1 AND name = value ->> 'n'`;

/** A rollup row in UPSERT_ROLLUPS' order: its times only when one is not the batch's. */
function rollupTuple(r: RollupRow, batchUs: number): (string | number)[] {
  const tuple: (string | number)[] = [r.n, r.w, r.bucket, r.fs, r.f, r.ls, r.l, r.as, r.a, r.zs, r.z];
  if (r.fu !== batchUs || r.lu !== batchUs || r.au !== batchUs || r.zu !== batchUs) tuple.push(r.fu, r.lu, r.au, r.zu);
  return tuple;
}

export type NewLogEntry = { log_id: string; step: number | null; metrics: Record<string, unknown>; us?: number };

export type StoredEntry = IngestedEntry & { log_id: string };

/** What the write transaction saw: the run's status before the batch and the project's ingest hooks. */
export type IngestSeen = { statusBefore: RunRow["status"] | null; hooks: number };

export type AppendedRows = { stored: StoredEntry[]; duplicates: number; lastStep: number | null; seen: IngestSeen; before?: RunRow | null };

/** A batch's statements, and how to read their results (from `offset` in the D1 batch they run in). */
type LogPlan = { statements: D1PreparedStatement[]; read: (d1: D1Database, results: D1Result<Record<string, unknown>>[], offset: number) => Promise<AppendedRows> };

async function existingLogIds(d1: D1Database, runId: string, ids: string[], maxLogId?: number): Promise<Set<string>> {
  const existing = new Set<string>();
  for (const chunk of chunkJson(ids)) {
    const query = maxLogId === undefined ? d1.prepare(SELECT_EXISTING).bind(runId, chunk) : d1.prepare(SELECT_STORED_BEFORE).bind(runId, chunk, maxLogId);
    const { results } = await query.all<{ log_id: string }>();
    for (const r of results) existing.add(r.log_id);
  }
  return existing;
}

/**
 * The entries a write stored. INSERT OR IGNORE's row counts say whether it stored all or none of
 * them, as almost every write does, without a read; only a write that overlapped stored ids
 * reads which of its ids were stored before it (a second round trip, for that rare write), as
 * does one whose counts did not come back (`inserted` NaN).
 */
async function storedEntries(d1: D1Database, runId: string, candidates: StoredEntry[], inserted: number, maxLogIdBefore: number): Promise<StoredEntry[]> {
  if (inserted === candidates.length) return candidates;
  if (inserted === 0) return [];
  const before = await existingLogIds(d1, runId, candidates.map((e) => e.log_id), maxLogIdBefore);
  return candidates.filter((e) => !before.has(e.log_id));
}

async function planLogRows(d1: D1Database, run: { id: string; project: string; lastStep?: number | null }, entries: NewLogEntry[], nowUs: number): Promise<LogPlan> {
  const lookedUp = run.lastStep !== undefined;
  if (!lookedUp && entries.some((e) => e.step === null)) throw new Error("appendLogRows: entries without a step need the run's last step");
  const needsSteps = entries.some((e) => e.step === null);
  const known = needsSteps ? await existingLogIds(d1, run.id, entries.map((e) => e.log_id)) : new Set<string>();
  const candidates: StoredEntry[] = [];
  let maxStep = run.lastStep ?? -1;
  for (const e of entries) {
    if (known.has(e.log_id)) continue;
    known.add(e.log_id);
    const step = e.step ?? maxStep + 1;
    maxStep = Math.max(maxStep, step);
    candidates.push({ log_id: e.log_id, step, us: e.us ?? nowUs, metrics: e.metrics });
  }
  if (!candidates.length)
    return { statements: [], read: async () => ({ stored: [], duplicates: entries.length, lastStep: run.lastStep ?? null, seen: { statusBefore: null, hooks: 0 } }) };

  const rows = candidates.map((e) => (e.us === nowUs ? { i: e.log_id, s: e.step, m: e.metrics } : { i: e.log_id, s: e.step, t: formatTimestamp(e.us), m: e.metrics }));
  const batchTs = formatTimestamp(nowUs);
  const statements: D1PreparedStatement[] = [d1.prepare(lookedUp ? SELECT_HOOKS : SELECT_RUN_AND_HOOKS).bind(run.id, run.project)];
  const insertsAt: number[] = [];
  for (const chunk of chunkJson(rows)) {
    insertsAt.push(statements.length);
    statements.push(d1.prepare(INSERT_LOGS).bind(run.id, chunk, run.project, batchTs));
    statements.push(d1.prepare(UPDATE_RUN).bind(run.id, maxStep, batchTs, nowUs, run.project));
  }
  for (const chunk of chunkJson(metricKinds(candidates))) statements.push(d1.prepare(UPSERT_NAMES).bind(run.id, chunk, run.project));
  const tuples = computeRollups(candidates).map((r) => rollupTuple(r, nowUs));
  for (const chunk of chunkJson(tuples)) statements.push(d1.prepare(UPSERT_ROLLUPS).bind(run.id, chunk, run.project, nowUs));
  const read = async (d1: D1Database, results: D1Result<Record<string, unknown>>[], offset: number): Promise<AppendedRows> => {
    const first = results[offset].results[0];
    const seen: IngestSeen = { statusBefore: (first?.status as RunRow["status"] | undefined) ?? null, hooks: Number(first?.hooks ?? 0) };
    // No run row: the id is not this project's run (or it was deleted), and OWNED wrote nothing.
    const inserted = insertsAt.reduce((n, i) => n + (results[offset + i].meta?.changes ?? NaN), 0);
    const stored = first ? await storedEntries(d1, run.id, candidates, inserted, Number(first.max_log_id ?? 0)) : [];
    const duplicates = entries.length - stored.length;
    if (lookedUp) return { stored, duplicates, lastStep: maxStep, seen };
    const before = first ? runRowFromSql(first) : null;
    return { stored, duplicates, lastStep: before ? Math.max(before.lastStep ?? -1, maxStep) : null, seen, before };
  };
  return { statements, read };
}

/** Counts the non-finite values of the entries a write stored, for the rare write that holds any. */
async function countNonFinite(d1: D1Database, writes: { runId: string; stored: StoredEntry[] }[]): Promise<void> {
  const statements = writes.flatMap((w) => {
    const counts = nonFiniteCounts(w.stored);
    return counts.length ? [d1.prepare(COUNT_NON_FINITE).bind(w.runId, JSON.stringify(counts))] : [];
  });
  if (statements.length) await d1.batch(statements);
}

/**
 * Appends a batch to a run in one D1 transaction (all or nothing): log rows, metric names,
 * rollups and the run's counters. Entries whose log_id is stored are skipped (INSERT OR IGNORE;
 * storedEntries tells which were). Entries without a step get the run's
 * max step + 1 in order; only then are stored ids also looked up ahead of the transaction, so a
 * retried entry is not given a new step.
 * With explicit steps a retried entry folds into the rollup as a no-op (same step, same value).
 *
 * `run.lastStep` undefined means the run was not looked up: every entry must carry its step, the
 * transaction starts by reading the run, and `before` is that row, or null when the id is not a
 * run of the project (then nothing was written). One D1 round trip instead of two.
 */
export async function appendLogRows(d1: D1Database, run: { id: string; project: string; lastStep?: number | null }, entries: NewLogEntry[], nowUs: number): Promise<AppendedRows> {
  const plan = await planLogRows(d1, run, entries, nowUs);
  const out = await plan.read(d1, plan.statements.length ? await d1.batch<Record<string, unknown>>(plan.statements) : [], 0);
  await countNonFinite(d1, [{ runId: run.id, stored: out.stored }]);
  return out;
}

/**
 * Appends batches to several runs, and runs `first` (creating those runs, say), in one D1
 * transaction: a request that writes to many runs is stored whole or not at all. Each run's
 * entries are planned as by appendLogRows, with its last step known.
 */
export async function appendLogRowsToRuns(
  d1: D1Database,
  first: D1PreparedStatement[],
  writes: { run: { id: string; project: string; lastStep: number | null }; entries: NewLogEntry[] }[],
  nowUs: number,
): Promise<AppendedRows[]> {
  const plans: LogPlan[] = [];
  for (const w of writes) plans.push(await planLogRows(d1, w.run, w.entries, nowUs));
  const statements = [...first, ...plans.flatMap((p) => p.statements)];
  const results = statements.length ? await d1.batch<Record<string, unknown>>(statements) : [];
  let offset = first.length;
  const out: AppendedRows[] = [];
  for (const p of plans) {
    out.push(await p.read(d1, results, offset));
    offset += p.statements.length;
  }
  await countNonFinite(d1, out.map((o, i) => ({ runId: writes[i].run.id, stored: o.stored })));
  return out;
}
