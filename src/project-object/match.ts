import { LEVEL_RANK, type Alert } from "../contract";
import type { StoredFilters } from "./types";

/**
 * The in-memory twin of the store's WHERE clause, for alerts just stored (waiters and sockets).
 * `micros` is the alert's instant; the stored row keeps it as an integer for exact comparison.
 */
export function matches(alert: Alert, micros: number, f: StoredFilters): boolean {
  if (f.run_id !== undefined && alert.run_id !== f.run_id) return false;
  if (f.run_name !== undefined && alert.run !== f.run_name) return false;
  if (f.level !== undefined && alert.level !== f.level) return false;
  if (f.min_level !== undefined && LEVEL_RANK[alert.level] < LEVEL_RANK[f.min_level]) return false;
  if (f.since_us !== undefined && !(micros > f.since_us)) return false;
  return true;
}
