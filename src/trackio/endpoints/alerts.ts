import { z } from "zod";
import { AlertLevel } from "../../contract";
import { trackioAlertsJson } from "../../services/alerts";
import { endpoint, OptString, Project } from "../endpoint";
import { canRead, mapRunId } from "../identity";
import { RawJson } from "../raw-json";

/** Trackio returns every matching alert; this bounds one answer (the first this many by cursor). */
const MAX_ALERTS = 100_000;

/**
 * Trackio's `get_alerts(project, run, run_id, level, since)`, newest first. Deliberate
 * differences (README, "Trackio compatibility"): `since` is compared as an instant, and a
 * positional call of at most four arguments is read in the `trackio` CLI's order
 * `[project, run, level, since]`, so its `--level` and `--since` work. `level` stays an exact,
 * case-sensitive match as in Trackio.
 */
export const getAlerts = endpoint({
  params: ["project", "run", "run_id", "level", "since"],
  required: ["project"],
  cliOrder: ["project", "run", "level", "since"],
  access: "read",
  args: z.object({ project: Project, run: OptString("run"), run_id: OptString("run_id"), level: OptString("level"), since: OptString("since") }),
  run: async (ctx, a) => {
    if (!canRead(ctx, a.project)) return [];
    if (a.level != null && !AlertLevel.safeParse(a.level).success) return [];
    // A run_id maps as the run's writes map it; a name is resolved by the service (newest run).
    const run = a.run_id ? (await mapRunId(ctx, a.project, a.run_id)).id : (a.run ?? undefined);
    const level = (a.level ?? undefined) as AlertLevel | undefined;
    return new RawJson(await trackioAlertsJson(ctx.s, a.project, { run, level, since: a.since ?? undefined }, MAX_ALERTS));
  },
});
