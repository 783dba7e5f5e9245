import { z } from "zod";
import { CreateRule, Rule, RuleCondition, RuleId } from "../../contract";
import { addRule, listRules, removeRule } from "../../services/rules";
import { parseOrThrow } from "../../validate";
import { projectArg } from "../args";
import { defineTool, knownProject, visibleProject } from "../tool";

const r = CreateRule.shape;

export const addAlertRule = defineTool({
  name: "add_alert_rule",
  title: "Add a server-side alert rule",
  description:
    "Make the server raise an alert whenever a metric of any run in the project meets a condition, with no alert code in the training script: it fires once when the condition becomes true for a run (and again only after it was false), and the alert reaches every watcher (get_alerts, wait_for_alerts, WebSockets, webhooks) with rule_id set. Conditions: {type:'gt'|'lt', value} thresholds; {type:'non_finite'} for NaN/Infinity; {type:'no_improvement', steps, mode:'min'|'max', min_delta?} (early stopping: no new best for that many steps); {type:'spike', factor, direction?:'up'|'down'|'both'} (consecutive values changing more than factor times). title and text are templates: {value}, {value:.4f}, {step}, {run}, {metric}, {rule}, plus {threshold}; {best}, {best_step}, {steps}; {previous}, {ratio}, {factor} for their conditions. Built-in NaN and stale-run detectors are already on. The project may be new (set rules before starting the runs); every other tool refuses an unknown project. Needs a write key. Returns the stored rule.",
  scope: "write",
  input: z.strictObject({
    project: projectArg,
    metric: r.metric.describe("Metric name, or a pattern where * matches anything: 'train/loss', 'val/*'"),
    condition: RuleCondition.describe("When the rule is true for one value, e.g. {type:'gt', value: 10}"),
    level: r.level.describe("info, warn (default) or error: error means stop and change approach"),
    title: r.title.describe("Alert title (template), e.g. '{metric} diverged'"),
    text: r.text.describe("Alert text (template), e.g. 'train_loss={value:.4f} at step {step}'; a default names the metric, value and step"),
    id: r.id.describe("Your id for the rule (letters, digits, _ . -); retrying with the same id and definition is safe"),
  }),
  output: Rule,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  run: async ({ project, ...rule }, t) => {
    // The contract checks the templates against the condition, naming the field on failure.
    // The one tool that may name a new project: rules go in before the script's first run.
    const { rule: stored } = await addRule(t.s, visibleProject(t, project), parseOrThrow(CreateRule, rule, "arguments"));
    return stored;
  },
});

export const listAlertRules = defineTool({
  name: "list_alert_rules",
  title: "List a project's alert rules",
  description: "List the project's server-side alert rules, oldest first: id, metric (or pattern), condition, level, title, text. Alerts a rule raised carry its id as rule_id; the built-in detectors' are builtin:non_finite and builtin:stale.",
  scope: "read",
  input: z.strictObject({ project: projectArg }),
  output: z.object({ rules: z.array(Rule) }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: async ({ project }, t) => ({ rules: await listRules(t.s, await knownProject(t, project)) }),
});

export const removeAlertRule = defineTool({
  name: "remove_alert_rule",
  title: "Remove an alert rule",
  description: "Remove one of the project's alert rules by id (see list_alert_rules). Alerts it already raised stay. Needs a write key.",
  scope: "write",
  input: z.strictObject({ project: projectArg, id: RuleId.describe("The rule's id") }),
  output: z.object({ deleted: z.boolean(), id: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  run: async ({ project, id }, t) => removeRule(t.s, await knownProject(t, project), id),
});
