import { exports } from "cloudflare:workers";
import fc from "fast-check";
import { readResponse, type ReadResponse } from "../helpers/read-response";
import { seedTarget } from "./seed";
import { brokenPromise, readBack, refused, storedState, writtenRuns } from "./oracle";
import type { HostileRequest, Target } from "./surface";

/** What a run of the suite saw: requests sent, answers by family and status, broken promises. */
export type HostileStats = { requests: number; statuses: Record<string, number>; findings: string[] };
export const newStats = (): HostileStats => ({ requests: 0, statuses: {}, findings: [] });

/** A request that takes longer than this has stalled (the slowest legitimate one is a 0.1 s wait). */
const STALL_MS = 15_000;

async function send(req: HostileRequest): Promise<ReadResponse | "stalled"> {
  const request = new Request(`http://tf.test${req.path}`, { method: req.method, headers: req.headers, body: req.body });
  let timer = 0 as unknown as ReturnType<typeof setTimeout>;
  const stalled = new Promise<"stalled">((r) => (timer = setTimeout(() => r("stalled"), STALL_MS)));
  try {
    return await Promise.race([exports.default.fetch(request).then(readResponse), stalled]);
  } finally {
    clearTimeout(timer);
  }
}

const describeReq = (req: HostileRequest) => `${req.label} (${req.method} ${req.path.slice(0, 160)}${req.body ? ` ${req.body.slice(0, 160)}` : ""})`;

/** The first part of two stored states that differs, for a finding's message. */
function firstDifference(before: string, after: string): string {
  const a = JSON.parse(before) as Record<string, unknown>;
  const b = JSON.parse(after) as Record<string, unknown>;
  const key = Object.keys({ ...a, ...b }).find((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v).slice(0, 160));
  return key === undefined ? "the same rows in another order" : `${key}: ${show(a[key])} → ${show(b[key])}`;
}

/** Sends one request and checks every promise; returns what broke (empty when none). */
export async function checkOne(req: HostileRequest, target: Target, stats: HostileStats): Promise<string[]> {
  const projects = [target.seeded, target.empty, target.fresh, "badname", "default"];
  const before = req.writes ? await storedState(projects) : null;
  const res = await send(req);
  stats.requests++;
  const status = res === "stalled" ? "stalled" : String(res.status);
  stats.statuses[`${req.family} ${status}`] = (stats.statuses[`${req.family} ${status}`] ?? 0) + 1;
  const broken: string[] = [];
  if (res === "stalled") broken.push(`stalled past ${STALL_MS} ms: ${describeReq(req)}`);
  else {
    const why = brokenPromise(req, res);
    if (why) broken.push(`${why} ← ${describeReq(req)}`);
    if (before !== null && refused(req, res)) {
      const after = await storedState(projects);
      if (after !== before) broken.push(`refused with ${res.status} but stored state changed (${firstDifference(before, after)}) ← ${describeReq(req)}`);
    } else if (res.status < 300) {
      for (const [project, run] of writtenRuns(req)) for (const read of await readBack(project, run)) broken.push(`accepted, then a read failed: ${read} ← ${describeReq(req)}`);
    }
  }
  stats.findings.push(...broken);
  return broken;
}

/**
 * The property: for any request of `arb`, no promise breaks. `keepGoing` records findings and
 * carries on (the soak counts them); otherwise the first one fails the property (tests).
 */
export function hostileProperty(arb: fc.Arbitrary<HostileRequest>, target: Target, stats: HostileStats, keepGoing = false) {
  return fc.asyncProperty(arb, async (req) => {
    const broken = await checkOne(req, target, stats);
    if (broken.length && !keepGoing) throw new Error(broken.join("\n"));
  });
}

/** Seeds a target and runs `numRuns` requests of one interface with a fixed seed: what `npm test` runs. */
export async function runFixed(prefix: string, arbOf: (t: Target) => fc.Arbitrary<HostileRequest>, numRuns: number): Promise<HostileStats> {
  const target = await seedTarget(prefix);
  const stats = newStats();
  await fc.assert(hostileProperty(arbOf(target), target, stats), { numRuns, seed: 0x14e57, endOnFailure: true });
  return stats;
}
