/**
 * Seconds before the next attempt, after `attempts` have failed (Queues' `msg.attempts`, from 1).
 *
 * Two phases, like Svix's schedule: three quick retries (about 1, 2 and 4 s) ride out a receiver's
 * restart or a dropped connection, then minutes to hours (5 min, 30 min, 3 h, …) for an outage. The
 * quick phase is also what lets the end-to-end test (a receiver that fails three times) finish in
 * seconds under `wrangler dev` without a test-only setting. With `max_retries = 5` the last attempt
 * comes about 35 min after the first; then the dead-letter queue marks the delivery failed.
 *
 * ±20 % jitter spreads retries of a burst of alerts to one receiver. A `Retry-After` (Slack's header,
 * Discord's `retry_after`) is a floor, never shortened by jitter. Queues accept at most 12 h.
 */
export function retryDelaySeconds(attempts: number, retryAfterSeconds: number | null = null, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempts));
  const base = n <= 3 ? 2 ** (n - 1) : 300 * 6 ** (n - 4);
  const jittered = base * (0.8 + 0.4 * random());
  const floor = retryAfterSeconds !== null && Number.isFinite(retryAfterSeconds) ? Math.max(0, retryAfterSeconds) : 0;
  return Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.ceil(Math.max(jittered, floor))));
}

export const MAX_DELAY_SECONDS = 12 * 3600;

/** `Retry-After`: delta-seconds or an HTTP date (RFC 9110 §10.2.3). Null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, (at - nowMs) / 1000);
}
