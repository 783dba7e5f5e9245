import type { Context } from "hono";
import { MAX_MEDIA_BYTES, MEDIA_TYPES, allowedContentType, contentTypeForName } from "../contract";
import { canSeeProject } from "../auth/principal";
import { principalOf } from "../auth/middleware";
import { findMediaByPath } from "../db/media";
import { createRouter, type AppEnv } from "../env";
import { ApiError } from "../errors";
import { notFoundText, serveMedia } from "../media/serve";
import { readLimited } from "../media/storage";
import { svc } from "../services/context";
import { stageUpload, sweepStaged } from "../services/media";
import { requireWriter } from "./auth";
import { TrackioError, toTrackioError } from "./errors";

/**
 * Where Trackio's dashboard finds media: `get_settings` answers this `media_dir`, and the
 * dashboard asks for `/file?path=<media_dir>/<file_path>`. It is a name, not a directory of the
 * host: `/file` serves only files stored in R2 under a path it knows.
 */
export const MEDIA_DIR = "/trackflare/media";

const UPLOAD_DENIED =
  "A write_token is required to upload files to this server. Use the write-access URL from trackio.show(), set TRACKIO_WRITE_TOKEN, or send header X-Trackio-Write-Token.";

/** One upload request holds the files of one flush; multipart framing needs a little room. */
const MAX_UPLOAD_REQUEST = MAX_MEDIA_BYTES + 64 * 1024;

const tooLargeUpload = () => new TrackioError(413, `Invalid files: larger than ${MAX_MEDIA_BYTES} bytes (50 MB), the largest upload stored`);
const fail = (c: Context<AppEnv>, err: TrackioError) => c.json({ error: err.message }, err.status);

/** The stored file path a `/file?path=` names, or null for anything outside the media dir or not a plain relative path. */
export function mediaPathOf(path: string | undefined): string | null {
  if (!path?.startsWith(`${MEDIA_DIR}/`)) return null;
  const rest = path.slice(MEDIA_DIR.length + 1);
  // No encoded or backslashed tricks, no empty, `.` or `..` segments: a plain relative path or nothing.
  if (/[\\%\u0000-\u001f]/.test(rest)) return null;
  const parts = rest.split("/");
  if (parts.length < 2 || parts.some((p) => p === "" || p === "." || p === "..")) return null;
  return rest;
}

async function partsOf(c: Context<AppEnv>): Promise<File[]> {
  const type = c.req.header("content-type") ?? "";
  if (!/^multipart\/form-data/i.test(type)) throw new TrackioError(400, "Invalid files: the body must be multipart/form-data with the files in field 'files'");
  if (Number(c.req.header("content-length") ?? 0) > MAX_UPLOAD_REQUEST) throw tooLargeUpload();
  let bytes: Uint8Array;
  try {
    bytes = await readLimited(c.req.raw.body, MAX_UPLOAD_REQUEST, "files");
  } catch (err) {
    if (err instanceof ApiError && err.code === "payload_too_large") throw tooLargeUpload();
    throw err;
  }
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { "content-type": type } }).formData();
  } catch {
    throw new TrackioError(400, "Invalid files: the body is not valid multipart/form-data");
  }
  // workers-types declares getAll() as string[]; file parts are File objects at run time.
  const files = (form.getAll("files") as unknown as (File | string)[]).filter((f): f is File => typeof f !== "string");
  if (!files.length) throw new TrackioError(400, "Invalid files: no file in field 'files'");
  return files;
}

/**
 * Trackio's file transport: `POST /api/upload` stages files for `bulk_upload_media`, and
 * `GET /file` serves stored media to its dashboard (a read key; anything but a stored media
 * path is `404 Not found`, never a file of the host).
 */
export const files = createRouter()
  .post("/api/upload", async (c) => {
    try {
      const caller = requireWriter(await principalOf(c), [], UPLOAD_DENIED);
      const parts = await partsOf(c);
      const staged = [];
      for (const f of parts) {
        if (f.size > MAX_MEDIA_BYTES) throw new TrackioError(413, `Invalid files: '${f.name.slice(0, 80)}' is larger than ${MAX_MEDIA_BYTES} bytes (50 MB)`);
        const type = allowedContentType(f.type) ?? contentTypeForName(f.name);
        if (!type) throw new TrackioError(400, `Invalid files: '${f.name.slice(0, 80)}' is not a stored media type (${Object.keys(MEDIA_TYPES).join(", ")})`);
        staged.push({ bytes: new Uint8Array(await f.arrayBuffer()), contentType: type, ext: MEDIA_TYPES[type].ext });
      }
      const s = svc(c.env);
      const paths = [];
      for (const f of staged) paths.push(await stageUpload(s, caller.keyId, f));
      await sweepStaged(s);
      return c.json({ paths });
    } catch (err) {
      const known = toTrackioError(err);
      if (known) return fail(c, known);
      console.error("trackio upload", err);
      return fail(c, new TrackioError(500, "Internal error"));
    }
  })
  .on(["GET", "HEAD"], "/file", async (c) => {
    const caller = await principalOf(c);
    if (!caller) return c.text("A Trackflare API key is required to read files", 401);
    const filePath = mediaPathOf(c.req.query("path"));
    if (!filePath) return notFoundText();
    const project = filePath.slice(0, filePath.indexOf("/"));
    if (!canSeeProject(caller, project)) return notFoundText();
    const row = await findMediaByPath(svc(c.env).db, project, filePath);
    return row ? serveMedia(c.env.MEDIA, row, c.req.raw) : notFoundText();
  });
