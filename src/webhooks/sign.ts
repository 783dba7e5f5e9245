// Standard Webhooks (https://www.standardwebhooks.com, reference/platform-and-peers.md §4.2): the
// receiver recomputes HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${body}` with the secret's
// bytes and compares; the id doubles as its deduplication key, the timestamp bounds replays (5 min).

const SECRET_PREFIX = "whsec_";
const SECRET_BYTES = 24;

function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function fromBase64(text: string): Uint8Array {
  const bin = atob(text);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** A fresh signing secret, `whsec_<base64 of 24 random bytes>`. */
export function newSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/** `v1,<base64 HMAC-SHA256>` of `id.timestamp.body`. */
export async function sign(secret: string, id: string, timestampSeconds: number, body: string): Promise<string> {
  const keyBytes = fromBase64(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestampSeconds}.${body}`));
  return `v1,${toBase64(new Uint8Array(mac))}`;
}

/**
 * Headers of a generic delivery. Every attempt carries the same `webhook-id` (the delivery id) and a
 * fresh timestamp. A run's own `webhook_url` has no secret: it gets the id and timestamp unsigned.
 */
export async function standardWebhookHeaders(secret: string | null, id: string, body: string, nowMs = Date.now()): Promise<Record<string, string>> {
  const ts = Math.floor(nowMs / 1000);
  const headers: Record<string, string> = { "webhook-id": id, "webhook-timestamp": String(ts) };
  if (secret) headers["webhook-signature"] = await sign(secret, id, ts, body);
  return headers;
}
