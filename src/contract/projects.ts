import { z } from "zod";
import { AlertCounts } from "./common";
import { RunStatus } from "./runs";

export const ProjectInfo = z.object({
  name: z.string(),
  created_at: z.string(),
  num_runs: z.number().int(),
  last_activity: z.string().nullable(),
});
export type ProjectInfo = z.infer<typeof ProjectInfo>;

export const ProjectList = z.object({ projects: z.array(ProjectInfo) });
export type ProjectList = z.infer<typeof ProjectList>;

export const ProjectSummary = z.object({
  project: z.string(),
  num_runs: z.number().int(),
  runs: z.array(z.object({ id: z.string(), name: z.string(), status: RunStatus, created_at: z.string(), last_step: z.number().int().nullable() })),
  /** The highest step logged by any run, as Trackio's `last_activity`. */
  last_step: z.number().int().nullable(),
  last_activity: z.string().nullable(),
  alert_counts: AlertCounts,
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;
