import { z } from "zod";
import { AlertFilters, AlertQuery, CreateAlert, CreateAlertBatch, MAX_BODY_BYTES, ProjectName, WaitQuery, type CreatedAlerts } from "../contract";
import { projectAccess } from "../auth/middleware";
import { canSeeProject, projectNotFound, requireScope } from "../auth/principal";
import { limitBody } from "../body-limit";
import { createRouter } from "../env";
import { badRequest } from "../errors";
import { createAlerts, emptyAlertPage, hiddenWait, queryAlerts, subscribeAlerts, waitForAlerts } from "../services/alerts";
import { svc } from "../services/context";
import { projectExists } from "../services/known-projects";
import { parseOrThrow, valid } from "../validate";

/** `{alerts:[...]}` or one alert; chosen by shape, so errors name the field of the right form. */
const isBatch = (body: unknown) => typeof body === "object" && body !== null && !Array.isArray(body) && "alerts" in body;

/** Mounted at /v1/projects/:project/alerts. */
export const alerts = createRouter()
  .post("/", projectAccess("write"), limitBody(MAX_BODY_BYTES), valid("json", z.unknown()), async (c) => {
    const project = parseOrThrow(ProjectName, c.req.param("project"), "path");
    const body = c.req.valid("json");
    const inputs = isBatch(body) ? parseOrThrow(CreateAlertBatch, body).alerts : [parseOrThrow(CreateAlert, body)];
    const created = await createAlerts(svc(c.env, c.var.principal), project, inputs, {
      fieldPrefix: isBatch(body) ? (i) => `alerts.${i}.` : () => "",
    });
    return c.json({ alerts: created } satisfies CreatedAlerts, 201);
  })
  // Query parameters are checked first: a malformed one is a 400 whatever the project.
  .get(
    "/",
    valid("query", AlertQuery),
    projectAccess("read", { onHidden: (c) => c.json(emptyAlertPage()) }),
    async (c) => c.json(await queryAlerts(svc(c.env, c.var.principal), c.req.param("project")!, c.req.valid("query"))),
  )
  .get("/wait", valid("query", WaitQuery), async (c) => {
    const project = c.req.param("project")!;
    const q = c.req.valid("query");
    // A project the key may not see waits like a missing one, then answers empty.
    if (!canSeeProject(c.var.principal, project)) return c.json(await hiddenWait(q));
    requireScope(c.var.principal, "read");
    return c.json(await waitForAlerts(svc(c.env, c.var.principal), project, q));
  })
  // Every check happens before the upgrade, so a refused client gets a status, not a socket.
  .get("/ws", projectAccess("read"), valid("query", AlertFilters), async (c) => {
    const project = c.req.param("project")!;
    const s = svc(c.env, c.var.principal);
    if (!(await projectExists(s, project))) throw projectNotFound(project);
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw badRequest("Expected a WebSocket upgrade (Upgrade: websocket)");
    const offered = (c.req.header("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim());
    return subscribeAlerts(s, project, c.req.valid("query"), offered.includes("bearer"));
  });
