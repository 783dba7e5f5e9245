/**
 * The one printer. Commands return data to `print`; with --json it writes exactly one JSON
 * document (Trackio's `json.dumps(obj, indent=2)` layout), otherwise the command's human view.
 */
export function print<T>(args: { json?: boolean }, data: T, human: (data: T) => string): void {
  process.stdout.write(args.json ? `${JSON.stringify(data, null, 2)}\n` : `${human(data)}\n`);
}

/** One JSON document per line, for streams (`watch --json`). */
export function printLine(data: unknown): void {
  process.stdout.write(`${JSON.stringify(data)}\n`);
}

/** Progress and notices go to stderr, so stdout stays parseable. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Trackio's list view: `Title:` then `  - item`, or `No title found.` */
export function bulletList(title: string, items: readonly string[]): string {
  if (!items.length) return `No ${title.toLowerCase()} found.`;
  return [`${title}:`, ...items.map((i) => `  - ${i}`)].join("\n");
}

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
};

/** Columns padded to the widest cell, a header and a rule. */
export function table(rows: readonly Record<string, unknown>[], columns: readonly (string | [key: string, header: string])[]): string {
  const cols = columns.map((c) => (Array.isArray(c) ? c : [c, c.toUpperCase()]) as [string, string]);
  const cells = rows.map((r) => cols.map(([k]) => cell(r[k]).replace(/\s+/g, " ")));
  const widths = cols.map(([, h], i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (vals: string[]) => vals.map((v, i) => (i === vals.length - 1 ? v : v.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(cols.map(([, h]) => h)), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** `key: value` lines for one object. */
export function keyValues(obj: Record<string, unknown>): string {
  const width = Math.max(...Object.keys(obj).map((k) => k.length));
  return Object.entries(obj)
    .map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${cell(v)}`)
    .join("\n");
}
