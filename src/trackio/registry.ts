import type { Endpoint } from "./endpoint";
import { getAlerts } from "./endpoints/alerts";
import { getMetricValues, getLogs, getSnapshot } from "./endpoints/metrics";
import { getAllProjects, getProjectSummary, getRunConfigs, getRunsForProject, getSettings, getTabAvailability } from "./endpoints/projects";
import { deleteRunEndpoint, getMetricsForRun, getRunSummary, renameRunEndpoint } from "./endpoints/runs";
import { getSystemLogs, getSystemMetricsForRun } from "./endpoints/system";
import { bulkUploadMedia } from "./endpoints/media";
import { bulkAlert, bulkLog, bulkLogSystem, log } from "./endpoints/writes";

/**
 * The `/api/<name>` endpoints Trackflare answers: the writes of Trackio's client, the reads of its
 * CLI (remote mode), MCP tools and dashboard, and run mutations. Any other name is
 * `404 {"error": "Unknown API: <name>"}`, which Trackio's client reports as unsupported.
 */
export const ENDPOINTS: Record<string, Endpoint> = {
  bulk_log: bulkLog,
  log,
  bulk_log_system: bulkLogSystem,
  bulk_alert: bulkAlert,
  bulk_upload_media: bulkUploadMedia,
  get_all_projects: getAllProjects,
  get_runs_for_project: getRunsForProject,
  get_project_summary: getProjectSummary,
  get_run_summary: getRunSummary,
  get_run_configs: getRunConfigs,
  get_metrics_for_run: getMetricsForRun,
  get_metric_values: getMetricValues,
  get_snapshot: getSnapshot,
  get_logs: getLogs,
  get_system_metrics_for_run: getSystemMetricsForRun,
  get_system_logs: getSystemLogs,
  get_alerts: getAlerts,
  get_settings: getSettings,
  get_tab_availability: getTabAvailability,
  delete_run: deleteRunEndpoint,
  rename_run: renameRunEndpoint,
};
