import type { Alert, CreateRule, Rule } from "../../src/contract";
import { api } from "./api";
import { getAlerts } from "./alerts";

/** Adds a rule and returns it (201 or 200 for a retry); throws on any other answer. */
export async function addRule(project: string, rule: CreateRule, token?: string): Promise<Rule> {
  const r = await api("POST", `/v1/projects/${project}/rules`, { body: rule, token });
  if (r.status !== 201 && r.status !== 200) throw new Error(`rule creation failed: ${r.status} ${r.text}`);
  return r.json;
}

export async function patchSettings(project: string, patch: Record<string, unknown>, token?: string) {
  const r = await api("PATCH", `/v1/projects/${project}/settings`, { body: patch, token });
  if (r.status !== 200) throw new Error(`settings failed: ${r.status} ${r.text}`);
  return r.json;
}

/** Every alert of a project, oldest first. */
export async function allAlerts(project: string, query: Record<string, string | number> = {}): Promise<Alert[]> {
  const r = await getAlerts(project, { limit: 1000, ...query });
  if (r.status !== 200) throw new Error(`alerts failed: ${r.status} ${r.text}`);
  return [...r.json.alerts].reverse();
}

/** Entries with consecutive steps from `start`, one metric each. */
export const series = (metric: string, values: (number | string)[], start = 0) =>
  values.map((v, i) => ({ step: start + i, metrics: { [metric]: v } }));
