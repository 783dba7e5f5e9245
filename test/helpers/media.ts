/** Deterministic bytes of a given size (a file's stand-in: the recording keeps sizes and hashes, not bytes). */
export function bytesOf(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export async function sha256Of(data: Uint8Array | ArrayBuffer): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", data);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A multipart/form-data body with one part per file, as Trackio's client posts to /api/upload. */
export function multipart(files: { field?: string; filename: string; type: string; bytes: Uint8Array }[], boundary = "tfboundary0123456789"): { body: Uint8Array; contentType: string } {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const f of files) {
    chunks.push(enc.encode(`--${boundary}\r\ncontent-disposition: form-data; name="${f.field ?? "files"}"; filename="${f.filename}"\r\ncontent-type: ${f.type}\r\n\r\n`));
    chunks.push(f.bytes);
    chunks.push(enc.encode("\r\n"));
  }
  chunks.push(enc.encode(`--${boundary}--\r\n`));
  const size = chunks.reduce((n, c) => n + c.byteLength, 0);
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
