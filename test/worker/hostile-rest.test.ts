import fc from "fast-check";
import { describe, it } from "vitest";
import { hostileProperty, newStats } from "../hostile/run";
import { seedTarget } from "../hostile/seed";
import { restArb } from "../hostile/surface";

// Property: whatever is sent to any REST route, the answer is below 500 and in the one error
// shape, a refused write changes nothing stored, and an accepted one reads back.
// `npm run fuzz` runs the same for minutes.
describe("hostile REST requests", () => {
  it("never break a promise on any route", { timeout: 120_000 }, async ({ expect }) => {
    const target = await seedTarget("hr");
    const stats = newStats();
    await fc.assert(hostileProperty(restArb(target), target, stats), { numRuns: 300, seed: 0x14e57, endOnFailure: true });
    expect(stats.findings).toEqual([]);
    expect(stats.requests).toBeGreaterThanOrEqual(300);
    // Both sides were reached: accepted requests (state changed) and refused ones (state checked).
    expect(Object.keys(stats.statuses)).toEqual(expect.arrayContaining(["rest 200", "rest 400"]));
  });
});
