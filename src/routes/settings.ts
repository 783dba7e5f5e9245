import { PatchProjectSettings, ProjectName } from "../contract";
import { projectAccess } from "../auth/middleware";
import { createRouter } from "../env";
import { svc } from "../services/context";
import { patchProjectSettings, projectSettings } from "../services/rules";
import { parseOrThrow, valid } from "../validate";

/** Mounted at /v1/projects/:project/settings: the built-in detectors (non-finite, stale) and stale_after. */
export const settings = createRouter()
  .get("/", projectAccess("read"), async (c) => c.json(await projectSettings(svc(c.env, c.var.principal), c.req.param("project")!)))
  .patch("/", projectAccess("write"), valid("json", PatchProjectSettings), async (c) => {
    const project = parseOrThrow(ProjectName, c.req.param("project"), "path");
    return c.json(await patchProjectSettings(svc(c.env, c.var.principal), project, c.req.valid("json")));
  });
