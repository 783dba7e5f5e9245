import type { ToolDef } from "../tool";
import { getAlerts, waitForAlertsTool } from "./alerts";
import { compareRuns } from "./compare";
import { getAllProjects, getProjectSummary, getRunsForProject } from "./projects";
import { getMetricsForRun, getMetricValues, getRunSummary, getSnapshot } from "./runs";
import { deleteRunTool, finishRunTool, logAlert, renameRunTool } from "./write";

/** Every tool, in the order `tools/list` shows them: reads first, then the write tools. */
export const TOOLS: ToolDef[] = [
  getAllProjects,
  getRunsForProject,
  getProjectSummary,
  getRunSummary,
  getMetricsForRun,
  getMetricValues,
  getSnapshot,
  getAlerts,
  waitForAlertsTool,
  compareRuns,
  logAlert,
  finishRunTool,
  renameRunTool,
  deleteRunTool,
];
