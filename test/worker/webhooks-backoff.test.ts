import { describe, it } from "vitest";
import { MAX_DELAY_SECONDS, parseRetryAfter, retryDelaySeconds } from "../../src/webhooks/backoff";

const low = () => 0;
const high = () => 0.999999;

describe("webhook retry schedule", () => {
  it("retries quickly three times, then backs off to minutes, with ±20 % jitter", ({ expect }) => {
    const bounds = [1, 2, 3, 4, 5, 6].map((n) => [retryDelaySeconds(n, null, low), retryDelaySeconds(n, null, high)]);
    expect(bounds).toEqual([
      [1, 2],
      [2, 3],
      [4, 5],
      [240, 360],
      [1440, 2160],
      [8640, 12960],
    ]);
  });

  it("never waits less than Retry-After, and never more than the queue allows", ({ expect }) => {
    expect(retryDelaySeconds(1, 30, high)).toBe(30);
    expect(retryDelaySeconds(1, 64.57, low)).toBe(65);
    expect(retryDelaySeconds(4, 5, low)).toBe(240);
    expect(retryDelaySeconds(1, 10 * 86_400, low)).toBe(MAX_DELAY_SECONDS);
    expect(retryDelaySeconds(20, null, high)).toBe(MAX_DELAY_SECONDS);
  });

  it("reads Retry-After as seconds or as an HTTP date", ({ expect }) => {
    const now = Date.parse("2026-11-28T16:57:00Z");
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter(" 1.5 ", now)).toBe(1.5);
    expect(parseRetryAfter("Sat, 28 Nov 2026 16:58:30 GMT", now)).toBe(90);
    expect(parseRetryAfter("Sat, 28 Nov 2026 16:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
