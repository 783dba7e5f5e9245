/**
 * The Worker: wires the routers, the queue consumer and the Durable Object class together.
 * @module
 */
import { requireAuth } from "./auth/middleware";
import { limitBody } from "./body-limit";
import { MAX_BODY_BYTES } from "./contract/logs";
import { createRouter } from "./env";
import { onError, onNotFound } from "./errors";
import { mcp } from "./mcp/route";
import { alertCounts } from "./routes/alert-counts";
import { alerts } from "./routes/alerts";
import { audit } from "./routes/audit";
import { compare } from "./routes/compare";
import { keys } from "./routes/keys";
import { media } from "./routes/media";
import { projects } from "./routes/projects";
import { rules } from "./routes/rules";
import { runControl } from "./routes/run-control";
import { withRoundTripCounts } from "./round-trips/count";
import { runs } from "./routes/runs";
import { settings } from "./routes/settings";
import { trackio } from "./trackio/routes";
import { webhooks } from "./routes/webhooks";
import { handleDeadLetters } from "./webhooks/dlq";
import { handleWebhookBatch } from "./webhooks/consumer";
import { DEAD_LETTER_QUEUE_NAME } from "./webhooks/job";

export { ProjectAlerts } from "./project-object/project-alerts";

const v1 = createRouter()
  .use(requireAuth)
  // Before the body limit: media uploads read their own, larger one.
  .route("/projects/:project", media)
  .use(limitBody(MAX_BODY_BYTES))
  .route("/keys", keys)
  .route("/projects", projects)
  .route("/projects/:project", runs)
  .route("/projects/:project", runControl)
  .route("/audit", audit)
  .route("/projects/:project/alerts", alerts)
  .route("/projects/:project/alert-counts", alertCounts)
  .route("/projects/:project/compare", compare)
  .route("/projects/:project/webhooks", webhooks)
  .route("/projects/:project/rules", rules)
  .route("/projects/:project/settings", settings);

export const app = createRouter()
  .get("/health", (c) => c.json({ ok: true }))
  .route("/v1", v1)
  .route("/mcp", mcp)
  .route("/mcp/", mcp)
  // Trackio's protocol (/version, /api/:name) authenticates each call itself.
  .route("/", trackio);

app.onError(onError);
app.notFound(onNotFound);

export default {
  fetch: withRoundTripCounts(app.fetch),
  // One handler for both queues of wrangler.toml: deliveries, and the dead letters of their last retry.
  queue: (batch, env) => (batch.queue === DEAD_LETTER_QUEUE_NAME ? handleDeadLetters(batch, env) : handleWebhookBatch(batch, env)),
} satisfies ExportedHandler<Env>;
