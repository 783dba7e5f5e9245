/**
 * A rule's metric: an exact name, or a pattern where `*` matches any run of characters
 * (including '/', so `train/*` also covers `train/layer0/grad`). Nothing else is special, so
 * names with dots, brackets or '?' match themselves.
 */
export function metricMatcher(pattern: string): (name: string) => boolean {
  if (!pattern.includes("*")) return (name) => name === pattern;
  const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  const re = new RegExp(`^${escaped.join(".*")}$`, "s");
  return (name) => re.test(name);
}
