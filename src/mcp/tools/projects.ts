import { z } from "zod";
import { ListRunsQuery } from "../../contract";
import { listProjects } from "../../db/projects";
import { projectSummary } from "../../services/projects";
import { listProjectRuns } from "../../services/runs";
import { getSettings as trackioGetSettings } from "../../trackio/endpoints/projects";
import { noArgs, projectArg } from "../args";
import { defineTool, knownProject } from "../tool";
import { viaTrackio } from "../trackio-bridge";
import { TrackioProjectSummary, TrackioRunRef, TrackioSettings, toTrackioProjectSummary } from "../trackio-shapes";

const READ = { readOnlyHint: true, openWorldHint: false } as const;

export const getAllProjects = defineTool({
  name: "get_all_projects",
  title: "List projects",
  description: "List the names of every project this API key can see, sorted alphabetically. Start here to find a project name.",
  scope: "read",
  input: noArgs,
  output: z.object({ result: z.array(z.string()) }),
  annotations: READ,
  run: async (_args, t) => ({ result: (await listProjects(t.s.db, t.principal.projects)).map((p) => p.name) }),
});

export const getRunsForProject = defineTool({
  name: "get_runs_for_project",
  title: "List a project's runs",
  description:
    "List a project's runs, oldest first, as {id, name, created_at}. Names may repeat (a name refers to the newest run with it); use the id to address an older one. For configs and results side by side, use compare_runs.",
  scope: "read",
  input: z.strictObject({ project: projectArg }),
  output: z.object({ result: z.array(TrackioRunRef) }),
  annotations: READ,
  run: async ({ project }, t) => {
    const runs = await listProjectRuns(t.s, await knownProject(t, project), ListRunsQuery.parse({}));
    return { result: runs.map((r) => ({ id: r.id, name: r.name, created_at: r.created_at })) };
  },
});

export const getProjectSummary = defineTool({
  name: "get_project_summary",
  title: "Summarise a project",
  description:
    "Summarise a project: its number of runs, each run's {id, name, created_at}, last_activity (when any run last logged, ISO-8601) and last_step (the highest step any run has logged); both null without logs.",
  scope: "read",
  input: z.strictObject({ project: projectArg }),
  output: TrackioProjectSummary,
  annotations: READ,
  run: async ({ project }, t) => toTrackioProjectSummary(await projectSummary(t.s, await knownProject(t, project))),
});

export const getSettings = defineTool({
  name: "get_settings",
  title: "Read dashboard settings",
  description: "Read the server's dashboard settings as Trackio reports them: logo URLs, the color palette runs are drawn with, plot order and table truncation length.",
  scope: "read",
  input: noArgs,
  output: TrackioSettings,
  annotations: READ,
  run: async (_args, t) => (await viaTrackio(trackioGetSettings, t, {})) as z.infer<typeof TrackioSettings>,
});
