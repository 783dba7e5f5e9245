import type { MediaRow } from "../db/media";

/**
 * Media responses are safe to open from the API's origin: the stored content type (always one of
 * the allow-list) with `nosniff`, so nothing is ever read as HTML; a CSP that runs no script
 * and sandboxes the document; SVG (which can hold script) only as an attachment. Files never
 * change under a path, so the sha256 is the ETag and caching is immutable (private: reads need a key).
 */
function mediaHeaders(row: MediaRow): Headers {
  const h = new Headers({
    "content-type": row.contentType,
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox",
    "cross-origin-resource-policy": "same-origin",
    etag: `"${row.sha256}"`,
    "cache-control": "private, max-age=31536000, immutable",
    "accept-ranges": "bytes",
  });
  const fileName = row.r2Key.slice(row.r2Key.lastIndexOf("/") + 1);
  const disposition = row.contentType === "image/svg+xml" ? "attachment" : "inline";
  h.set("content-disposition", `${disposition}; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`);
  return h;
}

/** Trackio's answer for a file it will not serve, plain text that is never sniffed as anything else. */
export const notFoundText = () => new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" } });

type ByteRange = { offset: number; length: number };

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` against a file of `size` bytes; "invalid" when unsatisfiable, null for none or several. */
export function parseRange(header: string | null, size: number): ByteRange | "invalid" | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (!m[1] && !m[2])) return null;
  if (!m[1]) {
    const n = Math.min(Number(m[2]), size);
    return n > 0 ? { offset: size - n, length: n } : "invalid";
  }
  const start = Number(m[1]);
  const end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  if (start >= size || end < start) return "invalid";
  return { offset: start, length: end - start + 1 };
}

const etagMatches = (header: string | null, etag: string) => !!header && header.split(",").some((t) => t.trim() === etag || t.trim() === "*");

/** The response for one stored file, honouring If-None-Match and (for audio, video and any file) Range. */
export async function serveMedia(bucket: R2Bucket, row: MediaRow, req: Request): Promise<Response> {
  const headers = mediaHeaders(row);
  if (etagMatches(req.headers.get("if-none-match"), `"${row.sha256}"`)) return new Response(null, { status: 304, headers });
  const range = parseRange(req.headers.get("range"), row.size);
  if (range === "invalid") {
    headers.set("content-range", `bytes */${row.size}`);
    return new Response(null, { status: 416, headers });
  }
  const obj = await bucket.get(row.r2Key, range ? { range } : undefined);
  if (!obj) return notFoundText();
  if (req.method === "HEAD") {
    headers.set("content-length", String(range ? range.length : row.size));
    obj.body.cancel().catch(() => undefined);
    return new Response(null, { status: range ? 206 : 200, headers });
  }
  if (range) {
    headers.set("content-range", `bytes ${range.offset}-${range.offset + range.length - 1}/${row.size}`);
    headers.set("content-length", String(range.length));
    return new Response(obj.body, { status: 206, headers });
  }
  headers.set("content-length", String(row.size));
  return new Response(obj.body, { status: 200, headers });
}
