import { CompareArgs } from "../contract";
import { projectAccess } from "../auth/middleware";
import { createRouter } from "../env";
import { compareRuns } from "../services/compare";
import { svc } from "../services/context";
import { requireProject } from "../services/run-refs";
import { parseOrThrow } from "../validate";

/** `name:min` → ["name", "min"]; split at the last ':' since metric names may hold one. */
function parseModes(values: string[] | undefined) {
  if (!values?.length) return undefined;
  return Object.fromEntries(values.map((v) => (v.includes(":") ? [v.slice(0, v.lastIndexOf(":")), v.slice(v.lastIndexOf(":") + 1)] : [v, ""])));
}

/** Mounted at /v1/projects/:project/compare: `?runs=a&runs=b&metrics=val_loss&mode=auto&modes=bleu:max&group=g`. */
export const compare = createRouter().get("/", projectAccess("read"), async (c) => {
  const project = c.req.param("project")!;
  const args = parseOrThrow(
    CompareArgs,
    { runs: c.req.queries("runs"), metrics: c.req.queries("metrics"), group: c.req.query("group"), mode: c.req.query("mode"), modes: parseModes(c.req.queries("modes")) },
    "query",
  );
  const s = svc(c.env, c.var.principal);
  await requireProject(s, project);
  return c.json(await compareRuns(s, project, args));
});
