import fc from "fast-check";
import { describe, it } from "vitest";
import { metricMatcher } from "../../src/rules/pattern";

// The reference: the regular expression the matcher replaced (exact, but exponential on hostile patterns).
const reference = (pattern: string) => {
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "s");
  return (name: string) => re.test(name);
};

describe("rule metric patterns", () => {
  it("match exactly what the regular expression did, on short names over a small alphabet", ({ expect }) => {
    const text = fc.string({ unit: fc.constantFrom("a", "b", "/", ".", "*"), maxLength: 8 });
    fc.assert(
      fc.property(text, fc.string({ unit: fc.constantFrom("a", "b", "/", "."), maxLength: 12 }), (pattern, name) => {
        expect(metricMatcher(pattern)(name)).toBe(reference(pattern)(name));
      }),
      { numRuns: 3000, seed: 0x5eed },
    );
  });

  it("answers the pattern that made the regular expression backtrack without backtracking", ({ expect }) => {
    const hostile = metricMatcher(`${"*a".repeat(40)}*b`);
    const names = Array.from({ length: 200 }, (_, i) => "a".repeat(60 + i));
    expect(names.map(hostile).every((m) => m === false)).toBe(true);
    expect(hostile(`${"a".repeat(60)}b`)).toBe(true);
  });
});
