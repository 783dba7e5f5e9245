import { describe, it } from "vitest";
import { api, createRun, logEntries, uniqueProject } from "../helpers/api";

describe("runs and logs", () => {
  it("creates a run, logs with step assignment, reads values and NaN back", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "r1", config: { lr: 0.01 } });
    expect(run.id).toMatch(/^[0-9a-f]{32}$/);
    const r = await logEntries(p, "r1", [
      { metrics: { loss: 1.5 }, log_id: "a" },
      { metrics: { loss: 1.25 }, log_id: "b" },
      { step: 10, metrics: { loss: "NaN", x: { a: 1 } }, log_id: "c" },
      { metrics: { loss: 0.1234567890123456789 }, log_id: "d" },
    ]);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ accepted: 4, duplicates: 0, last_step: 11 });
    const again = await logEntries(p, "r1", [{ metrics: { loss: 9 }, log_id: "a" }]);
    expect(again.json).toMatchObject({ accepted: 0, duplicates: 1, last_step: 11 });
    const v = await api("GET", `/v1/projects/${p}/runs/r1/metrics/loss`);
    expect(v.status).toBe(200);
    expect(v.json.values.map((x: any) => [x.step, x.value])).toEqual([[0, 1.5], [1, 1.25], [10, "NaN"], [11, 0.1234567890123456789]]);
    const d = await api("GET", `/v1/projects/${p}/runs/r1/metrics/loss?max_points=2`);
    expect(d.json.values.map((x: any) => x.step)).toEqual([0, 11]);
  });
});
