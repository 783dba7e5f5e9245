import { ListMediaQuery, UploadMediaQuery } from "../contract";
import { projectAccess } from "../auth/middleware";
import { createRouter } from "../env";
import { serveMedia } from "../media/serve";
import { svc } from "../services/context";
import { listMedia, mediaByPath, richRunValues, uploadRunMedia } from "../services/media";
import { valid } from "../validate";

const read = projectAccess("read");
const write = projectAccess("write");

/**
 * Mounted at /v1/projects/:project, ahead of the API's 8 MB body limit: an upload's body is the
 * file itself, up to 50 MB, read with its own limit.
 */
export const media = createRouter()
  .post("/runs/:run/media", write, valid("query", UploadMediaQuery), async (c) => {
    const length = c.req.header("content-length");
    const ref = await uploadRunMedia(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("run"), c.req.valid("query"), c.req.header("content-type"), c.req.raw.body, length ? Number(length) : null);
    return c.json(ref, 201);
  })
  .get("/runs/:run/media/values", read, async (c) => c.json(await richRunValues(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("run"))))
  .get("/runs/:run/media", read, valid("query", ListMediaQuery), async (c) => c.json(await listMedia(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("run"), c.req.valid("query"))))
  // A reference's file_path as it is (it holds '/'): GET /v1/projects/p/media/p/<run>/<step>/<file>.
  .on(["GET", "HEAD"], "/media/:path{.+}", read, async (c) => {
    const row = await mediaByPath(svc(c.env, c.var.principal), c.req.param("project")!, c.req.param("path"));
    return serveMedia(c.env.MEDIA, row, c.req.raw);
  });
