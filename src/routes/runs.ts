import { AppendSystemMetrics, CreateRun, FinishRun, ListRunsQuery, MetricQuery, ProjectName, RenameRun, SeriesQuery, SnapshotQuery } from "../contract";
import { projectAccess } from "../auth/middleware";
import { createRouter } from "../env";
import { svc } from "../services/context";
import { appendLogsTo } from "../services/logs";
import { appendSystemMetrics } from "../services/system-metrics";
import { metricNames, metricValues, series, snapshot } from "../services/metrics";
import { createOrResumeRun, deleteRun, finishRun, listProjectRuns, renameRun, runSummary } from "../services/runs";
import { parseOrThrow, valid, validLogs } from "../validate";

const read = projectAccess("read");
const write = projectAccess("write");

/** Mounted at /v1/projects/:project. */
export const runs = createRouter()
  .post("/runs", write, valid("json", CreateRun), async (c) => {
    const project = parseOrThrow(ProjectName, c.req.param("project"), "path");
    const run = await createOrResumeRun(svc(c.env, c.var.principal), project, c.req.valid("json"));
    return c.json(run, run.resumed ? 200 : 201);
  })
  .get("/runs", read, valid("query", ListRunsQuery), async (c) => {
    const project = c.req.param("project")!;
    // Repeated `config=` parameters arrive as a list only through queries().
    const q = c.req.valid("query");
    const config = c.req.queries("config") ?? [];
    return c.json({ project, runs: await listProjectRuns(svc(c.env, c.var.principal), project, { ...q, config: config.length ? config : q.config }) });
  })
  .get("/runs/:run", read, async (c) => c.json(await runSummary(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("run"))))
  .patch("/runs/:run", write, valid("json", RenameRun), async (c) =>
    c.json(await renameRun(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("run"), c.req.valid("json").name)))
  .post("/runs/:run/finish", write, valid("json", FinishRun), async (c) =>
    c.json(await finishRun(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("run"), c.req.valid("json"))))
  .delete("/runs/:run", write, async (c) => c.json(await deleteRun(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("run"))))
  .post("/runs/:run/logs", write, validLogs, async (c) =>
    c.json(await appendLogsTo(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("run"), c.req.valid("json"))))
  .post("/runs/:run/system", write, valid("json", AppendSystemMetrics), async (c) =>
    c.json(await appendSystemMetrics(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("run"), c.req.valid("json"))))
  .get("/runs/:run/metrics", read, async (c) => c.json(await metricNames(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("run"))))
  // Metric names may contain '/', so the rest of the path is the name.
  .get("/runs/:run/metrics/:metric{.+}", read, valid("query", MetricQuery), async (c) =>
    c.json(await metricValues(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("run"), c.req.param("metric"), c.req.valid("query"))))
  .get("/runs/:run/snapshot", read, valid("query", SnapshotQuery), async (c) =>
    c.json(await snapshot(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("run"), c.req.valid("query"))))
  .get("/series", read, valid("query", SeriesQuery), async (c) => c.json(await series(svc(c.env, c.var.principal), c.req.param("project")!, c.req.valid("query"))));
