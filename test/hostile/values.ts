import fc from "fast-check";
import { LIMITS } from "../../src/contract";

// Adversarial building blocks for the hostile suite: the values an attacker tries first (every
// finding of the hostile review is among them), mixed with fast-check's own random ones.

/** JSON text nested `levels` deep, built as text so 10k levels never touch a recursive encoder. */
export const deepText = (levels: number) => `${"[".repeat(levels)}1${"]".repeat(levels)}`;

const nested = (levels: number): unknown => {
  let v: unknown = 0;
  for (let i = 0; i < levels; i++) v = i % 2 ? { k: v } : [v];
  return v;
};

/** Strings that break names, paths, SQL, JSON paths or terminals. */
export const NASTY_STRINGS = [
  "",
  " ",
  ".",
  "..",
  "../x",
  "a/../b",
  "a\u0000b",
  "a\nb",
  "\t",
  "\u007f",
  "\ud800",
  "\udc00x",
  "💥",
  '"',
  'a"b',
  "a\\b",
  "\\",
  "%00",
  "%2F",
  "' OR 1=1 --",
  "$.a",
  '$."a"',
  "*a*a*a*a*a*a*b",
  "__proto__",
  "constructor",
  "NaN",
  "Infinity",
  "-Infinity",
  "x".repeat(LIMITS.nameChars + 1),
  "2026-13-45T00:00:00Z",
  "2026-02-31T00:00:00Z",
  "0050-01-01T00:00:00Z",
  "0000-01-01T00:00:00Z",
  "2026-11-28T17:25:45+99:99",
  "2026-11-28T17:25:45.911818+00:00",
  "9999-12-31T23:59:60Z",
  "https://hooks.slack.com/services/T0/B0/SECRET/",
  "https://[2002:a9fe:a9fe::]/",
  "http://127.0.0.1:1/hook",
];

export const NASTY_NUMBERS = [0, -0, -1, 1.5, 1e308, -1e308, 5e-324, 2 ** 31, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, -(2 ** 53)];

/** Values past a limit (built once: a test sends them many times). */
export const OVER_LIMIT: unknown[] = [nested(LIMITS.depth + 1), nested(1500), "x".repeat(LIMITS.entryBytes + 1), "\u0000".repeat(LIMITS.entryBytes / 6 + 1)];

export const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
);

export const nastyScalar = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(...NASTY_NUMBERS, null, true, false) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);

/** Any JSON value, small, with nasty leaves and keys; now and then one past a limit. */
export const nastyJson: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 6, arbitrary: nastyScalar },
    { weight: 2, arbitrary: fc.array(tie("v"), { maxLength: 3 }) },
    { weight: 2, arbitrary: fc.dictionary(nastyString, tie("v"), { maxKeys: 3 }) },
  ),
})).v;

export const withOverLimit = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 30, arbitrary: arb as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: fc.constantFrom(...OVER_LIMIT) });

/** A value of a field: often the plausible one, otherwise something hostile. */
export const either = <T>(plausible: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: plausible as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: withOverLimit(nastyJson) });

/** An object with some of the given fields (plausible or hostile values) and sometimes a stray one. */
export function looseObject(fields: Record<string, fc.Arbitrary<unknown>>) {
  const keys = Object.keys(fields);
  return fc
    .tuple(fc.subarray(keys), ...keys.map((k) => either(fields[k])), fc.option(fc.tuple(nastyString, nastyJson), { freq: 8 }))
    .map(([present, ...rest]) => {
      const stray = rest.pop() as [string, unknown] | null;
      const out: Record<string, unknown> = {};
      keys.forEach((k, i) => {
        if ((present as string[]).includes(k)) out[k] = rest[i];
      });
      if (stray) out[stray[0]] = stray[1];
      return out;
    });
}

/** Bodies that are not JSON objects at all. */
export const RAW_JUNK = ["", "{", "null", "[]", "1", '"x"', "\u0000\u0001", '{"a":NaN}', '{"a":1e400}', "[".repeat(5000), `{"logs":[{"step":1,"metrics":{"x":${deepText(10_000)}}}]}`, '{"__proto__":{"x":1}}'];

export const stepArb = fc.oneof({ weight: 4, arbitrary: fc.option(fc.nat({ max: 1000 })) as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: fc.constantFrom<unknown>(-1, 1.5, 2 ** 53 - 1, 2 ** 53, "1") });
export const levelArb = fc.constantFrom<unknown>("info", "warn", "error", "ERROR", "Warn", "info", "fatal", "", 1);
export const timestampArb = fc.oneof(fc.constantFrom<unknown>("2026-11-28T17:25:45Z", "2026-11-28 17:25:45.5+05:30", ...NASTY_STRINGS.filter((s) => /^\d{4}-/.test(s))), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
export const metricsArb = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.constantFrom("loss", "acc", "train/loss", "val/*"), fc.oneof(fc.double(), fc.constantFrom<unknown>("NaN", "Infinity", null)), { minKeys: 1, maxKeys: 3 }) },
  { weight: 2, arbitrary: fc.dictionary(fc.oneof(nastyString, fc.constantFrom("loss", "deep")), fc.oneof({ weight: 4, arbitrary: nastyJson }, { weight: 1, arbitrary: fc.constantFrom(...OVER_LIMIT) }), { maxKeys: 3 }) },
);
