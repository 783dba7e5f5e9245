import type { CreateRule, PatchProjectSettings, ProjectSettings, Rule, RuleList } from "../../../src/contract";
import type { Client } from "../client";
import { seg } from "../internal/path";

/**
 * A project's server-side alert rules and built-in detector settings. Rules raise alerts on
 * ingest, so a script that dies, hangs or logs NaN is reported without an `alert()` call.
 */
export class Rules {
  constructor(private readonly client: Client) {}

  /** Adds a rule; retrying with the same `id` and definition returns the stored rule. */
  add(project: string, rule: CreateRule): Promise<Rule> {
    return this.client.request("POST", `/v1/projects/${seg(project)}/rules`, { body: rule });
  }

  list(project: string): Promise<RuleList> {
    return this.client.request("GET", `/v1/projects/${seg(project)}/rules`);
  }

  get(project: string, id: string): Promise<Rule> {
    return this.client.request("GET", `/v1/projects/${seg(project)}/rules/${seg(id)}`);
  }

  remove(project: string, id: string): Promise<{ deleted: true; id: string }> {
    return this.client.request("DELETE", `/v1/projects/${seg(project)}/rules/${seg(id)}`);
  }

  settings(project: string): Promise<ProjectSettings> {
    return this.client.request("GET", `/v1/projects/${seg(project)}/settings`);
  }

  updateSettings(project: string, patch: PatchProjectSettings): Promise<ProjectSettings> {
    return this.client.request("PATCH", `/v1/projects/${seg(project)}/settings`, { body: patch });
  }
}
