// bench:ab: bench:ingest's passes through two trees side by side, to measure one lever on a
// machine whose speed swings more between runs than a lever moves it. A server from this tree and
// one from another checkout (say `git worktree add ../base main`, with this tree's node_modules
// and dist linked into it) get the same batches in lockstep, as the rules pass does: each round
// sends batch i of every run to both at once and waits for all, so whatever else loads the
// machine weighs on both sides alike. A side's rate is what its runs would reach at its mean
// request latency; the ratio is this tree's over the other's.
// Usage: node bench/ab.mjs <other tree> [rounds]   Last line: one JSON object.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { INGEST_METRICS, bulkLog, call, ingestBatch, log, round, startServer, trackioEntries } from "./lib.mjs";

const OTHER = process.argv[2];
if (!OTHER) throw new Error("usage: node bench/ab.mjs <other tree> [rounds]");
const ROUNDS = Number(process.argv[3] ?? 40);
const RUNS = 8;
const METRICS = INGEST_METRICS.length;

/** How each pass sends run `r`'s batch to a server: REST to a run made first, or Trackio's bulk_log creating its run. */
const PASSES = {
  rest: { size: 100, async setup(s, project) { return restSender(s, project); } },
  bulk_log: {
    size: 100,
    async setup(s, project) {
      const ids = Array.from({ length: RUNS }, () => crypto.randomUUID().replaceAll("-", ""));
      return (r, logs) => bulkLog(s.url, s.key, trackioEntries(logs, project, `trackio-${r}`, ids[r]));
    },
  },
  rest_1000: { size: 1000, async setup(s, project) { return restSender(s, project); } },
};

async function restSender(s, project) {
  const ids = [];
  for (let r = 0; r < RUNS; r++) ids.push((await call(s.url, s.key, "POST", `/v1/projects/${project}/runs`, { name: `ingest-${r}` })).id);
  return (r, logs) => call(s.url, s.key, "POST", `/v1/projects/${project}/runs/${ids[r]}/logs`, { logs });
}

async function otherServer() {
  const lib = await import(pathToFileURL(path.resolve(OTHER, "bench/lib.mjs")).href);
  return lib.startServer();
}

async function main() {
  const sides = { here: await startServer(), other: await otherServer() };
  const out = {};
  try {
    for (const [kind, pass] of Object.entries(PASSES)) {
      const project = `ab-${kind}-${Date.now()}`;
      const send = { here: await pass.setup(sides.here, project), other: await pass.setup(sides.other, project) };
      const latency = { here: [], other: [] };
      const timed = async (side, r, logs) => {
        const t = performance.now();
        await send[side](r, logs);
        latency[side].push(performance.now() - t);
      };
      const rounds = pass.size === 1000 ? Math.ceil(ROUNDS / 4) : ROUNDS;
      for (let i = 0; i < rounds; i++) {
        const batches = Array.from({ length: RUNS }, (_, r) => ingestBatch(r, i * pass.size, pass.size));
        // Within a round, which side's request goes out first alternates by run and by round.
        await Promise.all(batches.flatMap((logs, r) => ((r + i) % 2 ? [timed("here", r, logs), timed("other", r, logs)] : [timed("other", r, logs), timed("here", r, logs)])));
      }
      const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const rate = (side) => (RUNS * pass.size * METRICS * 1000) / mean(latency[side]);
      out[kind] = { here_points_per_s: Math.round(rate("here")), other_points_per_s: Math.round(rate("other")), ratio: round(rate("here") / rate("other"), 3) };
      log(`${kind}: this tree ${out[kind].here_points_per_s} points/s, the other ${out[kind].other_points_per_s} (×${out[kind].ratio})`);
    }
  } finally {
    await Promise.all([sides.here.close(), sides.other.close()]);
  }
  console.log(JSON.stringify(out));
}

await main();
