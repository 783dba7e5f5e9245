import { z } from "zod";
import { MAX_MEDIA_BYTES, MEDIA_TYPES, MEDIA_VALUE_TYPES, allowedContentType, formatTimestamp, ListMediaQuery, MAX_RICH_VALUES, UploadMediaQuery, type MediaItem, type RichValues, type MediaKind, type MediaList, type MediaRef } from "../contract";
import { deleteStaged, expiredStaged, findMediaByPath, insertMedia, insertStaged, listRunMedia, loggedReference, richValues, type MediaRow, type StagedRow } from "../db/media";
import { ApiError, badRequest } from "../errors";
import { deleteObject, deletePrefix, mediaKey, putObject, readLimited, runPrefix, sha256Bytes, stagedKey, tooLarge } from "../media/storage";
import { newRunId } from "../runs/names";
import type { Svc } from "./context";
import { getRunOr404 } from "./run-refs";

export const mediaNotFound = (filePath: string) => new ApiError("not_found", `Media file '${filePath}' not found`);

export function toMediaRef(row: MediaRow): MediaRef {
  return { _type: MEDIA_VALUE_TYPES[row.kind], file_path: row.filePath, caption: row.caption, content_type: row.contentType, size: row.size, sha256: row.sha256 };
}

const toMediaItem = (row: MediaRow): MediaItem => ({ ...toMediaRef(row), name: row.name, step: row.step, kind: row.kind, created_at: row.createdAt });

/** The content type of an upload, from the allow-list; a 400 naming `field` otherwise. */
export function requireMediaType(header: string | null | undefined, field: string): string {
  const type = allowedContentType(header);
  if (!type) {
    const allowed = Object.keys(MEDIA_TYPES).join(", ");
    throw badRequest(`${field} must be one of the stored media types (${allowed}), not '${(header ?? "").slice(0, 100)}'`, [{ path: field, message: "not an allowed media type" }]);
  }
  return type;
}

/** The kind a file is logged as: its type's, except a gif may be a video (Trackio writes clips as gifs). */
function kindOf(contentType: string, asked: MediaKind | undefined): MediaKind {
  const natural = MEDIA_TYPES[contentType].kind;
  if (!asked || asked === natural || (asked === "video" && contentType === "image/gif")) return asked ?? natural;
  throw badRequest(`kind '${asked}' does not fit content type '${contentType}'`, [{ path: "kind", message: `must be '${natural}' for ${contentType}` }]);
}

type StoredFile = { project: string; runId: string; step: number; name: string | null; fileName: string; filePath: string; kind: MediaKind; caption: string | null };

/**
 * Puts a file in R2 and its reference in D1, in that order, so a reference never points at
 * nothing. A run deleted meanwhile keeps no reference, and the object just put is deleted. The
 * same file path stored again (a retried upload) answers the stored reference; different bytes
 * under a stored path are refused.
 */
async function storeFile(s: Svc, f: StoredFile, bytes: Uint8Array, contentType: string): Promise<MediaRow> {
  const sha256 = await sha256Bytes(bytes);
  const existing = await findMediaByPath(s.db, f.project, f.filePath);
  if (existing) {
    if (existing.sha256 === sha256) return existing;
    throw new ApiError("conflict", `Media file '${f.filePath}' is already stored with different bytes`, [{ path: "id", message: "already used for another file" }]);
  }
  const key = mediaKey(f.project, f.runId, f.step, f.fileName);
  await putObject(s.env.MEDIA, key, bytes, contentType, sha256);
  const stored = await insertMedia(s.db, s.env.DB, {
    project: f.project,
    runId: f.runId,
    step: f.step,
    name: f.name,
    filePath: f.filePath,
    r2Key: key,
    kind: f.kind,
    contentType,
    size: bytes.byteLength,
    sha256,
    caption: f.caption,
    createdAt: formatTimestamp(s.nowUs),
  });
  if (!stored) {
    await deleteObject(s.env.MEDIA, key);
    throw new ApiError("not_found", `Run '${f.runId}' was deleted while its file was stored`);
  }
  return stored.row;
}

/** `POST /v1/projects/:project/runs/:run/media`: the body is the file, its content type the header's. */
export async function uploadRunMedia(s: Svc, project: string, ref: string, q: z.output<typeof UploadMediaQuery>, contentType: string | undefined, body: ReadableStream<Uint8Array> | null, declaredLength: number | null): Promise<MediaRef> {
  const type = requireMediaType(contentType, "content-type");
  const kind = kindOf(type, q.kind);
  const run = await getRunOr404(s, project, ref);
  if (declaredLength !== null && declaredLength > MAX_MEDIA_BYTES) {
    body?.cancel().catch(() => undefined);
    throw tooLarge("body");
  }
  const bytes = await readLimited(body, MAX_MEDIA_BYTES, "body");
  if (!bytes.byteLength) throw badRequest("body must hold the file's bytes", [{ path: "body", message: "empty" }]);
  const fileName = `${q.id ?? newRunId()}.${MEDIA_TYPES[type].ext}`;
  const filePath = mediaKey(project, run.id, q.step, fileName);
  const row = await storeFile(s, { project, runId: run.id, step: q.step, name: q.name, fileName, filePath, kind, caption: q.caption ?? null }, bytes, type);
  return toMediaRef(row);
}

export async function listMedia(s: Svc, project: string, ref: string, q: z.output<typeof ListMediaQuery>): Promise<MediaList> {
  const run = await getRunOr404(s, project, ref);
  const rows = await listRunMedia(s.db, run.id, q);
  return { project, run: run.name, run_id: run.id, media: rows.map(toMediaItem) };
}

/** A run's media, table and histogram values, for the dashboard's Media & Tables view. */
export async function richRunValues(s: Svc, project: string, ref: string): Promise<RichValues> {
  const run = await getRunOr404(s, project, ref);
  const rows = await richValues(s.env.DB, run.id, MAX_RICH_VALUES);
  const metrics: RichValues["metrics"] = {};
  for (const r of rows.slice(0, MAX_RICH_VALUES)) (metrics[r.name] ??= []).push({ step: r.step, value: JSON.parse(r.value) });
  return { project, run: run.name, run_id: run.id, metrics, truncated: rows.length > MAX_RICH_VALUES };
}

/** The stored file a reference's `file_path` names, or 404. */
export async function mediaByPath(s: Svc, project: string, filePath: string): Promise<MediaRow> {
  const row = await findMediaByPath(s.db, project, filePath);
  if (!row) throw mediaNotFound(filePath);
  return row;
}

/** Deletes every file of a run from R2, retried until none is left (else a 503). Its references go with the run's rows. */
export async function deleteRunObjects(s: Svc, project: string, runId: string) {
  await deletePrefix(s.env.MEDIA, runPrefix(project, runId));
}

/** Staged uploads unclaimed after this long are deleted (Trackio's client claims them at once). */
const STAGED_TTL_US = 3600 * 1_000_000;
const SWEEP_BATCH = 20;

/** Stages one file of Trackio's `/api/upload` for the uploading key; answers the path it claims it by. */
export async function stageUpload(s: Svc, keyId: string | null, file: { bytes: Uint8Array; contentType: string; ext: string }): Promise<string> {
  const id = `${newRunId()}.${file.ext}`;
  const sha256 = await sha256Bytes(file.bytes);
  await putObject(s.env.MEDIA, stagedKey(id), file.bytes, file.contentType, sha256);
  await insertStaged(s.db, { id, keyId, r2Key: stagedKey(id), contentType: file.contentType, size: file.bytes.byteLength, sha256, createdUs: s.nowUs });
  return id;
}

/** Deletes a few staged uploads nobody claimed within the hour (run after each upload, so the backlog stays bounded). */
export async function sweepStaged(s: Svc) {
  for (const row of await expiredStaged(s.db, s.nowUs - STAGED_TTL_US, SWEEP_BATCH)) await dropStaged(s, row);
}

async function dropStaged(s: Svc, row: StagedRow) {
  await deleteObject(s.env.MEDIA, row.r2Key);
  await deleteStaged(s.db, row.id);
}

export type Claim = { staged: StagedRow; project: string; runId: string; step: number; fileName: string; filePath: string };

/**
 * Files a staged upload under its run: the bytes move from the staging key to the run's key,
 * then the staged copy goes. The kind comes from the metric that references it (a gif logged
 * as `trackio.video` is a video), else from its content type.
 */
export async function claimStaged(s: Svc, c: Claim): Promise<MediaRow> {
  const obj = await s.env.MEDIA.get(c.staged.r2Key);
  if (!obj) throw badRequest(`uploaded file '${c.staged.id}' is gone; upload it again`, [{ path: "uploads.uploaded_file.path", message: "not found" }]);
  const bytes = new Uint8Array(await obj.arrayBuffer());
  const logged = await loggedReference(s.env.DB, c.runId, c.step, c.filePath);
  const kind = logged?.type === MEDIA_VALUE_TYPES.video && c.staged.contentType === "image/gif" ? "video" : MEDIA_TYPES[c.staged.contentType].kind;
  const file = { project: c.project, runId: c.runId, step: c.step, name: logged?.name ?? null, fileName: c.fileName, filePath: c.filePath, kind, caption: logged?.caption ?? null };
  const row = await storeFile(s, file, bytes, c.staged.contentType);
  await dropStaged(s, c.staged);
  return row;
}
