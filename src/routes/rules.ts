import { CreateRule, ProjectName, type RuleList } from "../contract";
import { projectAccess } from "../auth/middleware";
import { createRouter } from "../env";
import { svc } from "../services/context";
import { addRule, getRuleOr404, listRules, removeRule } from "../services/rules";
import { parseOrThrow, valid } from "../validate";

/** Mounted at /v1/projects/:project/rules. */
export const rules = createRouter()
  .post("/", projectAccess("write"), valid("json", CreateRule), async (c) => {
    const project = parseOrThrow(ProjectName, c.req.param("project"), "path");
    const { rule, created } = await addRule(svc(c.env, c.var.principal), project, c.req.valid("json"));
    return c.json(rule, created ? 201 : 200);
  })
  .get("/", projectAccess("read"), async (c) => c.json({ rules: await listRules(svc(c.env, c.var.principal), c.req.param("project")!) } satisfies RuleList))
  .get("/:id", projectAccess("read"), async (c) => c.json(await getRuleOr404(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("id"))))
  .delete("/:id", projectAccess("write"), async (c) => c.json(await removeRule(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("id"))));
