import type { Run } from "./api";

/** A name filter is a regular expression (case-insensitive); text that is not one matches literally. */
export function nameMatcher(q: string): { test: (name: string) => boolean; valid: boolean } {
  if (!q) return { test: () => true, valid: true };
  try {
    const re = new RegExp(q, "i");
    return { test: (n) => re.test(n), valid: true };
  } catch {
    const lower = q.toLowerCase();
    return { test: (n) => n.toLowerCase().includes(lower), valid: false };
  }
}

/**
 * `key=value` terms separated by spaces or commas; a value is compared as JSON when it parses
 * (`lr=0.01`, `aug=true`), else as text, as the server's `config=` filter does.
 */
export function configMatcher(text: string): (run: Run) => boolean {
  const terms = text
    .split(/[\s,]+/)
    .filter((t) => t.includes("="))
    .map((t) => {
      const i = t.indexOf("=");
      return [t.slice(0, i), t.slice(i + 1)] as const;
    });
  return (run) =>
    terms.every(([key, raw]) => {
      const v = run.config[key];
      if (v === undefined) return false;
      try {
        if (JSON.stringify(JSON.parse(raw)) === JSON.stringify(v)) return true;
      } catch {
        // not JSON: compare as text
      }
      return typeof v === "string" ? v === raw : JSON.stringify(v) === raw;
    });
}

export function configKeys(runs: Run[]): string[] {
  const keys = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r.config)) keys.add(k);
  return [...keys].sort();
}

/** Groups runs by `group` or `config:<key>`, keeping the runs' order within and across groups. */
export function groupRuns(runs: Run[], by: string): { label: string; runs: Run[] }[] {
  if (!by) return [{ label: "", runs }];
  const key = by.startsWith("config:") ? by.slice("config:".length) : null;
  const groups = new Map<string, Run[]>();
  for (const r of runs) {
    const v = key === null ? r.group : r.config[key];
    const label = key === null ? `group = ${v ?? "(none)"}` : `${key} = ${v === undefined ? "(unset)" : JSON.stringify(v)}`;
    const list = groups.get(label) ?? [];
    list.push(r);
    groups.set(label, list);
  }
  return [...groups].map(([label, list]) => ({ label, runs: list }));
}
