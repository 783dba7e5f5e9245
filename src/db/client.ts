import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = DrizzleD1Database<typeof schema>;

export const getDb = (d1: D1Database): Db => drizzle(d1, { schema });

/** D1 allows 100 bound parameters per statement; multi-row statements bind JSON to json_each instead. */
export const D1_MAX_PARAMS = 100;

/**
 * D1 refuses bound strings over about 2 MB (SQLITE_TOOBIG locally at 2.2 MB), so bulk JSON is
 * split into chunks of at most this many characters.
 */
export const MAX_BOUND_JSON_CHARS = 1_000_000;

/** Splits rows into JSON arrays each under MAX_BOUND_JSON_CHARS. */
export function chunkJson(rows: unknown[]): string[] {
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
