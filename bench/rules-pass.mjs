// The cost of server-side alert rules on ingest (bench:ingest's second pass): the same batches
// through the whole stack into a project with `count` rules and into one with none, measured in
// back-to-back pairs (order alternating) so that drift in a shared machine's load falls on both
// sides alike; the ratio is the median of the pairs' ratios, so one disturbed pair cannot swing it.
import { call, log, round } from "./lib.mjs";

/** The middle value (the mean of the middle two for an even count). */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Ten rules of every kind over the benchmark's metrics `train/m0..m9`, two of them patterns. Run 0's
 * values hover around 0, where the spike rule fires and re-arms often (~65 alerts); the others fire
 * a few times in all, so the pass measures evaluation plus a realistic trickle of alerts.
 */
function ruleDefs(count) {
  const kinds = [
    (m) => ({ metric: m, condition: { type: "gt", value: 100 }, title: "{metric} high", text: "{metric}={value:.4f} at step {step}" }),
    (m) => ({ metric: m, condition: { type: "lt", value: -100 }, title: "{metric} low" }),
    (m) => ({ metric: m, condition: { type: "spike", factor: 50 }, title: "{metric} spiked", text: "{previous} -> {value}" }),
    (m) => ({ metric: m, condition: { type: "no_improvement", steps: 2000, mode: "min" }, title: "{metric} plateaued" }),
    (m) => ({ metric: m, condition: { type: "no_improvement", steps: 2000, mode: "max" }, title: "{metric} stuck" }),
    () => ({ metric: "train/*", condition: { type: "gt", value: 1000 }, title: "{metric} exploded" }),
    (m) => ({ metric: m, condition: { type: "non_finite" }, title: "{metric} NaN", level: "error" }),
    (m) => ({ metric: m, condition: { type: "no_improvement", steps: 500, mode: "min", min_delta: 0.01 }, title: "{metric} stalled" }),
    () => ({ metric: "*/m9", condition: { type: "lt", value: -1000 }, title: "{metric} collapsed" }),
    (m) => ({ metric: m, condition: { type: "gt", value: 50 }, title: "{metric} over 50" }),
  ];
  return Array.from({ length: count }, (_, i) => ({ id: `bench-${i}`, ...kinds[i % kinds.length](`train/m${i % 10}`) }));
}

/**
 * Returns `{ rules, points_per_s_rules, points_per_s_no_rules, rules_ratio }`; `throughStack(server,
 * project)` is bench:ingest's own measurement (points/s for its 8 concurrent runs).
 */
export async function measureRules(server, throughStack, count, pairs = 4) {
  const rates = { none: [], rules: [] };
  for (let i = 0; i < pairs; i++) {
    for (const kind of i % 2 === 0 ? ["none", "rules"] : ["rules", "none"]) {
      const project = `bench-rules-${kind}-${Date.now()}-${i}`;
      if (kind === "rules") for (const def of ruleDefs(count)) await call(server.url, server.key, "POST", `/v1/projects/${project}/rules`, def);
      rates[kind].push(await throughStack(server, project));
    }
    log(`  pair ${i + 1}: no rules ${Math.round(rates.none[i])}, ${count} rules ${Math.round(rates.rules[i])} points/s`);
  }
  const ratios = rates.rules.map((r, i) => r / rates.none[i]);
  return {
    rules: count,
    points_per_s_rules: Math.round(median(rates.rules)),
    points_per_s_no_rules: Math.round(median(rates.none)),
    rules_ratio: round(median(ratios), 3),
  };
}
