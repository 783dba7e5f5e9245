import { CreateKey } from "../contract";
import { forgetAcceptedKey } from "../auth/accepted";
import { requireAdmin } from "../auth/middleware";
import { listKeys, revokeKey } from "../db/keys";
import { createRouter } from "../env";
import { notFound } from "../errors";
import { svc } from "../services/context";
import { createKey } from "../services/keys";
import { valid } from "../validate";

export const keys = createRouter()
  .use(requireAdmin)
  .post("/", valid("json", CreateKey), async (c) => c.json(await createKey(svc(c.env), c.req.valid("json")), 201))
  .get("/", async (c) => c.json({ keys: await listKeys(svc(c.env).db) }))
  .delete("/:id", async (c) => {
    const revoked = await revokeKey(svc(c.env).db, c.req.param("id"));
    if (!revoked) throw notFound(`Key '${c.req.param("id")}' not found`);
    forgetAcceptedKey(revoked.id);
    return c.json(revoked);
  });
