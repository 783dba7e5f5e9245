import { DurableObject } from "cloudflare:workers";
import type { AlertCounts } from "../contract";

/**
 * One per project (`env.PROJECT_ALERTS.getByName(project)`): the only writer of the project's
 * alerts. Skeleton: storage, cursor queries, WebSocket push and wait are built on this class.
 */
export class ProjectAlerts extends DurableObject<Env> {
  async countByLevel(_runId: string | null): Promise<AlertCounts> {
    return { info: 0, warn: 0, error: 0 };
  }

  async deleteRunAlerts(_runId: string): Promise<number> {
    return 0;
  }
}
