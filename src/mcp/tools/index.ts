import type { ToolDef } from "../tool";
import { getAlerts, waitForAlertsTool } from "./alerts";
import { compareRuns } from "./compare";
import { addNoteTool, diagnoseRunTool, stopRunTool, waitForRunTool } from "./control";
import { getLogsTool, getSystemLogsTool } from "./logs";
import { getMedia } from "./media";
import { getAllProjects, getProjectSummary, getRunsForProject, getSettings } from "./projects";
import { addAlertRule, listAlertRules, removeAlertRule } from "./rules";
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
  getLogsTool,
  getSystemLogsTool,
  getMedia,
  getAlerts,
  waitForAlertsTool,
  waitForRunTool,
  diagnoseRunTool,
  compareRuns,
  getSettings,
  listAlertRules,
  logAlert,
  finishRunTool,
  stopRunTool,
  addNoteTool,
  renameRunTool,
  deleteRunTool,
  addAlertRule,
  removeAlertRule,
];
