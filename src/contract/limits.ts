import { z } from "zod";

/**
 * What can be stored, in one place. Every interface (REST, Trackio's protocol, MCP, the SDK's
 * own checks) validates through the schemas built on these, so a breach is the same 400/413
 * naming the field everywhere, and nothing accepted can make a later read fail (SQLite refuses
 * JSON nested past 1,000 levels and strings past ~2 MB; workerd's stack ends before 10k levels).
 * The README's "Limits" table states them.
 */
export const LIMITS = {
  /** Request bodies, refused with 413 before parsing. */
  bodyBytes: 8 * 1024 * 1024,
  /** Entries in one log request (REST); Trackio's `bulk_log` stores more as slices of this. */
  logEntries: 10_000,
  /** One log entry's metrics as compact JSON (UTF-8): a single value is bounded by it too. */
  entryBytes: 1_000_000,
  /** A run's config as compact JSON (UTF-8). */
  configBytes: 1_000_000,
  /** Arrays and objects inside one value or config. */
  depth: 32,
  /** Metric, run and config key names, in characters. */
  nameChars: 256,
  /** Steps are integers in [0, 2^53 − 1]; a step the server assigns never passes it. */
  maxStep: Number.MAX_SAFE_INTEGER,
  /** Client timestamps: years 0001–9999 after their offset, as Trackio's Python datetimes. */
  minYear: 1,
  maxYear: 9999,
} as const;

/** A zod issue that breaches a size limit carries this in `params`; boundaries answer it with 413. */
export const TOO_LARGE = { limit: "size" } as const;

export function isTooLargeIssue(issue: { code: string; params?: unknown }): boolean {
  return issue.code === "custom" && (issue.params as { limit?: string } | undefined)?.limit === "size";
}

export type JsonFault = { path: (string | number)[]; message: string; tooLarge: boolean };

/**
 * Bytes `JSON.stringify(s)` takes in UTF-8: quotes, escapes (`\"`, `\\`, `\n`, `\u0000`) and
 * surrogate pairs counted exactly, a lone surrogate as its `\udXXX` escape.
 */
export function jsonStringBytes(s: string): number {
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) n += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6;
    else if (c === 0x22 || c === 0x5c) n += 2;
    else if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) n += 6;
    else n += 3;
  }
  return n;
}

/**
 * Checks that `value` is plain JSON (finite numbers, strings, booleans, null, arrays, objects)
 * nested at most `maxDepth` containers deep and at most `maxBytes` as compact JSON, without
 * recursion (hostile nesting cannot exhaust the stack) and stopping at the first fault, so the
 * cost is bounded by the limit, not by the input. Returns the JSON size, or the first fault.
 */
export function checkJson(value: unknown, maxDepth: number, maxBytes: number, opts: { record?: boolean } = {}): { bytes: number } | JsonFault {
  // A record (metrics, config) counts its values' depth, not its own level.
  const deepest = opts.record ? maxDepth + 1 : maxDepth;
  // Parallel stacks: the value, its depth, and how to name it (parent frame + key) for a fault.
  const values: unknown[] = [value];
  const depths: number[] = [0];
  const parents: number[] = [-1];
  const keys: (string | number)[] = [""];
  // One frame per container met: its parent frame and its key there (-1: the root itself).
  const frames: { parent: number; key: string | number }[] = [];
  let bytes = 0;
  const pathOf = (frame: number): (string | number)[] => {
    const out: (string | number)[] = [];
    for (let f = frame; f >= 0 && frames[f].parent >= 0; f = frames[f].parent) out.unshift(frames[f].key);
    return out;
  };
  while (values.length) {
    const v = values.pop();
    const depth = depths.pop()!;
    const parent = parents.pop()!;
    const key = keys.pop()!;
    const here = () => (parent < 0 ? [] : [...pathOf(parent), key]);
    if (v === null) bytes += 4;
    else if (typeof v === "boolean") bytes += v ? 4 : 5;
    else if (typeof v === "number") {
      if (!Number.isFinite(v)) return { path: here(), message: "numbers must be finite (send NaN and Infinity as the strings \"NaN\", \"Infinity\")", tooLarge: false };
      bytes += String(v).length;
    } else if (typeof v === "string") bytes += v.length > maxBytes ? v.length : jsonStringBytes(v);
    else if (typeof v === "object") {
      // Named by the value that holds it (a metric, a config key), not by 32 levels of indices.
      if (depth >= deepest) return { path: here().slice(0, opts.record ? 1 : 0), message: `values may be nested at most ${maxDepth} levels deep`, tooLarge: false };
      const frame = frames.push({ parent, key }) - 1;
      if (Array.isArray(v)) {
        bytes += 1 + Math.max(1, v.length);
        for (let i = v.length - 1; i >= 0; i--) {
          values.push(v[i]);
          depths.push(depth + 1);
          parents.push(frame);
          keys.push(i);
        }
      } else {
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) return { path: here(), message: "must be a JSON value", tooLarge: false };
        const ks = Object.keys(v);
        bytes += 1 + Math.max(1, ks.length);
        for (let i = ks.length - 1; i >= 0; i--) {
          const k = ks[i];
          bytes += (k.length > maxBytes ? k.length : jsonStringBytes(k)) + 1;
          values.push((v as Record<string, unknown>)[k]);
          depths.push(depth + 1);
          parents.push(frame);
          keys.push(k);
        }
      }
    } else return { path: here(), message: "must be a JSON value", tooLarge: false };
    if (bytes > maxBytes) return { path: [], message: `must be at most ${maxBytes} bytes as JSON`, tooLarge: true };
  }
  return { bytes };
}

// C0 controls and DEL: a NUL or newline in a name breaks SQLite text, URLs and terminals alike.
const CONTROL = /[\u0000-\u001f\u007f]/;
// A surrogate half without its partner cannot be encoded as UTF-8: stored, it would read back as U+FFFD.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;

/** Why `name` cannot be a stored name (metric, run, config key), or null. */
export function nameFault(name: string): string | null {
  if (CONTROL.test(name)) return "must not contain control characters (NUL, newline, tab, …)";
  if (LONE_SURROGATE.test(name)) return "must be valid Unicode (no lone surrogate)";
  return null;
}

/**
 * `.` and `..` as a path segment are resolved away by every URL parser (also as `%2E`), so a
 * name made of them, or a metric name with such a segment, could never be read back by name.
 */
export function dotSegmentFault(name: string, segmented: boolean): string | null {
  const parts = segmented ? name.split("/") : [name];
  return parts.some((p) => p === "." || p === "..") ? "must not be '.' or '..' (or have such a path segment)" : null;
}

/**
 * A stored name: 1–256 characters, no control characters, valid Unicode; `dots: false` also
 * refuses `.`/`..` (a run name, or, `segmented`, a segment of a metric name read by URL path).
 */
export const StoredName = (what: string, opts: { dots?: "whole" | "segments" } = {}) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, `${what} must not be empty`)
    .max(LIMITS.nameChars, `${what} must be at most ${LIMITS.nameChars} characters`)
    .superRefine((name, ctx) => {
      const fault = nameFault(name) ?? (opts.dots ? dotSegmentFault(name, opts.dots === "segments") : null);
      if (fault) ctx.addIssue({ code: "custom", message: `${what} ${fault}` });
    });

/**
 * A JSON object stored whole (one entry's metrics, a run's config): its keys are checked by
 * `key`, its values are any JSON within the depth limit, and the whole within `maxBytes`. The
 * check is one iterative walk; a size breach is marked `TOO_LARGE` (answered with 413).
 */
export const BoundedRecord = <K extends z.ZodType<string, string>>(what: string, key: K, maxBytes: number) =>
  z
    .record(key, z.unknown(), {
      // A bad key is named by its own message ("metric names must be at most 256 characters").
      error: (iss) => (iss.code === "invalid_key" ? (iss as { issues?: { message?: string }[] }).issues?.[0]?.message : iss.code === "invalid_type" ? `${what} must be an object` : undefined),
    })
    .superRefine((rec, ctx) => {
      const r = checkJson(rec, LIMITS.depth, maxBytes, { record: true });
      if ("bytes" in r) return;
      ctx.addIssue({ code: "custom", path: r.path, message: r.tooLarge ? `${what} ${r.message}` : r.message, ...(r.tooLarge ? { params: TOO_LARGE } : {}) });
    });
