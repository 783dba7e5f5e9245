import type { z } from "zod";
import type { CreateRule, PatchProjectSettings, ProjectSettings, Rule } from "../contract";
import { MAX_RULES_PER_PROJECT } from "../contract";
import type { StoredEntry } from "../db/logs";
import { ensureProject, findProject, getProjectSettings, setProjectSettings } from "../db/projects";
import type { RunRow } from "../db/runs";
import { ApiError, badRequest } from "../errors";
import { applyPatch, settingsFrom } from "../rules/settings";
import { projectObject } from "./alerts";
import { audit } from "./audit";
import type { Svc } from "./context";
import { logFailure } from "../log";

// A project's alert rules and detector settings, shared by the REST routes and MCP. Rules live in
// the project's Durable Object (next to the state they keep per run); settings live in D1 and are
// mirrored to the object, which evaluates with them.

const newRuleId = () => `rule_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
const ruleNotFound = (project: string, id: string) => new ApiError("not_found", `Rule '${id}' not found in project '${project}'`);

/**
 * Adds a rule. A retry (same id, same definition) answers the stored rule with `created: false`;
 * the same id with another definition is a 409, so a rule never changes under its alerts.
 */
export async function addRule(s: Svc, project: string, input: z.output<typeof CreateRule>): Promise<{ rule: Rule; created: boolean }> {
  await ensureProject(s.db, project);
  const id = input.id ?? newRuleId();
  const res = await projectObject(s.env, project).putRule(project, {
    id,
    metric: input.metric,
    condition: input.condition,
    level: input.level,
    title: input.title,
    text: input.text ?? null,
  });
  if (res.outcome === "limit")
    throw badRequest(`Project '${project}' already has ${MAX_RULES_PER_PROJECT} rules, the most it may hold; remove one first`);
  if (res.outcome === "conflict")
    throw new ApiError("conflict", `Rule '${id}' already exists with a different definition; remove it first or choose another id`, [
      { path: "id", message: "already used by a different rule" },
    ]);
  if (res.outcome === "created") await audit(s, project, "rule.add", id, { metric: input.metric, level: input.level, title: input.title });
  return { rule: res.rule, created: res.outcome === "created" };
}

/** Oldest first. A project that does not exist has none. */
export async function listRules(s: Svc, project: string): Promise<Rule[]> {
  if (!(await findProject(s.db, project))) return [];
  return projectObject(s.env, project).listRules();
}

export async function getRuleOr404(s: Svc, project: string, id: string): Promise<Rule> {
  const rule = (await findProject(s.db, project)) ? await projectObject(s.env, project).getRule(id) : null;
  if (!rule) throw ruleNotFound(project, id);
  return rule;
}

export async function removeRule(s: Svc, project: string, id: string): Promise<{ deleted: true; id: string }> {
  const removed = (await findProject(s.db, project)) ? await projectObject(s.env, project).removeRule(project, id) : false;
  if (!removed) throw ruleNotFound(project, id);
  await audit(s, project, "rule.remove", id);
  return { deleted: true, id };
}

/** The detectors' settings; a project that does not exist yet would get the defaults. */
export async function projectSettings(s: Svc, project: string): Promise<ProjectSettings> {
  return settingsFrom(await getProjectSettings(s.db, project), s.env);
}

/** Merges a patch into the stored settings (keeping other features' keys), then tells the project's object. */
export async function patchProjectSettings(s: Svc, project: string, patch: z.output<typeof PatchProjectSettings>): Promise<ProjectSettings> {
  await ensureProject(s.db, project);
  const stored = await getProjectSettings(s.db, project);
  const next = applyPatch(settingsFrom(stored, s.env), patch);
  await setProjectSettings(s.db, project, { ...stored, ...next });
  await projectObject(s.env, project).configureRules(project, next);
  await audit(s, project, "settings.update", null, patch as Record<string, unknown>);
  return next;
}

/**
 * Called for each run created or resumed: a run is watched from then on, so a script that dies
 * before its first log entry is reported as stale too. Never fails the run's creation.
 */
export async function watchStartedRun(s: Svc, run: RunRow): Promise<void> {
  await evaluateRulesOnIngest(s, run, []);
}

/**
 * Called by every log write: hands the entries a batch stored to the project's object, which evaluates
 * rules and detectors and stores their alerts in the same call. The entries are already stored, so
 * a failure here is logged rather than failing the request (a retry would find them duplicates).
 */
export async function evaluateRulesOnIngest(s: Svc, run: RunRow, stored: StoredEntry[], hooksSeen?: number): Promise<void> {
  try {
    await projectObject(s.env, run.project).evaluate(
      run.project,
      { id: run.id, name: run.name, status: run.status },
      stored.map((e) => ({ step: e.step, metrics: e.metrics })),
      hooksSeen,
    );
  } catch (err) {
    logFailure("rule evaluation failed", err, run.project);
  }
}
