import { z } from "zod";
import { AppendLogs } from "../contract/logs";
import { isNonFinite } from "../contract/metric-values";

/**
 * The log body's hot path without building zod objects per entry: zod's AppendLogs costs ~5 ms
 * per 1,000 entries, this check a fraction of that. It answers "valid" only for the shape the
 * SDKs send (numbers and the wire's non-finite strings as values); anything else, valid or not,
 * is left to zod, which also words every error. Its limits are read from the zod schema itself
 * (via its JSON Schema), so a changed limit in the contract changes them here too; a changed
 * *structure* (a new field, a custom refinement, a new kind of check) turns the fast path off
 * rather than letting it accept what zod would refuse (test/worker/check-logs.test.ts fails
 * then, and says so). Its verdicts are tested equal to zod's on fuzzed input.
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
  '{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"logs":{"minItems":"#","maxItems":"#","type":"array","items":{"type":"object","properties":{"step":{"anyOf":[{"type":"integer","minimum":"#","maximum":"#"},{"type":"null"}]},"metrics":{"type":"object","propertyNames":{"type":"string","minLength":"#","maxLength":"#"},"additionalProperties":{"$ref":"#/$defs/__schema0"}},"log_id":{"type":"string","minLength":"#","maxLength":"#"},"timestamp":{"type":"string","pattern":"#"}},"required":["metrics"]}}},"required":["logs"],"$defs":{"__schema0":{"anyOf":[{"type":"string"},{"type":"number"},{"type":"boolean"},{"type":"null"},{"type":"array","items":{"$ref":"#/$defs/__schema0"}},{"type":"object","propertyNames":{"type":"string"},"additionalProperties":{"$ref":"#/$defs/__schema0"}}]}}}';
const LIMIT_KEYS = new Set(["minItems", "maxItems", "minimum", "maximum", "minLength", "maxLength", "pattern"]);

type ZodDef = { type: string; checks?: { _zod: { def: { check: string } } }[]; [k: string]: unknown };

/** Whether any schema under `s` carries a refinement the JSON Schema cannot show. */
export function hasCustomCheck(s: unknown, seen = new Set<unknown>()): boolean {
  if (!s || typeof s !== "object" || seen.has(s)) return false;
  seen.add(s);
  const def = (s as { _zod?: { def?: ZodDef } })._zod?.def;
  if (!def) return false;
  if (def.checks?.some((c) => c._zod.def.check === "custom")) return true;
  // z.json() is a lazy union of itself: its refinements, if any, are the same the JSON Schema shows.
  if (def.type === "lazy") return false;
  const children = [def.shape && Object.values(def.shape as object), def.element, def.keyType, def.valueType, def.innerType, def.in, def.out, def.options].flat();
  return children.some((c) => hasCustomCheck(c, seen));
}

/**
 * A schema's input JSON Schema when its shape (limits and patterns as `#`) is `expected` and it has
 * no refinement; null otherwise, and a hand-written check for it must then stay off.
 */
export function jsonSchemaIfShaped(schema: z.ZodType, expected: string): Record<string, any> | null {
  const js = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, any>;
  const shape = JSON.stringify(js, (k, v) => (LIMIT_KEYS.has(k) ? "#" : v));
  return shape === expected && !hasCustomCheck(schema) ? js : null;
}

/** The limits of `schema`, or null when its structure is not the one this check was written for. */
export function limitsOf(schema: z.ZodType): Limits | null {
  const js = jsonSchemaIfShaped(schema, EXPECTED_SHAPE);
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

/** Metrics of the hot shape: names within their limits, values numbers or the wire's non-finite strings. */
export function metricsOk(metrics: unknown, l: { nameMin: number; nameMax: number }): boolean {
  if (!isPlainObject(metrics)) return false;
  for (const name in metrics) {
    if (name.length < l.nameMin || name.length > l.nameMax || name === "__proto__") return false;
    const v = metrics[name];
    if (typeof v !== "number" && !isNonFinite(v)) return false;
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
  if (ts !== undefined && !(typeof ts === "string" && l.timestamp.test(ts))) return false;
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
