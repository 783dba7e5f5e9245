import { projectAccess } from "../auth/middleware";
import { createRouter } from "../env";
import { svc } from "../services/context";
import { runAlertCounts } from "../services/alerts";

/** Mounted at /v1/projects/:project/alert-counts: `{runs: {<run id>: {info, warn, error}}}`. */
export const alertCounts = createRouter().get("/", projectAccess("read"), async (c) => c.json({ runs: await runAlertCounts(svc(c.env, c.var.principal), c.req.param("project")!) }));
