import { CreateWebhook, DeliveryQuery, ProjectName, type DeliveryList, type WebhookList } from "../contract";
import { projectAccess } from "../auth/middleware";
import { createRouter } from "../env";
import { svc } from "../services/context";
import { parseOrThrow, valid } from "../validate";
import { createWebhook, listProjectWebhooks, projectDeliveries, removeWebhook, rotateSecret } from "../services/webhooks";

// Subscriptions hold a signing secret and (for Slack and Discord) a URL that is itself a credential,
// so managing them needs write scope; the delivery log is readable with read scope.
const read = projectAccess("read");
const write = projectAccess("write");

/** Mounted at /v1/projects/:project/webhooks. */
export const webhooks = createRouter()
  .post("/", write, valid("json", CreateWebhook), async (c) => {
    const project = parseOrThrow(ProjectName, c.req.param("project"), "path");
    return c.json(await createWebhook(svc(c.env, c.var.principal), project, c.req.valid("json")), 201);
  })
  .get("/", write, async (c) => c.json({ webhooks: await listProjectWebhooks(svc(c.env, c.var.principal), c.req.param("project")!) } satisfies WebhookList))
  .get("/deliveries", read, valid("query", DeliveryQuery), async (c) =>
    c.json({ deliveries: await projectDeliveries(svc(c.env, c.var.principal), c.req.param("project")!, c.req.valid("query")) } satisfies DeliveryList))
  .delete("/:id", write, async (c) => c.json(await removeWebhook(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("id"))))
  .post("/:id/rotate-secret", write, async (c) => c.json(await rotateSecret(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("id"))));
