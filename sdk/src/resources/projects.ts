import type { ProjectList, ProjectSummary } from "../../../src/contract";
import type { Client } from "../client";
import { seg } from "../internal/path";

export class Projects {
  constructor(private readonly client: Client) {}

  /** The projects the key can see. */
  list(): Promise<ProjectList> {
    return this.client.request("GET", "/v1/projects");
  }

  /** Runs, last step, last activity and alert counts of one project. */
  get(project: string): Promise<ProjectSummary> {
    return this.client.request("GET", `/v1/projects/${seg(project)}`);
  }
}
