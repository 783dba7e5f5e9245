import type { Principal } from "./principal";

/**
 * Keys accepted a moment ago are answered per isolate without D1: an SDK or a Trackio client
 * sends a batch every 0.5 s with the same key, and a lookup per request was a D1 round trip per
 * batch. The bound on revocation: a key revoked through this isolate stops at once (forgotten
 * here); one revoked through another isolate stops within ACCEPTED_TTL_MS, when this isolate's
 * entry expires and D1 is asked again.
 */
export const ACCEPTED_TTL_MS = 10_000;
const ACCEPTED_MAX = 1024;
const accepted = new Map<string, { principal: Principal; until: number }>();

/** The principal a token hash was accepted as less than ACCEPTED_TTL_MS ago, or null. */
export function acceptedPrincipal(hash: string, now = Date.now()): Principal | null {
  const hit = accepted.get(hash);
  if (!hit) return null;
  if (hit.until > now) return hit.principal;
  accepted.delete(hash);
  return null;
}

export function rememberAccepted(hash: string, principal: Principal, now = Date.now()) {
  if (accepted.size >= ACCEPTED_MAX) {
    for (const [h, e] of accepted) if (e.until <= now) accepted.delete(h);
    if (accepted.size >= ACCEPTED_MAX) accepted.delete(accepted.keys().next().value!);
  }
  accepted.set(hash, { principal, until: now + ACCEPTED_TTL_MS });
}

/** A key revoked through this isolate is not answered from the cache again. */
export function forgetAcceptedKey(keyId: string) {
  for (const [h, e] of accepted) if (e.principal.keyId === keyId) accepted.delete(h);
}
