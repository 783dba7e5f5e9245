// The cost of server-side alert rules on ingest (bench:ingest's second pass): the same batches
// through the whole stack into a project with `count` rules and into one with none, alternated
// `reps` times so that drift in a shared machine's load falls on both sides alike.
import { call, log, round } from "./lib.mjs";

/** Ten rules of every kind over the benchmark's metrics `train/m0..m9`, two of them patterns. */
function ruleDefs(count) {
  const kinds = [
    (m) => ({ metric: m, condition: { type: "gt", value: 100 }, title: "{metric} high", text: "{metric}={value:.4f} at step {step}" }),
    (m) => ({ metric: m, condition: { type: "lt", value: -100 }, title: "{metric} low" }),
    (m) => ({ metric: m, condition: { type: "spike", factor: 50 }, title: "{metric} spiked", text: "{previous} -> {value}" }),
    (m) => ({ metric: m, condition: { type: "no_improvement", steps: 2000, mode: "min" }, title: "{metric} plateaued" }),
    (m) => ({ metric: m, condition: { type: "no_improvement", steps: 2000, mode: "max" }, title: "{metric} stuck" }),
    () => ({ metric: "train/*", condition: { type: "gt", value: 1000 }, title: "{metric} exploded" }),
    (m) => ({ metric: m, condition: { type: "non_finite" }, title: "{metric} NaN", level: "error" }),
    (m) => ({ metric: m, condition: { type: "spike", factor: 20, direction: "both" }, title: "{metric} jumped" }),
    () => ({ metric: "*/m9", condition: { type: "lt", value: -1000 }, title: "{metric} collapsed" }),
    (m) => ({ metric: m, condition: { type: "gt", value: 50 }, title: "{metric} over 50" }),
  ];
  return Array.from({ length: count }, (_, i) => ({ id: `bench-${i}`, ...kinds[i % kinds.length](`train/m${i % 10}`) }));
}

/**
 * Returns `{ rules, points_per_s_rules, points_per_s_no_rules, rules_ratio }`; `throughStack(server,
 * project)` is bench:ingest's own measurement (points/s for its 8 concurrent runs).
 */
export async function measureRules(server, throughStack, count, reps = 2) {
  const rates = { none: [], rules: [] };
  for (let i = 0; i < reps; i++) {
    for (const kind of i % 2 === 0 ? ["none", "rules"] : ["rules", "none"]) {
      const project = `bench-rules-${kind}-${Date.now()}-${i}`;
      if (kind === "rules") for (const def of ruleDefs(count)) await call(server.url, server.key, "POST", `/v1/projects/${project}/rules`, def);
      const rate = await throughStack(server, project);
      rates[kind].push(rate);
      log(`  ${kind === "rules" ? `${count} rules` : "no rules"}: ${Math.round(rate)} points/s`);
    }
  }
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const withRules = mean(rates.rules);
  const without = mean(rates.none);
  return { rules: count, points_per_s_rules: Math.round(withRules), points_per_s_no_rules: Math.round(without), rules_ratio: round(withRules / without, 3) };
}
