import { z } from "zod";
import { StoredName } from "./limits";
import { parseTimestamp } from "./time";

/** Project names follow Trackio's canonical form: letters, digits, `_` and `-`. */
export const ProjectName = z
  .string()
  .min(1, "project must not be empty")
  .max(128, "project must be at most 128 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "project may contain only letters, digits, '_' and '-'");

/** Run ids are uuid4 hex strings (32 lowercase hex digits), as Trackio's client makes them. */
export const RUN_ID_PATTERN = /^[0-9a-f]{32}$/;
export const RunId = z.string().regex(RUN_ID_PATTERN, "run_id must be 32 lowercase hex digits");

/** Read back by URL path (`…/runs/<name>`), so never `.` or `..`. */
export const RunName = z.string().trim().pipe(StoredName("name", { dots: "whole" }));

/** A run is addressed by its id or by its name (a name means the newest run with that name). */
export const RunRef = z.string().min(1, "run must not be empty").max(256);

export const AlertLevel = z.enum(["info", "warn", "error"]);
export type AlertLevel = z.infer<typeof AlertLevel>;
export const LEVEL_RANK: Record<AlertLevel, number> = { info: 0, warn: 1, error: 2 };

/** Accepts `INFO`, `Warn`, … as Trackio does for `webhook_min_level`. */
export const LooseAlertLevel = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(AlertLevel);

export const AlertCounts = z.object({ info: z.number().int(), warn: z.number().int(), error: z.number().int() });
export type AlertCounts = z.infer<typeof AlertCounts>;

/** ISO-8601 instant with an explicit zone (`Z` or an offset); fractional seconds optional. */
export const IsoTimestamp = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/,
    "must be an ISO-8601 timestamp such as 2026-11-28T16:57:00.911818+00:00",
  )
  .refine((s) => parseTimestamp(s) !== null, "must be a real instant: a day the month has, hours < 24, an offset within ±23:59, years 0001–9999");

/** Query-string integers arrive as strings. */
export const QueryInt = (name: string, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: `${name} must be an integer` })
    .int(`${name} must be an integer`)
    .min(min, `${name} must be >= ${min}`)
    .max(max, `${name} must be <= ${max}`);

export const Step = z.number().int("step must be an integer").min(0, "step must be >= 0").max(Number.MAX_SAFE_INTEGER);
