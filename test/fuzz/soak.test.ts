import { env } from "cloudflare:workers";
import fc from "fast-check";
import { it } from "vitest";
import { hostileProperty, newStats } from "../hostile/run";
import { seedTarget } from "../hostile/seed";
import { mcpArb, restArb, trackioArb } from "../hostile/surface";

// `npm run fuzz`: the hostile suite's properties for a time budget instead of a fixed number of
// runs, every interface interleaved, recording findings instead of stopping at the first.
const seconds = Number(env.FUZZ_SECONDS ?? 60);
const seed = Number(env.FUZZ_SEED ?? Date.now() % 2 ** 31);

it(`keeps every promise for ${seconds} s of hostile requests (seed ${seed})`, { timeout: (seconds + 120) * 1000 }, async ({ expect }) => {
  const target = await seedTarget("soak");
  const stats = newStats();
  const started = Date.now();
  const arb = fc.oneof({ weight: 4, arbitrary: restArb(target) }, { weight: 3, arbitrary: trackioArb(target) }, { weight: 3, arbitrary: mcpArb(target) });
  await fc.assert(hostileProperty(arb, target, stats, true), {
    seed,
    numRuns: Number.MAX_SAFE_INTEGER,
    interruptAfterTimeLimit: seconds * 1000,
    markInterruptAsFailure: false,
  });
  const summary = { seed, seconds: Math.round((Date.now() - started) / 1000), requests: stats.requests, statuses: stats.statuses, findings: stats.findings.length };
  console.log(`FUZZ SUMMARY ${JSON.stringify(summary)}`);
  for (const f of stats.findings.slice(0, 50)) console.log(`FUZZ FINDING ${f}`);
  expect(stats.findings).toEqual([]);
});
