import { z } from "zod";
import { AlertQuery, RunRef, WaitQuery, WaitResult } from "../../contract";
import { queryAlerts, waitForAlerts } from "../../services/alerts";
import { getRunOr404 } from "../../services/run-refs";
import { projectArg, withLevelEnum } from "../args";
import { defineTool, knownProject, type ToolContext } from "../tool";
import { TrackioAlert, toTrackioAlert } from "../trackio-shapes";

/**
 * MCP clients give up on a request after 60 s by default (the SDK's DEFAULT_REQUEST_TIMEOUT_MSEC),
 * and a JSON response cannot send progress to extend that, so a wait must end well before it.
 */
export const MCP_MAX_WAIT_SECONDS = 50;

const q = AlertQuery.shape;
const filterArgs = {
  project: projectArg,
  run: q.run.describe("Only this run's alerts: a run name (its newest run) or id"),
  run_id: RunRef.optional().describe("Only this run's alerts, by id; takes precedence over run"),
  level: withLevelEnum(q.level, "Only this level exactly: info, warn or error"),
  min_level: withLevelEnum(q.min_level, "Only this level or above (info < warn < error); e.g. warn returns warn and error"),
  since: q.since.describe("Only alerts with a timestamp strictly after this ISO-8601 instant (e.g. 2026-11-28T16:57:00.911818+00:00)"),
  cursor: q.cursor.describe("Only alerts after this cursor: pass the next_cursor of the previous answer (exact, whatever the clients' clocks)"),
  limit: q.limit.describe("At most this many alerts (1..1000, default 100)"),
};

const asQuery = <T extends { run?: string; run_id?: string }>({ run, run_id, ...rest }: T) => ({ ...rest, run: run_id ?? run });

/** Unlike REST (Trackio's empty answers), an unknown project or run is a tool error naming it. */
async function checkTarget(t: ToolContext, project: string, run: string | undefined): Promise<string> {
  await knownProject(t, project);
  if (run !== undefined) await getRunOr404(t.s, project, run);
  return project;
}

export const getAlerts = defineTool({
  name: "get_alerts",
  title: "Read alerts",
  description:
    "Read a project's alerts, newest first, as Trackio does ({timestamp, run, title, text, level, step}), optionally filtered by run, level, min_level and since. Trackflare adds cursor paging: every answer has next_cursor; call again with cursor=next_cursor to get only alerts raised since (none missed, none repeated). has_more says the limit cut the answer short. To block until a new alert arrives, use wait_for_alerts.",
  scope: "read",
  input: z.strictObject(filterArgs),
  output: z.object({ result: z.array(TrackioAlert), next_cursor: z.number().int(), has_more: z.boolean() }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: async ({ project, ...args }, t) => {
    const query = asQuery(args);
    const page = await queryAlerts(t.s, await checkTarget(t, project, query.run), query);
    return { result: page.alerts.map(toTrackioAlert), next_cursor: page.next_cursor, has_more: page.has_more };
  },
});

export const waitForAlertsTool = defineTool({
  name: "wait_for_alerts",
  title: "Wait for new alerts",
  description: `Block until at least one alert matching the filters is raised, then return at once; or return empty with timed_out: true after timeout seconds (default 30, at most ${MCP_MAX_WAIT_SECONDS}). "New" means after cursor (or after since); with neither, after the moment of this call. Returns the alerts newest first, each with its cursor, and next_cursor: to watch a run, call again with cursor=next_cursor so nothing is missed between calls. An unknown project or run is an error (a typo never waits out the timeout). React to error alerts by stopping or changing approach, warn by tweaking, info as a milestone.`,
  scope: "read",
  input: z.strictObject({
    ...filterArgs,
    timeout: z
      .number({ error: "timeout must be a number of seconds" })
      .min(0, "timeout must be >= 0")
      .max(MCP_MAX_WAIT_SECONDS, `timeout must be <= ${MCP_MAX_WAIT_SECONDS} seconds`)
      .default(30)
      .describe(`Seconds to wait at most (0..${MCP_MAX_WAIT_SECONDS}, default 30)`),
  }),
  output: WaitResult,
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: async ({ project, ...args }, t) => {
    const query: z.output<typeof WaitQuery> = asQuery(args);
    return waitForAlerts(t.s, await checkTarget(t, project, query.run), query);
  },
});
