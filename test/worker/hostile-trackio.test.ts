import fc from "fast-check";
import { describe, it } from "vitest";
import { hostileProperty, newStats } from "../hostile/run";
import { seedTarget } from "../hostile/seed";
import { trackioArb } from "../hostile/surface";

// Property: whatever is sent to any Trackio endpoint, the answer is below 500 and in Trackio's
// `{data}`/`{error}` shape, a refused write changes nothing stored, and an accepted one reads
// back. `npm run fuzz` runs the same for minutes.
describe("hostile Trackio calls", () => {
  it("never break a promise on any endpoint, in any body form", { timeout: 120_000 }, async ({ expect }) => {
    const target = await seedTarget("ht");
    const stats = newStats();
    await fc.assert(hostileProperty(trackioArb(target), target, stats), { numRuns: 250, seed: 0x14e57, endOnFailure: true });
    expect(stats.findings).toEqual([]);
    expect(stats.requests).toBeGreaterThanOrEqual(250);
    // Both sides were reached: accepted requests (state changed) and refused ones (state checked).
    expect(Object.keys(stats.statuses)).toEqual(expect.arrayContaining(["trackio 200", "trackio 400"]));
  });
});
