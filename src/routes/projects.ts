import { projectAccess } from "../auth/middleware";
import { listProjects } from "../db/projects";
import { createRouter } from "../env";
import { svc } from "../services/context";
import { projectSummary } from "../services/projects";

export const projects = createRouter()
  .get("/", async (c) => c.json({ projects: await listProjects(svc(c.env, c.var.principal).db, c.var.principal.projects) }))
  .get("/:project", projectAccess("read"), async (c) => c.json(await projectSummary(svc(c.env, c.var.principal), c.req.param("project"))));
