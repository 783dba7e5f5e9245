import type { AuditPage } from "../../../src/contract";
import type { Client } from "../client";

/** Who changed what (admin keys: everything; write keys: their projects). */
export class Audit {
  constructor(private readonly client: Client) {}

  /** Newest first. */
  list(query: { project?: string; since?: string; limit?: number } = {}): Promise<AuditPage> {
    return this.client.request("GET", "/v1/audit", { query });
  }
}
