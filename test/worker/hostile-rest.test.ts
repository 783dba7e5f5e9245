import { describe, it } from "vitest";
import { runFixed } from "../hostile/run";
import { restArb } from "../hostile/surface";

// Property: whatever is sent to any REST route, the answer is below 500 and in the one error
// shape, a refused write changes nothing stored, and an accepted one reads back.
// `npm run fuzz` runs the same for minutes.
describe("hostile REST requests", () => {
  it("never break a promise on any route", { timeout: 120_000 }, async ({ expect }) => {
    const stats = await runFixed("hr", restArb, 300);
    expect(stats.findings).toEqual([]);
    // Both sides were reached: accepted requests (state changed) and refused ones (state checked).
    expect(Object.keys(stats.statuses)).toEqual(expect.arrayContaining(["rest 200", "rest 400"]));
  });
});
