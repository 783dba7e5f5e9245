import { describe, it } from "vitest";
import { differingKeys, finalAndBest, guessMode } from "../../src/metrics/compare";

const pt = (step: number, value: unknown) => ({ step, timestamp: `t${step}`, value: value as number });

describe("compare_runs helpers", () => {
  it("maximises accuracy-like metrics and minimises the rest", ({ expect }) => {
    for (const m of ["val_accuracy", "val/acc", "top1_acc", "top5", "eval/f1", "mAP@0.5", "test_auc", "episode_reward", "bleu4", "rougeL".toLowerCase()]) {
      expect(guessMode(m), m).toBe("max");
    }
    for (const m of ["loss", "train/loss", "val_error", "perplexity", "wer", "step_time", "grad_norm", "heatmap_loss", "accumulated_steps_loss"]) {
      expect(guessMode(m), m).toBe("min");
    }
  });

  it("takes the final point by step and the best finite value with its step", ({ expect }) => {
    const points = [pt(0, 2), pt(1, 0.5), pt(2, "NaN"), pt(3, 0.9), pt(4, "Infinity")];
    expect(finalAndBest(points, "min")).toEqual({ final: { step: 4, timestamp: "t4", value: "Infinity" }, best: { step: 1, timestamp: "t1", value: 0.5 } });
    expect(finalAndBest(points, "max").best).toEqual({ step: 0, timestamp: "t0", value: 2 });
    expect(finalAndBest([], "min")).toEqual({ final: null, best: null });
    expect(finalAndBest([pt(0, { nested: 1 })], "min")).toEqual({ final: { step: 0, timestamp: "t0", value: { nested: 1 } }, best: null });
  });

  it("lists config keys whose values differ, counting a missing key as different", ({ expect }) => {
    expect(differingKeys([{ lr: 0.1, bs: 64, opt: { b: 1 } }, { lr: 0.01, bs: 64, opt: { b: 1 } }, { lr: 0.1, bs: 64, opt: { b: 1 }, seed: 3 }])).toEqual(["lr", "seed"]);
    expect(differingKeys([{ a: 1 }])).toEqual([]);
  });
});
