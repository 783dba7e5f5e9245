import type { z } from "zod";
import { CompareArgs, ListRunsQuery, MAX_COMPARED_RUNS, SeriesQuery, type Comparison } from "../contract";
import { differingKeys, finalAndBest, guessMode, type Mode } from "../metrics/compare";
import { parseOrThrow } from "../validate";
import type { Svc } from "./context";
import { series } from "./metrics";
import { listProjectRuns, runSummary } from "./runs";

// Enough points that every bucket's minimum and maximum survive; the best value is exact at any length.
const POINTS_PER_SERIES = 200;

/**
 * Runs side by side (REST `GET …/compare` and MCP `compare_runs`): config, status, alert counts and,
 * per metric, the final and best value; the best run per metric; the config keys that differ.
 * Without `runs`, the project's most recent runs (up to 50), optionally of one group.
 */
export async function compareRuns(s: Svc, project: string, args: z.output<typeof CompareArgs>): Promise<Comparison> {
  let refs = args.runs;
  let truncated = false;
  if (!refs) {
    const all = await listProjectRuns(s, project, ListRunsQuery.parse({ group: args.group }));
    truncated = all.length > MAX_COMPARED_RUNS;
    refs = all.slice(-MAX_COMPARED_RUNS).map((r) => r.id);
  }
  const summaries = await Promise.all(refs.map((ref) => runSummary(s, project, ref)));
  const q = parseOrThrow(SeriesQuery, { runs: summaries.map((r) => r.id).join(","), metrics: args.metrics?.join(","), max_points: String(POINTS_PER_SERIES) }, "arguments");
  const { series: all } = summaries.length ? await series(s, project, q) : { series: [] };

  const modeOf = (name: string): Mode => args.modes?.[name] ?? (args.mode === "auto" ? guessMode(name) : args.mode);
  const names = args.metrics ?? [...new Set(all.map((x) => x.metric))].sort();
  const perRun = new Map<string, Record<string, ReturnType<typeof finalAndBest>>>();
  for (const x of all) {
    const row = perRun.get(x.run_id) ?? {};
    row[x.metric] = finalAndBest(x.values, modeOf(x.metric));
    perRun.set(x.run_id, row);
  }
  const metrics = names.map((name) => {
    const mode = modeOf(name);
    let best: { id: string; name: string; step: number; value: number } | null = null;
    for (const r of summaries) {
      const b = perRun.get(r.id)?.[name]?.best;
      if (!b || typeof b.value !== "number") continue;
      if (!best || (mode === "min" ? b.value < best.value : b.value > best.value)) best = { id: r.id, name: r.name, step: b.step, value: b.value };
    }
    return { name, mode, best_run: best };
  });
  return {
    project,
    metrics,
    differing_config_keys: differingKeys(summaries.map((r) => r.config)),
    runs: summaries.map((r) => ({
      id: r.id,
      name: r.name,
      group: r.group,
      status: r.status,
      last_step: r.last_step,
      config: r.config,
      alert_counts: r.alert_counts,
      metrics: Object.fromEntries(names.map((n) => [n, perRun.get(r.id)?.[n] ?? { final: null, best: null }])),
    })),
    truncated,
  };
}
