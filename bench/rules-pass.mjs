// The cost of server-side alert rules on ingest (bench:ingest's second pass): the same batches
// through the whole stack into a project with `count` rules and into one with none, side by side.
import { call, log, round } from "./lib.mjs";

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
 * Returns `{ rules, points_per_s_rules, points_per_s_no_rules, rules_ratio }`. `batches[run][i]` are
 * bench:ingest's batches. Both projects get the same batches in lockstep: each round sends batch i of
 * every run to both at once (16 requests) and waits for all, so whatever else loads the machine at
 * that moment weighs on both sides alike. A side's rate is what its runs would reach sending one
 * batch after another at its mean request latency; the ratio is the latencies' ratio.
 */
export async function measureRules(server, batches, count) {
  const stamp = Date.now();
  const sides = { none: `bench-norules-${stamp}`, rules: `bench-rules-${stamp}` };
  for (const def of ruleDefs(count)) await call(server.url, server.key, "POST", `/v1/projects/${sides.rules}/rules`, def);
  const runIds = { none: [], rules: [] };
  for (const side of ["none", "rules"])
    for (let r = 0; r < batches.length; r++) runIds[side].push((await call(server.url, server.key, "POST", `/v1/projects/${sides[side]}/runs`, { name: `ingest-${r}` })).id);
  const latency = { none: [], rules: [] };
  const send = async (side, r, i) => {
    const t = performance.now();
    await call(server.url, server.key, "POST", `/v1/projects/${sides[side]}/runs/${runIds[side][r]}/logs`, { logs: batches[r][i] });
    latency[side].push(performance.now() - t);
  };
  // Within a round, which side's requests go out first alternates by run and by round.
  for (let i = 0; i < batches[0].length; i++)
    await Promise.all(batches.flatMap((_, r) => ((r + i) % 2 ? [send("none", r, i), send("rules", r, i)] : [send("rules", r, i), send("none", r, i)])));
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const points = batches[0][0].length * Object.keys(batches[0][0][0].metrics).length * batches.length;
  const rate = (side) => (points * 1000) / mean(latency[side]);
  log(`  mean latency per batch: no rules ${round(mean(latency.none))} ms, ${count} rules ${round(mean(latency.rules))} ms`);
  const alerts = await call(server.url, server.key, "GET", `/v1/projects/${sides.rules}/alerts?limit=1000`);
  log(`  the rules raised ${alerts.alerts.length}${alerts.has_more ? "+" : ""} alerts`);
  return { rules: count, points_per_s_rules: Math.round(rate("rules")), points_per_s_no_rules: Math.round(rate("none")), rules_ratio: round(rate("rules") / rate("none"), 3) };
}
