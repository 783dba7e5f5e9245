import type { z } from "zod";
import { dotSegmentFault, nameFault } from "../contract/limits";
import { isPlainObject, jsonSchemaIfShaped, metricsOk, stepOk, stringOk } from "../ingest/check-logs";

/**
 * `bulk_log`'s arguments checked by hand before zod, as the REST log body is
 * (src/ingest/check-logs.ts, which says why): "valid" only for what the `trackio` client sends
 * every 0.5 s (numbers and non-finite strings as values, a canonical project name, no config:
 * the one that comes after each `init` goes to zod, which measures it); anything else, valid or
 * not, goes to zod, which words every error. Limits come from the schema and the contract's
 * name rules, and a schema of another shape turns this off.
 */
const EXPECTED_SHAPE =
  '{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"logs":{"maxItems":"#","type":"array","items":{"type":"object","properties":{"project":{"type":"string"},"run":{"type":"string","minLength":"#","maxLength":"#"},"run_id":{"anyOf":[{"type":"string","minLength":"#","maxLength":"#"},{"type":"null"}]},"metrics":{"type":"object","propertyNames":{"type":"string","minLength":"#","maxLength":"#"},"additionalProperties":{}},"step":{"anyOf":[{"type":"integer","minimum":"#","maximum":"#"},{"type":"null"}]},"config":{"anyOf":[{"type":"object","propertyNames":{"type":"string","minLength":"#","maxLength":"#"},"additionalProperties":{}},{"type":"null"}]},"log_id":{"anyOf":[{"type":"string","minLength":"#","maxLength":"#"},{"type":"null"}]}},"required":["project","run","metrics"]}}},"required":["logs"]}';
/** The refinements the JSON Schema cannot show (names, sizes, the project's own), which this check applies or defers. */
const EXPECTED_REFINEMENTS = 5;

type Limits = { maxEntries: number; runMin: number; runMax: number; idMin: number; idMax: number; clientIdMin: number; clientIdMax: number; nameMin: number; nameMax: number; stepMin: number; stepMax: number };

function limitsOf(schema: z.ZodType): Limits | null {
  const js = jsonSchemaIfShaped(schema, EXPECTED_SHAPE, EXPECTED_REFINEMENTS);
  if (!js) return null;
  const logs = js.properties.logs;
  const p = logs.items.properties;
  return {
    maxEntries: logs.maxItems,
    runMin: p.run.minLength,
    runMax: p.run.maxLength,
    clientIdMin: p.run_id.anyOf[0].minLength,
    clientIdMax: p.run_id.anyOf[0].maxLength,
    idMin: p.log_id.anyOf[0].minLength,
    idMax: p.log_id.anyOf[0].maxLength,
    nameMin: p.metrics.propertyNames.minLength,
    nameMax: p.metrics.propertyNames.maxLength,
    stepMin: p.step.anyOf[0].minimum,
    stepMax: p.step.anyOf[0].maximum,
  };
}

/** `check`, answering each distinct value from its first verdict. */
function once(check: (v: unknown) => boolean): (v: unknown) => boolean {
  const verdicts = new Map<unknown, boolean>();
  return (v) => {
    let ok = verdicts.get(v);
    if (ok === undefined) verdicts.set(v, (ok = check(v)));
    return ok;
  };
}

/**
 * A checker for `schema` (BulkLogArgs) whose `project` field is `projectSchema`: a project is taken
 * as is only when that schema maps it to itself (checked once per distinct name in a call).
 */
export function bulkLogChecker(schema: z.ZodType, projectSchema: z.ZodType) {
  const l = limitsOf(schema);
  const check = (bound: Record<string, unknown>): boolean => {
    if (!l) return false;
    const logs = bound.logs;
    if (!Array.isArray(logs) || logs.length > l.maxEntries) return false;
    // A call's entries mostly share one project and one run: each distinct one is checked once.
    const projectOk = once((p) => {
      const r = typeof p === "string" ? projectSchema.safeParse(p) : null;
      return !!r?.success && r.data === p;
    });
    const runOk = once((run) => typeof run === "string" && stringOk(run, l.runMin, l.runMax) && nameFault(run) === null && dotSegmentFault(run, false) === null);
    for (const e of logs) {
      if (!isPlainObject(e) || !projectOk(e.project) || !runOk(e.run)) return false;
      if (!stringOk(e.run_id, l.clientIdMin, l.clientIdMax, true) || !stringOk(e.log_id, l.idMin, l.idMax, true)) return false;
      if (!stepOk(e.step, l) || !metricsOk(e.metrics, l)) return false;
      if (e.config !== undefined && e.config !== null) return false;
    }
    return true;
  };
  return { enabled: l !== null, check };
}
