import type { z } from "zod";
import type { Run, StopRun } from "../contract";
import { formatTimestamp } from "../contract/time";
import { requestStop, toRun } from "../db/runs";
import { ApiError } from "../errors";
import { createAlerts } from "./alerts";
import { actorName, audit } from "./audit";
import type { Svc } from "./context";
import { getRunOr404 } from "./run-refs";

/**
 * Asks a run's script to stop. The request is stored on the run (the SDKs read it from the
 * answer to their next log batch) and announced by an `info` alert through the usual path
 * (sockets, waits, webhooks). Repeating it changes nothing: the alert's id is the run's, so it
 * is stored once. A run that has already ended is a 409.
 */
export async function stopRun(s: Svc, project: string, ref: string, body: z.output<typeof StopRun>): Promise<Run> {
  const row = await getRunOr404(s, project, ref);
  const by = actorName(s);
  const updated = await requestStop(s.db, row.id, formatTimestamp(s.nowUs), body.reason ?? null, by);
  if (!updated) throw new ApiError("conflict", `Run '${ref}' has already ended (status '${row.status}'); there is nothing to stop`);
  const reason = updated.stopReason;
  await createAlerts(s, project, [
    {
      alert_id: `stop-${row.id}`,
      run_id: row.id,
      title: "Stop requested",
      text: `${reason ?? "No reason given"} (requested by ${updated.stopRequestedBy ?? by})`,
      level: "info",
      step: updated.lastStep,
    },
  ]);
  await audit(s, project, "run.stop", row.id, { reason });
  return toRun(updated);
}
