/**
 * The Worker: wires the routers, the queue consumer and the Durable Object class together.
 * @module
 */
import { requireAuth } from "./auth/middleware";
import { createRouter } from "./env";
import { onError, onNotFound } from "./errors";
import { mcp } from "./mcp/route";
import { alerts } from "./routes/alerts";
import { keys } from "./routes/keys";
import { projects } from "./routes/projects";
import { runs } from "./routes/runs";

export { ProjectAlerts } from "./alerts/project-alerts";

const v1 = createRouter()
  .use(requireAuth)
  .route("/keys", keys)
  .route("/projects", projects)
  .route("/projects/:project", runs)
  .route("/projects/:project/alerts", alerts);

export const app = createRouter()
  .get("/health", (c) => c.json({ ok: true }))
  .route("/v1", v1)
  .route("/mcp", mcp)
  .route("/mcp/", mcp);

app.onError(onError);
app.notFound(onNotFound);

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
