import { z } from "zod";
import { IsoTimestamp, LooseAlertLevel, MAX_LOG_ENTRIES, Metrics, Step, StoredConfig, StoredName, CreateAlert } from "../../contract";
import { findNewestRunByName } from "../../db/runs";
import { insertSystemRows } from "../../db/system-metrics";
import { createAlerts } from "../../services/alerts";
import { appendLogsToRunId, appendLogsToRuns, type RunWrite } from "../../services/logs";
import { systemRows } from "../../services/system-metrics";
import { requireWriter } from "../auth";
import { bulkLogChecker } from "../check-bulk-log";
import { endpoint, Project, type Ctx } from "../endpoint";
import { forgetRunId, knownRunId, mapRunId, plannedRun, rememberRunId, runForWrite } from "../identity";

// Trackio's writes return `null`; every batch is validated whole before anything is stored.

const RunName = StoredName("run", { dots: "whole" });
const ClientRunId = z.string({ error: "run_id must be a string or null" }).min(1).max(256).nullish();
const LogId = z.string({ error: "log_id must be a string or null" }).min(1).max(128).nullish();
// Trackio's SDK adds `_Username`, `_Created` and `_Group`, so `_` keys are kept here.
const Config = StoredConfig.nullish();

const LogEntry = z.object({ project: Project, run: RunName, run_id: ClientRunId, metrics: Metrics, step: Step.nullish(), config: Config, log_id: LogId });
const SystemEntry = z.object({ project: Project, run: RunName, run_id: ClientRunId, metrics: Metrics, timestamp: IsoTimestamp.nullish(), log_id: LogId });
const AlertEntry = z.object({
  project: Project,
  run: RunName,
  run_id: ClientRunId,
  title: CreateAlert.shape.title,
  text: CreateAlert.shape.text,
  // Trackio's client sends the enum's value; any case of info/warn/error is accepted.
  level: LooseAlertLevel.nullish(),
  step: Step.nullish(),
  timestamp: IsoTimestamp.nullish(),
  alert_id: z.string().min(1).max(128).nullish(),
});
const ALERTS_PER_CALL = 1000;
/** Entries per call; the 8 MB body limit binds first for all but tiny entries. */
const MAX_ENTRIES = 100_000;
const batch = <T extends z.ZodType>(entry: T, name: string) =>
  z.array(entry, { error: `${name} must be a list` }).max(MAX_ENTRIES, `${name} may hold at most ${MAX_ENTRIES} entries`);

/** `bulk_log`'s bound arguments (src/trackio/check-bulk-log.ts reads its limits). */
export const BulkLogArgs = z.object({ logs: batch(LogEntry, "logs") });
export const BULK_LOG_CHECK = bulkLogChecker(BulkLogArgs, Project);

/** Entries grouped by (project, run, run_id) in order of first appearance, as Trackio's server groups them. */
function groupByRun<T extends { project: string; run: string; run_id?: string | null }>(entries: T[]) {
  const groups = new Map<string, { project: string; run: string; clientId: string; entries: T[]; at: number[] }>();
  entries.forEach((e, i) => {
    const key = `${e.project}\u0000${e.run}\u0000${e.run_id ?? ""}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { project: e.project, run: e.run, clientId: e.run_id ?? e.run, entries: [], at: [] }));
    g.entries.push(e);
    g.at.push(i);
  });
  return [...groups.values()];
}

const projectsOf = (entries: { project: string }[]) => new Set(entries.map((e) => e.project));

/**
 * Every run the request writes to, created or not, is stored in one D1 transaction with all its
 * entries, however many (a client replaying rows kept while the server was unreachable may send
 * more than a /v1 batch holds): the request is stored whole or not at all, and a refused one
 * creates no run and no project. A retry skips what was stored (log_id). Metric rows get the
 * server's time, one value per batch: Trackio's LogEntry has no timestamp (a replayed pending
 * entry's is ignored there too).
 */
async function storeLogs(ctx: Ctx, logs: z.output<typeof LogEntry>[]) {
  requireWriter(ctx.caller, projectsOf(logs));
  const groups = groupByRun(logs).map((g) => ({
    ...g,
    // The SDK attaches the config to the first entry after each init; Python's truthiness skips `{}`.
    config: g.entries.find((e) => e.config && Object.keys(e.config).length)?.config ?? null,
    logs: g.entries.map((e) => ({ step: e.step ?? null, metrics: e.metrics, log_id: e.log_id ?? undefined })),
  }));
  // The client's steady state, one run this isolate wrote to, steps given and no config: one D1
  // round trip. Only for a single run, so a write that finds its run gone has written nothing.
  const only = groups.length === 1 ? groups[0] : null;
  const known = only && !only.config && only.logs.length <= MAX_LOG_ENTRIES ? knownRunId(only.project, only.clientId) : null;
  if (only && known) {
    if (await appendLogsToRunId(ctx.s, only.project, known, { logs: only.logs })) return null;
    forgetRunId(only.project, only.clientId);
  }
  const writes: RunWrite[] = [];
  for (const g of groups) {
    const mapped = await mapRunId(ctx, g.project, g.clientId);
    writes.push({ ...plannedRun(ctx, g.project, g.run, g.config, mapped), entries: g.logs, stepField: (i) => `logs.${g.at[i]}.step` });
  }
  await appendLogsToRuns(ctx.s, writes);
  groups.forEach((g, i) => rememberRunId(g.project, g.clientId, writes[i].run.id));
  return null;
}

export const bulkLog = endpoint({
  params: ["logs", "hf_token"],
  required: ["logs"],
  access: "write",
  args: BulkLogArgs,
  fast: BULK_LOG_CHECK.check,
  run: (ctx, a) => storeLogs(ctx, a.logs),
});

/** Trackio's legacy single-row write. */
export const log = endpoint({
  params: ["project", "run", "metrics", "step", "hf_token", "run_id"],
  required: ["project", "run", "metrics"],
  access: "write",
  args: z.object({ project: Project, run: RunName, metrics: Metrics, step: Step.nullish(), run_id: ClientRunId }),
  run: (ctx, a) => storeLogs(ctx, [{ ...a, config: null, log_id: null }]),
});

export const bulkLogSystem = endpoint({
  params: ["logs", "hf_token"],
  required: ["logs"],
  access: "write",
  args: z.object({ logs: batch(SystemEntry, "logs") }),
  run: async (ctx, a) => {
    requireWriter(ctx.caller, projectsOf(a.logs));
    for (const g of groupByRun(a.logs)) {
      const run = await runForWrite(ctx, g.project, g.run, g.clientId, null);
      await insertSystemRows(ctx.s.env.DB, g.project, run.id, systemRows(g.entries, ctx.s.nowUs));
    }
    return null;
  },
});

export const bulkAlert = endpoint({
  params: ["alerts", "hf_token"],
  required: ["alerts"],
  access: "write",
  args: z.object({ alerts: batch(AlertEntry, "alerts") }),
  run: async (ctx, a) => {
    requireWriter(ctx.caller, projectsOf(a.alerts));
    for (const project of projectsOf(a.alerts)) {
      const inputs = [];
      const ids = new Map<string, string>();
      for (const e of a.alerts.filter((x) => x.project === project)) {
        const key = `${e.run_id ?? ""}\u0000${e.run}`;
        const id = ids.get(key) ?? (await alertRunId(ctx, project, e.run, e.run_id));
        ids.set(key, id);
        inputs.push({
          title: e.title,
          text: e.text ?? null,
          level: e.level ?? "warn",
          run: e.run,
          run_id: id,
          step: e.step ?? null,
          // Trackio drops an alert without a timestamp (NOT NULL column, INSERT OR IGNORE); here it gets the server's time.
          timestamp: e.timestamp ?? undefined,
          alert_id: e.alert_id ?? undefined,
        });
      }
      // In slices of the REST batch size; alert_id makes a retried request store nothing twice.
      for (let i = 0; i < inputs.length; i += ALERTS_PER_CALL) {
        await createAlerts(ctx.s, project, inputs.slice(i, i + ALERTS_PER_CALL), { unknownRun: "keep" });
      }
    }
    return null;
  },
});

/**
 * The run id an alert is stored under: the id the run's logs map to, so an alert sent before its
 * run's first log still belongs to it. Without a run_id (not sent by Trackio's client), the
 * newest run with the name, as by-name reads resolve.
 */
async function alertRunId(ctx: Ctx, project: string, run: string, runId: string | null | undefined): Promise<string> {
  if (!runId) {
    const named = await findNewestRunByName(ctx.s.db, project, run);
    if (named) return named.id;
  }
  return (await mapRunId(ctx, project, runId ?? run)).id;
}
