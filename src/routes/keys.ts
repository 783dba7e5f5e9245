import { CreateKey } from "../contract";
import { forgetAcceptedKey } from "../auth/accepted";
import { requireAdmin } from "../auth/middleware";
import { listKeys } from "../db/keys";
import { createRouter } from "../env";
import { notFound } from "../errors";
import { svc } from "../services/context";
import { createKey, revokeApiKey } from "../services/keys";
import { valid } from "../validate";

export const keys = createRouter()
  .use(requireAdmin)
  .post("/", valid("json", CreateKey), async (c) => c.json(await createKey(svc(c.env, c.var.principal), c.req.valid("json")), 201))
  .get("/", async (c) => c.json({ keys: await listKeys(svc(c.env, c.var.principal).db) }))
  .delete("/:id", async (c) => {
    const revoked = await revokeApiKey(svc(c.env, c.var.principal), c.req.param("id"));
    // Never echo the segment: a key pasted where its id belongs would come back in the answer.
    if (!revoked) throw notFound("Key not found");
    forgetAcceptedKey(revoked.id);
    return c.json(revoked);
  });
