/**
 * Timestamps as Trackio writes them (Python's `datetime.isoformat()` in UTC): microseconds,
 * `+00:00`, and no fraction when it is zero. Instants are compared as integer microseconds.
 */

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

/**
 * Parses an ISO-8601 instant to epoch microseconds. Accepts `Z`, `±HH:MM`, `±HHMM`, a space
 * instead of `T`, 0–9 fractional digits (beyond 6 are truncated), and no zone (read as UTC,
 * as Trackio stores naive times). Returns null when the text is not such a timestamp.
 */
export function parseTimestamp(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s = "0", frac = "", zone = "Z"] = m;
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  if (Number.isNaN(ms) || +mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +s > 60) return null;
  let offsetMin = 0;
  if (zone.toUpperCase() !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  const micros = Number(frac.padEnd(6, "0").slice(0, 6));
  return (ms - offsetMin * 60_000) * 1000 + micros;
}

/** Normalises any accepted ISO instant to Trackio's form. */
export function normalizeTimestamp(text: string): string | null {
  const us = parseTimestamp(text);
  return us === null ? null : formatTimestamp(us);
}
