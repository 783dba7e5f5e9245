import { z } from "zod";
import { ApiError } from "../../errors";
import { listProjects, findProject } from "../../db/projects";
import { projectHasMedia } from "../../db/media";
import { projectHasSystemMetrics } from "../../db/system-metrics";
import { projectHasNumericMetrics } from "../../db/trackio";
import { alertCountsFor } from "../../services/alerts";
import { projectSummary } from "../../services/projects";
import { listProjectRuns } from "../../services/runs";
import { endpoint, Project, type Ctx } from "../endpoint";
import { MEDIA_DIR } from "../files";
import { canRead, hasLogs } from "../identity";
import { wireMetrics } from "../values";

/** A project that does not exist (or that the key may not see) reads as empty, as in Trackio. */
async function orEmpty<T>(fn: () => Promise<T>, empty: T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ApiError && err.code === "not_found") return empty;
    throw err;
  }
}

async function listedRuns(ctx: Ctx, project: string) {
  if (!canRead(ctx, project)) return [];
  const runs = await orEmpty(() => listProjectRuns(ctx.s, project, { config: [] }), []);
  return runs.filter(hasLogs);
}

export const getAllProjects = endpoint({
  params: [],
  required: [],
  access: "read",
  args: z.object({}),
  run: async (ctx) => (await listProjects(ctx.s.db, ctx.caller!.projects)).map((p) => p.name),
});

/** Oldest first, one entry per run id (names may repeat). */
export const getRunsForProject = endpoint({
  params: ["project"],
  required: ["project"],
  access: "read",
  args: z.object({ project: Project }),
  run: async (ctx, a) => (await listedRuns(ctx, a.project)).map((r) => ({ id: r.id, name: r.name, created_at: r.created_at })),
});

export const getProjectSummary = endpoint({
  params: ["project"],
  required: ["project"],
  access: "read",
  args: z.object({ project: Project }),
  run: async (ctx, a) => {
    const empty = { project: a.project, num_runs: 0, runs: [], last_activity: null };
    if (!canRead(ctx, a.project)) return empty;
    const summary = await orEmpty(() => projectSummary(ctx.s, a.project), null);
    const runs = summary?.runs.filter(hasLogs) ?? [];
    if (!runs.length) return empty;
    // Trackio's `last_activity` is the highest step any run has logged, not a time.
    return {
      project: a.project,
      num_runs: runs.length,
      runs: runs.map((r) => ({ id: r.id, name: r.name, created_at: r.created_at })),
      last_activity: Math.max(...runs.map((r) => r.last_step!)),
    };
  },
});

/** `{run_id: config}` for every listed run that has a config. */
export const getRunConfigs = endpoint({
  params: ["project"],
  required: ["project"],
  access: "read",
  args: z.object({ project: Project }),
  run: async (ctx, a) => {
    const out: Record<string, unknown> = {};
    for (const r of await listedRuns(ctx, a.project)) if (Object.keys(r.config).length) out[r.id] = wireMetrics(r.config);
    return out;
  },
});

const DEFAULT_COLOR_PALETTE = ["#A8769B", "#E89957", "#3B82F6", "#10B981", "#EF4444", "#8B5CF6", "#14B8A6", "#F59E0B", "#EC4899", "#06B6D4"];

/** Trackio's dashboard settings, with its defaults; no logos, and a media dir that only names `/file`'s files. */
export const getSettings = endpoint({
  params: [],
  required: [],
  access: "read",
  args: z.object({}),
  run: async () => ({
    logo_urls: { light: null, dark: null },
    color_palette: DEFAULT_COLOR_PALETTE,
    plot_order: [],
    table_truncate_length: 250,
    media_dir: MEDIA_DIR,
    space_id: null,
  }),
});

export const getTabAvailability = endpoint({
  params: ["project"],
  required: ["project"],
  access: "read",
  args: z.object({ project: Project }),
  run: async (ctx, a) => {
    const flags = { metrics: false, system: false, traces: false, media: false, reports: false, files: false, artifacts: false };
    if (!canRead(ctx, a.project) || !(await findProject(ctx.s.db, a.project))) return flags;
    const [metrics, system, media, alerts] = await Promise.all([
      projectHasNumericMetrics(ctx.s.db, a.project),
      projectHasSystemMetrics(ctx.s.db, a.project),
      projectHasMedia(ctx.s.db, a.project),
      alertCountsFor(ctx.s.env, a.project),
    ]);
    // Trackio's "reports" tab also shows alerts.
    return { ...flags, metrics, system, media, reports: alerts.info + alerts.warn + alerts.error > 0 };
  },
});
