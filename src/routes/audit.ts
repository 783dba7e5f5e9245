import { AuditQuery } from "../contract";
import { createRouter } from "../env";
import { readAudit } from "../services/audit";
import { svc } from "../services/context";
import { valid } from "../validate";

/** Mounted at /v1/audit: admin keys read all of it, write keys their projects' entries, read keys nothing (403). */
export const audit = createRouter().get("/", valid("query", AuditQuery), async (c) =>
  c.json(await readAudit(svc(c.env, c.var.principal), c.var.principal, c.req.valid("query"))));
