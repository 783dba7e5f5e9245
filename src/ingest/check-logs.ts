import { z } from "zod";
import { AppendLogs } from "../contract/logs";
import { dotSegmentFault, LIMITS, nameFault } from "../contract/limits";
import { isNonFinite } from "../contract/metric-values";
import { parseTimestamp } from "../contract/time";

/**
 * The log body's hot path without building zod objects per entry: zod's AppendLogs costs ~5 ms
 * per 1,000 entries, this check a fraction of that. It answers "valid" only for the shape the
 * SDKs send (numbers and the wire's non-finite strings as values); anything else, valid or not,
 * is left to zod, which also words every error. Its limits are read from the zod schema itself
 * (via its JSON Schema), and the contract's refinements (names, an entry's size, real instants)
 * are applied through the very functions the contract calls, so a changed limit or rule changes
 * them here too; a changed *structure* (a new field, a refinement in a new place, a new kind of
 * check) turns the fast path off rather than letting it accept what zod would refuse
 * (test/worker/check-logs.test.ts fails then, and says so). Its verdicts are tested equal to
 * zod's on fuzzed input.
 */

type Limits = NameLimits & {
  minEntries: number;
  maxEntries: number;
  stepMin: number;
  stepMax: number;
  idMin: number;
  idMax: number;
  timestamp: RegExp;
};

/** The JSON Schema of AppendLogs this check was written for, with its limits and pattern as `#`. */
const EXPECTED_SHAPE =
  '{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"logs":{"minItems":"#","maxItems":"#","type":"array","items":{"type":"object","properties":{"step":{"anyOf":[{"type":"integer","minimum":"#","maximum":"#"},{"type":"null"}]},"metrics":{"type":"object","propertyNames":{"type":"string","minLength":"#","maxLength":"#"},"additionalProperties":{}},"log_id":{"type":"string","minLength":"#","maxLength":"#"},"timestamp":{"type":"string","pattern":"#"}},"required":["metrics"]}}},"required":["logs"]}';
/**
 * The contract's refinements this check applies: an entry's metrics as a whole (depth and size,
 * `checkJson`), each metric name (`nameFault`, `dotSegmentFault`) and a timestamp's instant
 * (`parseTimestamp`).
 */
const REFINED_AT = [".logs[].metrics", ".logs[].metrics{}", ".logs[].timestamp"];
const LIMIT_KEYS = new Set(["minItems", "maxItems", "minimum", "maximum", "minLength", "maxLength", "pattern"]);

type ZodDef = { type: string; checks?: { _zod: { def: { check: string } } }[]; [k: string]: unknown };

/**
 * Where under `s` the refinements sit that its JSON Schema cannot show, as sorted paths
 * (`.logs[].metrics{}`: the keys of a record; `.logs[].timestamp`: a field).
 */
export function customCheckPaths(s: unknown, path = "", ancestors = new Set<unknown>(), out: string[] = []): string[] {
  if (!s || typeof s !== "object" || ancestors.has(s)) return out;
  const def = (s as { _zod?: { def?: ZodDef } })._zod?.def;
  if (!def) return out;
  if (def.checks?.some((c) => c._zod.def.check === "custom")) out.push(path);
  // z.json() is a lazy union of itself: its refinements, if any, are the same the JSON Schema shows.
  if (def.type !== "lazy") {
    const inner = new Set(ancestors).add(s);
    const walk = (child: unknown, at: string) => customCheckPaths(child, at, inner, out);
    for (const [k, v] of Object.entries((def.shape as object | undefined) ?? {})) walk(v, `${path}.${k}`);
    walk(def.element, `${path}[]`);
    walk(def.keyType, `${path}{}`);
    walk(def.valueType, `${path}{:}`);
    for (const c of [def.innerType, def.in, def.out, ...((def.options as unknown[] | undefined) ?? [])]) walk(c, path);
  }
  return out.sort();
}

/**
 * A schema's input JSON Schema when its shape (limits and patterns as `#`) is `expected` and its
 * refinements sit exactly at `refinedAt`; null otherwise, and a hand-written check for it must
 * then stay off.
 */
export function jsonSchemaIfShaped(schema: z.ZodType, expected: string, refinedAt: readonly string[]): Record<string, any> | null {
  const js = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, any>;
  const shape = JSON.stringify(js, (k, v) => (LIMIT_KEYS.has(k) ? "#" : v));
  return shape === expected && customCheckPaths(schema).join(" ") === [...refinedAt].sort().join(" ") ? js : null;
}

/** The limits of `schema`, or null when its structure is not the one this check was written for. */
export function limitsOf(schema: z.ZodType): Limits | null {
  const js = jsonSchemaIfShaped(schema, EXPECTED_SHAPE, REFINED_AT);
  if (!js) return null;
  const logs = js.properties.logs;
  const p = logs.items.properties;
  const step = p.step.anyOf[0];
  return {
    minEntries: logs.minItems,
    maxEntries: logs.maxItems,
    stepMin: step.minimum,
    stepMax: step.maximum,
    nameMin: p.metrics.propertyNames.minLength,
    nameMax: p.metrics.propertyNames.maxLength,
    idMin: p.log_id.minLength,
    idMax: p.log_id.maxLength,
    timestamp: new RegExp(p.timestamp.pattern),
  };
}

const LOG_LIMITS = limitsOf(AppendLogs);

/** Whether the fast path is on (false: the contract's schema changed shape; every body goes to zod). */
export const fastPathEnabled = () => LOG_LIMITS !== null;

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A step that is absent, null or an integer in range. */
export const stepOk = (step: unknown, l: { stepMin: number; stepMax: number }) =>
  step === undefined || step === null || (Number.isSafeInteger(step) && (step as number) >= l.stepMin && (step as number) <= l.stepMax);

export type NameLimits = { nameMin: number; nameMax: number };

/**
 * Metric names already found good (MetricName's refinement: no control character or lone
 * surrogate, no `.`/`..` segment): the same few names arrive in every batch. Bounded; forgotten
 * whole when full.
 */
const goodNames = new Set<string>();
const GOOD_NAMES_MAX = 10_000;

function metricNameOk(name: string, l: NameLimits): boolean {
  if (goodNames.has(name)) return true;
  if (name.length < l.nameMin || name.length > l.nameMax || name === "__proto__") return false;
  if (nameFault(name) !== null || dotSegmentFault(name, true) !== null) return false;
  if (goodNames.size >= GOOD_NAMES_MAX) goodNames.clear();
  goodNames.add(name);
  return true;
}

/**
 * The most names an entry of the hot shape can have and still be within LIMITS.entryBytes as
 * JSON, however long its names and values: a name of `nameMax` characters takes at most 3 bytes
 * each (a good name has no control character to escape; `"` and `\` take 2, a surrogate pair 4
 * for 2) plus quotes, colon and comma, a value at most 24 (`-1.2345678901234567e-308`). An entry
 * with more names is left to zod, which measures it.
 */
const maxNamesWithinSize = (l: NameLimits) => Math.floor((LIMITS.entryBytes - 2) / (3 * l.nameMax + 2 + 1 + 24 + 1));

/** Metrics of the hot shape: good names within their limits, values finite numbers or the wire's non-finite strings. */
export function metricsOk(metrics: unknown, l: NameLimits): boolean {
  if (!isPlainObject(metrics) || Object.getPrototypeOf(metrics) !== Object.prototype) return false;
  let names = 0;
  const most = maxNamesWithinSize(l);
  for (const name in metrics) {
    if (++names > most || !metricNameOk(name, l)) return false;
    const v = metrics[name];
    if (typeof v === "number" ? !Number.isFinite(v) : !isNonFinite(v)) return false;
  }
  return true;
}

/** A string within [min, max] characters; `orNull` also takes null (and absent). */
export const stringOk = (v: unknown, min: number, max: number, orNull = false) =>
  v === undefined || (orNull && v === null) || (typeof v === "string" && v.length >= min && v.length <= max);

function entryOk(e: unknown, l: Limits): boolean {
  if (!isPlainObject(e) || !stepOk(e.step, l) || !metricsOk(e.metrics, l)) return false;
  const id = e.log_id;
  if (id !== undefined && !(typeof id === "string" && id.length >= l.idMin && id.length <= l.idMax)) return false;
  const ts = e.timestamp;
  if (ts !== undefined && !(typeof ts === "string" && l.timestamp.test(ts) && parseTimestamp(ts) !== null)) return false;
  return true;
}

/** True only when `body` is a valid AppendLogs of the SDKs' shape; false means "ask zod". */
export function fastValidLogs(body: unknown): body is z.output<typeof AppendLogs> {
  const l = LOG_LIMITS;
  if (!l || !isPlainObject(body)) return false;
  const logs = body.logs;
  if (!Array.isArray(logs) || logs.length < l.minEntries || logs.length > l.maxEntries) return false;
  for (const e of logs) if (!entryOk(e, l)) return false;
  return true;
}
