/**
 * A rule's metric: an exact name, or a pattern where `*` matches any run of characters
 * (including '/', so `train/*` also covers `train/layer0/grad`). Nothing else is special, so
 * names with dots, brackets or '?' match themselves.
 *
 * Matched without a regular expression: `^a.*a.*a.*b$` backtracks exponentially in the number
 * of `*` on a name of many `a`s, which let one rule stall its project's ingest. With `*` the only
 * wildcard, taking each literal part at its leftmost place after the previous one is exact (a
 * later place never leaves more room for the rest), so a match is one pass of `indexOf` calls.
 */
export function metricMatcher(pattern: string): (name: string) => boolean {
  if (!pattern.includes("*")) return (name) => name === pattern;
  const parts = pattern.split("*");
  const head = parts[0];
  const tail = parts[parts.length - 1];
  const middle = parts.slice(1, -1).filter((p) => p.length > 0);
  const minLength = head.length + tail.length;
  return (name) => {
    if (name.length < minLength || !name.startsWith(head) || !name.endsWith(tail)) return false;
    let at = head.length;
    const end = name.length - tail.length;
    for (const part of middle) {
      const found = name.indexOf(part, at);
      if (found < 0 || found + part.length > end) return false;
      at = found + part.length;
    }
    return true;
  };
}
