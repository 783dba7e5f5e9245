import { encodeNumber, formatTimestamp } from "../../../src/contract";
import type { AlertLevel } from "../alert-level";
import { hexId } from "../internal/ids";
import type { Batch } from "./sender";

// Entries as log() and alert() buffer them, and their request bodies. Serialising happens here,
// in the sender's time, so log() itself stays a push.

/** step, metrics (our own copy), epoch ms, sequence number (→ log_id). */
export type LogItem = { s: number; m: Record<string, unknown>; t: number; n: number };
export type AlertItem = { title: string; text: string | null; level: AlertLevel; step: number; timestamp: string; alert_id: string; webhook_url?: string };

/** Trackio renames these metric keys to `__<key>` (they collide with row fields in its storage and reads). */
const RESERVED = new Set(["project", "run", "timestamp", "step", "time", "metrics"]);
/** JS string length; at most 3 UTF-8 bytes a char keeps a body under the server's 8 MB limit. */
export const MAX_BODY_CHARS = 2_500_000;

export class LogEncoder {
  /** log_id = this prefix + the entry's sequence number: unique per process, fixed before the first send. */
  private readonly logPrefix = hexId().slice(0, 16) + "-";
  private lastT = -1;
  private lastTs = "";

  constructor(
    private readonly warn: (message: string) => void,
    private readonly warnOnce: (key: string, message: string) => void,
  ) {}

  /** Builds the request body by hand: per-entry JSON.stringify of the metrics only. */
  body(batch: Batch<LogItem>): string {
    const parts: string[] = [];
    const kept: LogItem[] = [];
    for (const e of batch.items) {
      let metrics: string;
      try {
        metrics = JSON.stringify(this.encodeMetrics(e.m));
      } catch (err) {
        this.warn(`dropped a log entry at step ${e.s}: its metrics are not JSON (${err instanceof Error ? err.message : String(err)})`);
        continue;
      }
      if (e.t !== this.lastT) {
        this.lastT = e.t;
        this.lastTs = formatTimestamp(e.t * 1000);
      }
      parts.push(`{"step":${e.s},"log_id":"${this.logPrefix}${e.n.toString(36)}","timestamp":"${this.lastTs}","metrics":${metrics}}`);
      kept.push(e);
    }
    batch.items = kept;
    return `{"logs":[${parts.join(",")}]}`;
  }

  /** NaN/±Infinity become Trackio's strings; reserved keys get the `__` prefix. `m` is our own copy. */
  private encodeMetrics(m: Record<string, unknown>): Record<string, unknown> {
    let renames: string[] | undefined;
    for (const k in m) {
      const v = m[k];
      if (typeof v === "number" && !Number.isFinite(v)) m[k] = encodeNumber(v);
      if (RESERVED.has(k)) (renames ??= []).push(k);
    }
    if (renames) {
      for (const k of renames) {
        m[`__${k}`] = m[k];
        delete m[k];
      }
      this.warnOnce(`reserved-${renames.join()}`, `metric keys ${renames.map((k) => `'${k}'`).join(", ")} are reserved and were stored as ${renames.map((k) => `'__${k}'`).join(", ")}`);
    }
    return m;
  }
}

/** The alerts route's batch form; `run` is the run's id. */
export const alertsBody = (items: AlertItem[], runId: string) => JSON.stringify({ alerts: items.map((a) => ({ ...a, run: runId })) });

/** Where a dropped batch was, for its warning. */
export const stepsOf = (items: { s?: number; step?: number }[]) => {
  const steps = items.map((i) => i.s ?? i.step ?? 0);
  const lo = Math.min(...steps);
  const hi = Math.max(...steps);
  return lo === hi ? `at step ${lo}` : `at steps ${lo}–${hi}`;
};

let lastMicros = 0;
/** Wall-clock microseconds, strictly increasing: alerts raised in one millisecond keep their order under `since`. */
export function nowMicros(): number {
  lastMicros = Math.max(Date.now() * 1000, lastMicros + 1);
  return lastMicros;
}
