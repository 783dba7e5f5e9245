import { describe, it } from "vitest";
import { runFixed } from "../hostile/run";
import { trackioArb } from "../hostile/surface";

// Property: whatever is sent to any Trackio endpoint, the answer is below 500 and in Trackio's
// `{data}`/`{error}` shape, a refused write changes nothing stored, and an accepted one reads
// back. `npm run fuzz` runs the same for minutes.
describe("hostile Trackio calls", () => {
  it("never break a promise on any endpoint, in any body form", { timeout: 120_000 }, async ({ expect }) => {
    const stats = await runFixed("ht", trackioArb, 250);
    expect(stats.findings).toEqual([]);
    // Both sides were reached: accepted requests (state changed) and refused ones (state checked).
    expect(Object.keys(stats.statuses)).toEqual(expect.arrayContaining(["trackio 200", "trackio 400"]));
  });
});
