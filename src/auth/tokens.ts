/** API keys: `tf_` + 40 base62 characters (238 bits), recognisable by secret scanners. */
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function generateKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(40));
  let out = "tf_";
  // 248 = 4 × 62: rejection-free modulo on a byte would bias; draw again above it.
  for (let i = 0; out.length < 43; i++) {
    const b = i < bytes.length ? bytes[i] : crypto.getRandomValues(new Uint8Array(1))[0];
    if (b < 248) out += ALPHABET[b % 62];
  }
  return out;
}

export const keyPrefix = (key: string) => key.slice(0, 10);

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares two equal-length hex digests without an early exit. */
export function timingSafeEqualHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
