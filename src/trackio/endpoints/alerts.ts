import { z } from "zod";
import { AlertLevel, parseTimestamp, type Alert } from "../../contract";
import { queryAlerts } from "../../services/alerts";
import { endpoint, OptString, Project } from "../endpoint";
import { canRead, mapRunId } from "../identity";

/** Alerts per call to the project's object: 5,000 alerts in one round trip (~1.5 MB, far under RPC's 32 MiB). */
const PAGE = 10_000;
/** Trackio returns every matching alert; this bounds one answer. */
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
    const alerts: Alert[] = [];
    let cursor = 0;
    for (;;) {
      const page = await queryAlerts(ctx.s, a.project, { run, level: (a.level ?? undefined) as AlertLevel | undefined, since: a.since ?? undefined, cursor, limit: PAGE });
      alerts.push(...page.alerts);
      if (!page.has_more || alerts.length >= MAX_ALERTS) break;
      cursor = page.next_cursor;
    }
    // Each timestamp parsed once, not once per comparison.
    const keyed = alerts.map((x) => ({ x, us: parseTimestamp(x.timestamp) ?? 0 }));
    return keyed
      .sort((p, q) => q.us - p.us || q.x.cursor - p.x.cursor)
      .map(({ x }) => ({ timestamp: x.timestamp, run: x.run, title: x.title, text: x.text, level: x.level, step: x.step }));
  },
});
