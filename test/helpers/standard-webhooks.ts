// Runtime-neutral (WebCrypto only): used by the workerd tests and by the Node receiver of the e2e tests.

function b64decode(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/**
 * A receiver's check, written from the Standard Webhooks spec rather than from src/webhooks/sign.ts:
 * the key is the base64 after `whsec_`, the signed content `${id}.${timestamp}.${body}`, and the
 * header a space-separated list of `v1,<base64>`; the timestamp must be within 5 minutes.
 */
export async function verifyStandardWebhook(secret: string, headers: Record<string, string>, body: string, nowSeconds = Date.now() / 1000): Promise<boolean> {
  const id = headers["webhook-id"];
  const ts = headers["webhook-timestamp"];
  const sigs = headers["webhook-signature"];
  if (!id || !ts || !sigs || !secret.startsWith("whsec_")) return false;
  if (Math.abs(nowSeconds - Number(ts)) > 300) return false;
  const key = await crypto.subtle.importKey("raw", b64decode(secret.slice("whsec_".length)), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const content = new TextEncoder().encode(`${id}.${ts}.${body}`);
  for (const part of sigs.split(" ")) {
    const [version, mac] = part.split(",");
    if (version === "v1" && mac && (await crypto.subtle.verify("HMAC", key, b64decode(mac), content))) return true;
  }
  return false;
}
