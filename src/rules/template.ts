import { parseTemplate, type TemplatePart } from "../contract/rules";

/** A value a placeholder can take: numbers are formatted by the spec, the rest as text. */
export type TemplateValue = number | string | null | undefined;
export type TemplateVars = Record<string, TemplateValue>;

/** Non-finite numbers print as on the wire (`NaN`, `Infinity`), whatever the spec. */
function nonFinite(n: number): string {
  return Number.isNaN(n) ? "NaN" : n > 0 ? "Infinity" : "-Infinity";
}

/** Python's exponent form: at least two digits and a sign (`1.5e-07`, `2.0e+03`). */
function pyExponent(s: string): string {
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

function stripZeros(mantissa: string): string {
  return mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
}

/** Python's `g`: significant digits, fixed or exponent form by the exponent, trailing zeros dropped. */
function general(n: number, precision: number): string {
  const p = precision === 0 ? 1 : precision;
  if (n === 0) return "0";
  const [mant, exp] = n.toExponential(p - 1).split("e");
  const x = Number(exp);
  if (x >= -4 && x < p) return stripZeros(n.toFixed(Math.max(0, p - 1 - x)));
  return pyExponent(`${stripZeros(mant)}e${exp}`);
}

/** Formats a number with a Python format spec (`.4f`, `.3e`, `.6g`, `f`, `e`, `g`, `d`). */
export function formatNumber(n: number, spec: string): string {
  if (!Number.isFinite(n)) return nonFinite(n);
  if (!spec) return String(n);
  if (spec === "d") return Math.round(n).toString();
  const kind = spec[spec.length - 1];
  const precision = spec.length > 1 ? Number(spec.slice(1, -1)) : 6;
  if (kind === "f") return n.toFixed(precision);
  if (kind === "e") return pyExponent(n.toExponential(precision));
  return general(n, precision);
}

/** A parsed template, rendered once per alert. */
export class Template {
  private constructor(private readonly parts: TemplatePart[]) {}

  /** Templates are validated by the contract when a rule is stored; a stored one always parses. */
  static compile(text: string, fields: readonly string[]): Template {
    const parsed = parseTemplate(text, fields);
    if ("error" in parsed) throw new RangeError(parsed.error);
    return new Template(parsed.parts);
  }

  render(vars: TemplateVars): string {
    let out = "";
    for (const p of this.parts) {
      if (typeof p === "string") {
        out += p;
        continue;
      }
      const v = vars[p.field];
      out += typeof v === "number" ? formatNumber(v, p.spec) : (v ?? "");
    }
    return out;
  }
}
