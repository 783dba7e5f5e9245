import { alertFilterArgs, group, intFlag, leaf, projectArg, runArg } from "../_args";
import { cliClient } from "../config";
import { bulletList, print, table } from "../output";
import { shortId, trackioAlert } from "../shapes";
import { alertFilter, alertsView } from "./_alerts";

const projects = leaf({
  name: "list projects",
  description: "List projects (alphabetical)",
  args: {},
  async run({ args }) {
    const { projects } = await cliClient(args).projects.list();
    const names = projects.map((p) => p.name).sort();
    print(args, { projects: names }, (d) => bulletList("Projects", d.projects));
  },
});

const runs = leaf({
  name: "list runs",
  description: "List a project's runs (oldest first; names may repeat)",
  args: {
    ...projectArg,
    group: { type: "string", description: "Only runs of this group" },
    status: { type: "string", description: "Only runs with this status: running, finished, failed, stopped, stale or ended" },
  },
  async run({ args }) {
    const res = await cliClient(args).runs.list(args.project, { group: args.group, status: args.status as never });
    // Trackio's document lists names; `run_ids` (same order) tells runs that share a name apart.
    const doc = { project: args.project, runs: res.runs.map((r) => r.name), run_ids: res.runs.map((r) => r.id) };
    print(args, doc, (d) => bulletList("Runs", d.runs.map((name, i) => `${name}  ${shortId(d.run_ids[i])}`)));
  },
});

const metrics = leaf({
  name: "list metrics",
  description: "List the metric names of a run",
  args: { ...projectArg, ...runArg },
  async run({ args }) {
    const res = await cliClient(args).metrics.names(args.project, args.run);
    print(args, { project: args.project, run: args.run, metrics: [...res.metrics].sort() }, (d) => bulletList("Metrics", d.metrics));
  },
});

const notes = leaf({
  name: "list notes",
  description: "Notes of a run (--run) or of the project, newest first",
  args: { ...projectArg, run: { type: "string", description: "The run (name or id); without it the project's own notes" }, limit: { type: "string", description: "At most this many (default 100)" } },
  async run({ args }) {
    const res = await cliClient(args).notes.list(args.project, args.run ?? null, { limit: intFlag(args, "limit", { min: 1 }) });
    print(args, res, (d) => table(d.notes as unknown as Record<string, unknown>[], ["created_at", "author", "text"]));
  },
});

const audit = leaf({
  name: "list audit",
  description: "Who changed what, newest first (admin keys: everything; write keys: their projects)",
  args: {
    project: { type: "string", description: "Only this project's entries" },
    since: { type: "string", description: "Strictly after this ISO-8601 time" },
    limit: { type: "string", description: "At most this many (default 100, max 1000)" },
  },
  async run({ args }) {
    const res = await cliClient(args).audit.list({ project: args.project, since: args.since, limit: intFlag(args, "limit", { min: 1 }) });
    print(args, res, (d) => table(d.entries as unknown as Record<string, unknown>[], ["at", "key_name", "action", "project", "target"]));
  },
});

export const alertsArgs = {
  ...projectArg,
  ...alertFilterArgs,
  limit: { type: "string", description: "At most this many alerts (default 100, max 1000)" },
} as const;

/** `list alerts` and `get alerts`: Trackio's document, plus the cursor to wait or poll from. */
export function alertsCommand(name: string) {
  return leaf({
    name,
    description: "Alerts of a project, newest first",
    args: alertsArgs,
    async run({ args }) {
      const filter = alertFilter(args);
      const page = await cliClient(args).alerts.list(args.project, { ...filter, limit: intFlag(args, "limit", { min: 1 }) });
      const doc = {
        project: args.project,
        run: filter.run ?? null,
        level: filter.level ?? null,
        since: filter.since ?? null,
        min_level: filter.minLevel ?? null,
        cursor: filter.cursor ?? null,
        alerts: page.alerts.map(trackioAlert),
        next_cursor: page.next_cursor,
        has_more: page.has_more,
      };
      print(args, doc, (d) => alertsView(d.alerts));
    },
  });
}

export const list = group("list", "List projects, runs, metrics or alerts", {
  projects,
  runs,
  metrics,
  alerts: alertsCommand("list alerts"),
  notes,
  audit,
});
