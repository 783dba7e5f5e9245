import { z } from "zod";
import { AppendLogs } from "../contract/logs";
import { dotSegmentFault, LIMITS as STORED, nameFault } from "../contract/limits";
import { isNonFinite } from "../contract/metric-values";
import { parseTimestamp } from "../contract/time";

/**
 * The log body's hot path without building zod objects per entry: zod's AppendLogs costs ~5 ms
 * per 1,000 entries, this check a fraction of that. It answers "valid" only for the shape the
 * SDKs send (numbers and the wire's non-finite strings as values); anything else, valid or not,
 * is left to zod, which also words every error. Its length limits are read from the zod schema
 * itself (via its JSON Schema), and the contract's refinements (names, sizes, real timestamps:
 * src/contract/limits.ts) are applied through the same functions, so a changed limit changes
 * them here too; a changed *structure* (a new field, a new refinement, a new kind of check)
 * turns the fast path off rather than letting it accept what zod would refuse
 * (test/worker/check-logs.test.ts fails then, and says so). Its verdicts are tested equal to
 * zod's on fuzzed input.
 */

type Limits = {
  minEntries: number;
  maxEntries: number;
  stepMin: number;
  stepMax: number;
  nameMin: number;
  nameMax: number;
  idMin: number;
  idMax: number;
  timestamp: RegExp;
};

/** The JSON Schema of AppendLogs this check was written for, with its limits and pattern as `#`. */
const EXPECTED_SHAPE =
  '{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"logs":{"minItems":"#","maxItems":"#","type":"array","items":{"type":"object","properties":{"step":{"anyOf":[{"type":"integer","minimum":"#","maximum":"#"},{"type":"null"}]},"metrics":{"type":"object","propertyNames":{"type":"string","minLength":"#","maxLength":"#"},"additionalProperties":{}},"log_id":{"type":"string","minLength":"#","maxLength":"#"},"timestamp":{"type":"string","pattern":"#"}},"required":["metrics"]}}},"required":["logs"]}';
/** The refinements the JSON Schema cannot show: a metric name's, the metrics' size and depth, a real timestamp. */
const EXPECTED_REFINEMENTS = 3;
const LIMIT_KEYS = new Set(["minItems", "maxItems", "minimum", "maximum", "minLength", "maxLength", "pattern"]);

type ZodDef = { type: string; checks?: { _zod: { def: { check: string } } }[]; [k: string]: unknown };

/** How many refinements (custom checks, which the JSON Schema cannot show) the schemas under `s` carry. */
export function customChecks(s: unknown, seen = new Set<unknown>()): number {
  if (!s || typeof s !== "object" || seen.has(s)) return 0;
  seen.add(s);
  const def = (s as { _zod?: { def?: ZodDef } })._zod?.def;
  if (!def) return 0;
  const own = def.checks?.filter((c) => c._zod.def.check === "custom").length ?? 0;
  const children = [def.shape && Object.values(def.shape as object), def.element, def.keyType, def.valueType, def.innerType, def.in, def.out, def.options].flat();
  return own + children.reduce((n: number, c) => n + customChecks(c, seen), 0);
}

/**
 * A schema's input JSON Schema when its shape (limits and patterns as `#`) is `expected` and it has
 * exactly the `refinements` its hand-written check applies; null otherwise, and the check must then stay off.
 */
export function jsonSchemaIfShaped(schema: z.ZodType, expected: string, refinements: number): Record<string, any> | null {
  const js = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, any>;
  const shape = JSON.stringify(js, (k, v) => (LIMIT_KEYS.has(k) ? "#" : v));
  return shape === expected && customChecks(schema) === refinements ? js : null;
}

/** The limits of `schema`, or null when its structure is not the one this check was written for. */
export function limitsOf(schema: z.ZodType): Limits | null {
  const js = jsonSchemaIfShaped(schema, EXPECTED_SHAPE, EXPECTED_REFINEMENTS);
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

const LIMITS = limitsOf(AppendLogs);

/** Whether the fast path is on (false: the contract's schema changed shape; every body goes to zod). */
export const fastPathEnabled = () => LIMITS !== null;

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A step that is absent, null or an integer in range. */
export const stepOk = (step: unknown, l: { stepMin: number; stepMax: number }) =>
  step === undefined || step === null || (Number.isSafeInteger(step) && (step as number) >= l.stepMin && (step as number) <= l.stepMax);

/**
 * Metrics this many or fewer are within LIMITS.entryBytes whatever their names and values on the
 * hot shape: a name of nameChars characters escapes to at most 6 bytes each, a double prints in at
 * most 24 characters, plus quotes, colon and comma. More are left to zod, which measures them.
 */
const MAX_FAST_METRICS = Math.floor((STORED.entryBytes - 2) / (6 * STORED.nameChars + 2 + 1 + 24 + 1));

/**
 * Metric names already found free of the contract's name faults (control characters, lone
 * surrogates, `.`/`..` segments), per isolate: the same few names arrive in every batch, and
 * their regex tests were a thousand calls per 100-entry batch. Bounded; forgotten whole when full.
 */
const faultless = new Set<string>();
const FAULTLESS_MAX = 10_000;

function faultlessMetricName(name: string): boolean {
  if (faultless.has(name)) return true;
  if (nameFault(name) !== null || dotSegmentFault(name, true) !== null) return false;
  if (faultless.size >= FAULTLESS_MAX) faultless.clear();
  faultless.add(name);
  return true;
}

/**
 * Metrics of the hot shape: names within their limits and the contract's name rules, values
 * finite numbers or the wire's non-finite strings, few enough to be within the entry size.
 */
export function metricsOk(metrics: unknown, l: { nameMin: number; nameMax: number }): boolean {
  if (!isPlainObject(metrics)) return false;
  let n = 0;
  for (const name in metrics) {
    if (++n > MAX_FAST_METRICS) return false;
    if (name.length < l.nameMin || name.length > l.nameMax || name === "__proto__" || !faultlessMetricName(name)) return false;
    const v = metrics[name];
    if (!(typeof v === "number" ? Number.isFinite(v) : isNonFinite(v))) return false;
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
  const l = LIMITS;
  if (!l || !isPlainObject(body)) return false;
  const logs = body.logs;
  if (!Array.isArray(logs) || logs.length < l.minEntries || logs.length > l.maxEntries) return false;
  for (const e of logs) if (!entryOk(e, l)) return false;
  return true;
}
