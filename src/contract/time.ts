/**
 * Timestamps as Trackio writes them (Python's `datetime.isoformat()` in UTC): microseconds,
 * `+00:00`, and no fraction when it is zero. Instants are compared as integer microseconds.
 */
import { LIMITS } from "./limits";

/** Formats epoch microseconds as `2026-11-28T16:57:00.911818+00:00`. */
export function formatTimestamp(epochMicros: number): string {
  const ms = Math.floor(epochMicros / 1000);
  const micros = ((epochMicros % 1_000_000) + 1_000_000) % 1_000_000;
  const base = new Date(ms).toISOString().slice(0, 19);
  return micros === 0 ? `${base}+00:00` : `${base}.${String(micros).padStart(6, "0")}+00:00`;
}

export function nowTimestamp(): string {
  return formatTimestamp(Date.now() * 1000);
}

/** A UTC date; unlike Date.UTC, years 0–99 are taken literally rather than as 1900–1999. */
function utcMs(y: number, mo: number, d: number, h = 0, mi = 0, sec = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, sec, 0);
  return date.getTime();
}

const MIN_US = utcMs(LIMITS.minYear, 1, 1) * 1000;
const MAX_US = utcMs(LIMITS.maxYear + 1, 1, 1) * 1000 - 1;

const daysIn = (year: number, month: number) => (month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31);

/**
 * Parses an ISO-8601 instant to epoch microseconds. Accepts `Z`, `±HH:MM`, `±HHMM`, a space
 * instead of `T`, 0–9 fractional digits (beyond 6 are truncated), and no zone (read as UTC,
 * as Trackio stores naive times). Returns null when the text is not such a timestamp, or names
 * no real instant: a day the month lacks (Feb 31), hour 24, an offset past ±23:59, or a time
 * outside years 0001–9999 once its offset is applied.
 */
export function parseTimestamp(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s = "0", frac = "", zone = "Z"] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > daysIn(+y, +mo) || +h > 23 || +mi > 59 || +s > 60) return null;
  let offsetMin = 0;
  if (zone.toUpperCase() !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const [oh, om] = [Number(digits.slice(0, 2)), Number(digits.slice(2, 4))];
    if (oh > 23 || om > 59) return null;
    offsetMin = sign * (oh * 60 + om);
  }
  const micros = Number(frac.padEnd(6, "0").slice(0, 6));
  const us = (utcMs(+y, +mo, +d, +h, +mi, +s) - offsetMin * 60_000) * 1000 + micros;
  return us >= MIN_US && us <= MAX_US ? us : null;
}

/** Normalises any accepted ISO instant to Trackio's form. */
export function normalizeTimestamp(text: string): string | null {
  const us = parseTimestamp(text);
  return us === null ? null : formatTimestamp(us);
}
