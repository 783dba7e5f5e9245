import { describe, it } from "vitest";
import { runFixed } from "../hostile/run";
import { mcpArb } from "../hostile/surface";

// Property: whatever is sent to any MCP tool, the answer is below 500 and a JSON-RPC answer (a
// tool error, never an internal one), a refused write changes nothing stored, and an accepted one
// reads back. `npm run fuzz` runs the same for minutes.
describe("hostile MCP requests", () => {
  it("never break a promise on any tool, or with protocol junk", { timeout: 120_000 }, async ({ expect }) => {
    const stats = await runFixed("hm", mcpArb, 250);
    expect(stats.findings).toEqual([]);
    // Both sides were reached: accepted requests (state changed) and refused ones (state checked).
    expect(Object.keys(stats.statuses)).toEqual(expect.arrayContaining(["mcp 200", "mcp 400"]));
  });
});
