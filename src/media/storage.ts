import { MAX_MEDIA_BYTES } from "../contract";
import { ApiError } from "../errors";

/**
 * Where a run's files live in R2: by run id, so a rename keeps them, and under one prefix per
 * run, so deleting the run can list and delete them all.
 */
export const runPrefix = (project: string, runId: string) => `${project}/${runId}/`;
export const mediaKey = (project: string, runId: string, step: number, fileName: string) => `${runPrefix(project, runId)}${step}/${fileName}`;
/** Staged uploads: '.' is never in a project name, so this prefix is no project's. */
export const stagedKey = (id: string) => `.staged/${id}`;

export const tooLarge = (field: string) =>
  new ApiError("payload_too_large", `${field} is larger than ${MAX_MEDIA_BYTES} bytes (50 MB), the largest media file stored`, [
    { path: field, message: `at most ${MAX_MEDIA_BYTES} bytes` },
  ]);

/**
 * Reads a body of at most `max` bytes, refusing it (413 naming `field`) as soon as it is longer,
 * whatever its Content-Length says, so an oversized upload is never buffered whole.
 */
export async function readLimited(body: ReadableStream<Uint8Array> | null, max: number, field: string): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(field);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export async function sha256Bytes(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function putObject(bucket: R2Bucket, key: string, bytes: Uint8Array | ArrayBuffer, contentType: string, sha256: string) {
  await bucket.put(key, bytes, { httpMetadata: { contentType }, sha256 });
}

const DELETE_ATTEMPTS = 5;
const R2_DELETE_BATCH = 1000;

/**
 * Deletes every object under `prefix`, listing again until none is left, and retrying failures
 * with a short backoff. Throws (a retryable 503) if objects remain after the last attempt, so the
 * caller never answers success with files left behind.
 */
export async function deletePrefix(bucket: R2Bucket, prefix: string): Promise<number> {
  let deleted = 0;
  for (let attempt = 0; attempt < DELETE_ATTEMPTS; attempt++) {
    try {
      for (;;) {
        const page = await bucket.list({ prefix, limit: R2_DELETE_BATCH });
        if (!page.objects.length) return deleted;
        await bucket.delete(page.objects.map((o) => o.key));
        deleted += page.objects.length;
      }
    } catch (err) {
      console.error("media deletion failed, retrying", prefix.split("/")[0], err instanceof Error ? err.message : String(err));
      await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
  throw new ApiError("unavailable", "The run's media files could not all be deleted; nothing else was deleted. Retry the request.");
}

/** Deletes one object, retried; a failure is logged (it is unreferenced either way). */
export async function deleteObject(bucket: R2Bucket, key: string) {
  for (let attempt = 0; attempt < DELETE_ATTEMPTS; attempt++) {
    try {
      await bucket.delete(key);
      return;
    } catch (err) {
      if (attempt === DELETE_ATTEMPTS - 1) console.error("media object deletion failed", err instanceof Error ? err.message : String(err));
      else await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
}
