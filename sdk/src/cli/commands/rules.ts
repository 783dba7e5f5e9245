import type { Rule, RuleCondition } from "../../../../src/contract";
import { Rules } from "../../resources/rules";
import { group, intFlag, leaf, levelFlag, projectArg, UsageError } from "../_args";
import { cliClient } from "../config";
import { keyValues, print, table } from "../output";

const CONDITION_HELP = "'> 5', '< 0.1', 'non_finite', 'no_improvement 100 [min|max] [min_delta]', 'spike 10 [up|down|both]', or the JSON object";

const num = (s: string | undefined, what: string): number => {
  const n = Number(s);
  if (s === undefined || s.trim() === "" || !Number.isFinite(n)) throw new UsageError(`Option '--condition': ${what} must be a number, got '${s ?? ""}'`);
  return n;
};

/** `--condition` in a few words: `> 5`, `lt 0.1`, `no_improvement 100 max`, `spike 10 both`, or JSON. */
export function parseCondition(text: string): RuleCondition {
  const s = text.trim();
  if (s.startsWith("{")) {
    try {
      return JSON.parse(s) as RuleCondition;
    } catch {
      throw new UsageError(`Option '--condition' is not valid JSON: ${s}`);
    }
  }
  const m = /^(>|<)\s*(.+)$/.exec(s);
  if (m) return { type: m[1] === ">" ? "gt" : "lt", value: num(m[2], "the threshold") };
  const [word, ...rest] = s.split(/\s+/);
  switch (word.toLowerCase()) {
    case "gt":
    case "lt":
      return { type: word.toLowerCase() as "gt" | "lt", value: num(rest[0], "the threshold") };
    case "non_finite":
    case "nan":
      return { type: "non_finite" };
    case "no_improvement": {
      const mode = rest[1];
      if (mode !== undefined && mode !== "min" && mode !== "max") throw new UsageError(`Option '--condition': the mode of no_improvement must be min or max, got '${mode}'`);
      return { type: "no_improvement", steps: num(rest[0], "the number of steps"), mode, min_delta: rest[2] === undefined ? undefined : num(rest[2], "min_delta") };
    }
    case "spike": {
      const direction = rest[1];
      if (direction !== undefined && !["up", "down", "both"].includes(direction)) throw new UsageError(`Option '--condition': the direction of spike must be up, down or both, got '${direction}'`);
      return { type: "spike", factor: num(rest[0], "the factor"), direction: direction as "up" | "down" | "both" | undefined };
    }
  }
  throw new UsageError(`Option '--condition' must be ${CONDITION_HELP}; got '${text}'`);
}

/** The condition as `--condition` would take it. */
export function describeCondition(c: Rule["condition"]): string {
  switch (c.type) {
    case "gt":
      return `> ${c.value}`;
    case "lt":
      return `< ${c.value}`;
    case "non_finite":
      return "non_finite";
    case "no_improvement":
      return `no_improvement ${c.steps} ${c.mode}${c.min_delta ? ` ${c.min_delta}` : ""}`;
    case "spike":
      return `spike ${c.factor} ${c.direction}`;
  }
}

const rulesOf = (args: Parameters<typeof cliClient>[0]) => new Rules(cliClient(args));

const add = leaf({
  name: "rules add",
  description: "Add a server-side alert rule: the server raises the alert on ingest, with no alert code in the script",
  args: {
    ...projectArg,
    metric: { type: "string", required: true, description: "Metric name, or a pattern with * (e.g. 'val/*')" },
    condition: { type: "string", required: true, description: `When it fires: ${CONDITION_HELP}` },
    title: { type: "string", required: true, description: "Alert title; a template like --text" },
    text: { type: "string", description: "Alert text template, e.g. 'train_loss={value:.4f} at step {step}' ({value}, {step}, {run}, {metric}, {rule}, …)" },
    level: { type: "string", description: "info, warn (default) or error" },
    id: { type: "string", description: "Your id for the rule; re-adding the same definition with it is safe" },
  },
  async run({ args }) {
    const rule = await rulesOf(args).add(args.project, {
      id: args.id,
      metric: args.metric,
      condition: parseCondition(args.condition),
      title: args.title,
      text: args.text,
      level: levelFlag(args, "level"),
    });
    print(args, rule, (r) => keyValues({ ...r, condition: describeCondition(r.condition) }));
  },
});

const list = leaf({
  name: "rules list",
  description: "List a project's alert rules",
  args: { ...projectArg },
  async run({ args }) {
    const res = await rulesOf(args).list(args.project);
    print(args, res, (d) =>
      d.rules.length ? table(d.rules.map((r) => ({ ...r, condition: describeCondition(r.condition) })), ["id", "metric", "condition", "level", "title", "text"]) : "No rules found.",
    );
  },
});

const remove = leaf({
  name: "rules remove",
  description: "Remove an alert rule (the alerts it raised stay)",
  args: { id: { type: "positional", required: true, description: "The rule's id" }, ...projectArg },
  async run({ args }) {
    const res = await rulesOf(args).remove(args.project, args.id);
    print(args, res, () => `Removed rule ${args.id}.`);
  },
});

const onOff = (args: Record<string, unknown>, name: string): boolean | undefined => {
  const raw = args[name];
  if (raw === undefined) return undefined;
  if (raw === "on" || raw === "true") return true;
  if (raw === "off" || raw === "false") return false;
  throw new UsageError(`Option '--${name}' must be on or off, got '${String(raw)}'`);
};

const settings = leaf({
  name: "rules settings",
  description: "Show or change the built-in detectors: non-finite values, and runs that stop reporting (stale)",
  args: {
    ...projectArg,
    "stale-after": { type: "string", description: "Seconds without a log entry before a running run is stale (default 600)" },
    "non-finite": { type: "string", description: "on or off: alert on NaN/Infinity metric values" },
    stale: { type: "string", description: "on or off: mark silent runs stale and alert" },
  },
  async run({ args }) {
    const staleAfter = intFlag(args, "stale-after", { min: 1 });
    const nonFinite = onOff(args, "non-finite");
    const stale = onOff(args, "stale");
    const api = rulesOf(args);
    const res =
      staleAfter === undefined && nonFinite === undefined && stale === undefined
        ? await api.settings(args.project)
        : await api.updateSettings(args.project, { stale_after: staleAfter, detectors: nonFinite === undefined && stale === undefined ? undefined : { non_finite: nonFinite, stale } });
    print(args, res, (s) => keyValues({ stale_after: s.stale_after, non_finite: s.detectors.non_finite ? "on" : "off", stale: s.detectors.stale ? "on" : "off" }));
  },
});

export const rules = group("rules", "Manage a project's server-side alert rules and built-in detectors", { add, list, remove, settings });
