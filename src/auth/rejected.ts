import { sha256Hex } from "./tokens";

/**
 * A rejected write makes the `trackio` client re-send its pending batch about every 35 ms for
 * 30 s (test/fixtures/trackio-wire/errors.jsonl, `sdk-wrong-token`), and any client may retry a
 * 401 in a loop. Hashes of tokens that matched no key are remembered briefly per isolate, so such
 * a storm costs a hash per request and no D1 query. A new key is random, so it was never rejected
 * before; accepted keys have their own, shorter cache (accepted.ts, which bounds revocation).
 */
const REJECTED_TTL_MS = 60_000;
const REJECTED_MAX = 1024;
const rejected = new Map<string, number>();

export function isRejectedHash(hash: string, now = Date.now()): boolean {
  return (rejected.get(hash) ?? 0) > now;
}

export function rememberRejected(hash: string, now = Date.now()) {
  if (rejected.size >= REJECTED_MAX) {
    for (const [h, until] of rejected) if (until <= now) rejected.delete(h);
    if (rejected.size >= REJECTED_MAX) rejected.delete(rejected.keys().next().value!);
  }
  rejected.set(hash, now + REJECTED_TTL_MS);
}

/** Whether a token is answered from the rejected cache now (for tests of retry storms). */
export async function isRecentlyRejected(token: string): Promise<boolean> {
  return isRejectedHash(await sha256Hex(token));
}
