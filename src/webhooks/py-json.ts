/**
 * `JSON.stringify` as Python's `json.dumps` writes it with its defaults (`ensure_ascii=True`,
 * separators `", "` and `": "`), which is what Trackio's client POSTs. Bodies are then byte-identical
 * to Trackio's, and the signature covers exactly those bytes.
 */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return pyString(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
    return Number.isInteger(value) ? String(value) : JSON.stringify(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(", ")}]`;
  if (typeof value === "object") {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${pyString(k)}: ${pyJsonDumps(v)}`);
    return `{${parts.join(", ")}}`;
  }
  throw new TypeError(`cannot serialise ${typeof value}`);
}

const SHORT: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };

// Python escapes everything outside printable ASCII (space to `~`) as \uXXXX, lowercase hex, one
// escape per UTF-16 unit (so astral characters become surrogate pairs, as in Python).
function pyString(s: string): string {
  return `"${s.replace(/["\\\u0000-\u001f\u007f-\uffff]/g, (ch) => SHORT[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}
