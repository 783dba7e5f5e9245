import { describe, it } from "vitest";
import { parseRunCondition } from "../../src/contract";
import { batchHolds, stateHolds } from "../../src/run-wait/conditions";

describe("run wait conditions", () => {
  it("parse ended, step>=N and metric comparisons, names with operator characters included", ({ expect }) => {
    expect(parseRunCondition("ended")).toEqual({ kind: "ended" });
    expect(parseRunCondition(" step >= 500 ")).toEqual({ kind: "step", min: 500 });
    expect(parseRunCondition("val/loss<0.3")).toEqual({ kind: "metric", metric: "val/loss", op: "<", value: 0.3 });
    expect(parseRunCondition("acc >= .95")).toEqual({ kind: "metric", metric: "acc", op: ">=", value: 0.95 });
    expect(parseRunCondition("grad<norm>1e-3")).toEqual({ kind: "metric", metric: "grad<norm", op: ">", value: 0.001 });
    expect(parseRunCondition("delta<=-2.5E2")).toEqual({ kind: "metric", metric: "delta", op: "<=", value: -250 });
    for (const bad of ["", "finished", "loss==1", "loss<", "<3", "step>2", "step>=-1", "loss<nan"]) expect(typeof parseRunCondition(bad), bad).toBe("string");
  });

  it("hold against a state and against a batch (first satisfying finite value)", ({ expect }) => {
    const metric = { kind: "metric", metric: "loss", op: "<", value: 0.5 } as const;
    expect(stateHolds({ kind: "ended" }, { status: "stopped", lastStep: 3 })).toEqual({});
    expect(stateHolds({ kind: "ended" }, { status: "running", lastStep: 3 })).toBeNull();
    expect(stateHolds({ kind: "step", min: 3 }, { status: "running", lastStep: 3 })).toEqual({});
    expect(stateHolds({ kind: "step", min: 0 }, { status: "running", lastStep: null })).toBeNull();
    expect(stateHolds(metric, { status: "running", lastStep: 9, value: { value: 0.4, step: 9 } })).toEqual({ value: 0.4, value_step: 9 });
    const batch = [
      { step: 1, metrics: { loss: "NaN" } },
      { step: 2, metrics: { loss: 0.7 } },
      { step: 3, metrics: { loss: 0.45 } },
      { step: 4, metrics: { loss: 0.1 } },
    ];
    expect(batchHolds(metric, batch)).toEqual({ value: 0.45, value_step: 3 });
    expect(batchHolds({ kind: "step", min: 4 }, batch)).toEqual({});
    expect(batchHolds({ kind: "ended" }, batch)).toBeNull();
  });
});
