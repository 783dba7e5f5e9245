import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import * as schema from "./schema";

// Two kinds of query function live in src/db/, told apart by their first parameter. Those taking a
// `Db` use drizzle over the tables of schema.ts: typed rows, camelCase fields, for the many small
// reads and writes (projects, runs, keys, webhooks). Those taking a `D1Database` are raw prepared
// statements, for what drizzle cannot say or would make slower: the ingest path and the metric and
// row reads (JSON bound to `json_each(?)`, `INSERT OR IGNORE … RETURNING`, `changes()`, rollup
// upserts, several statements in one D1 batch as a transaction). Both are SQL only here.

export type Db = DrizzleD1Database<typeof schema>;

// drizzle() builds its relational config from the whole schema on every call (~0.1 ms), so each
// binding's instance is made once (a binding object lives as long as its isolate).
const dbs = new WeakMap<D1Database, Db>();
export const getDb = (d1: D1Database): Db => {
  let db = dbs.get(d1);
  if (!db) dbs.set(d1, (db = drizzle(d1, { schema })));
  return db;
};

/**
 * D1 allows 100 bound parameters per statement, so multi-row statements bind their rows as one
 * JSON string to `json_each(?)`; and it refuses bound strings over about 2 MB (SQLITE_TOOBIG
 * locally at 2.2 MB), so bulk JSON is split into chunks of at most this many characters.
 */
export const MAX_BOUND_JSON_CHARS = 1_000_000;

/** Splits rows into JSON arrays each under MAX_BOUND_JSON_CHARS. */
export function chunkJson(rows: unknown[]): string[] {
  // Almost every batch fits one chunk, and one stringify of the whole array is a fifth cheaper
  // than a stringify per row and a join; a batch over the bound pays that stringify once more.
  const whole = JSON.stringify(rows);
  if (whole.length <= MAX_BOUND_JSON_CHARS) return rows.length ? [whole] : [];
  const chunks: string[] = [];
  let parts: string[] = [];
  let size = 2;
  for (const row of rows) {
    const s = JSON.stringify(row);
    if (parts.length && size + s.length + 1 > MAX_BOUND_JSON_CHARS) {
      chunks.push(`[${parts.join(",")}]`);
      parts = [];
      size = 2;
    }
    parts.push(s);
    size += s.length + 1;
  }
  if (parts.length) chunks.push(`[${parts.join(",")}]`);
  return chunks;
}
