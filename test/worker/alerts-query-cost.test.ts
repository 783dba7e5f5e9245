import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, it } from "vitest";
import type { ProjectAlerts } from "../../src/project-object/project-alerts";
import type { AlertInput, AlertQueryFilters } from "../../src/project-object/types";
import { uniqueProject } from "../helpers/api";

// The cost of an incremental query is measured as the rows SQLite reads (the store records it),
// which does not depend on how busy the machine is: it must follow the 10 alerts returned, not
// the size of the history.

const HISTORY_START = Date.UTC(2026, 0, 1);

async function projectWith(history: number) {
  const p = uniqueProject(`cost${history}`);
  const stub = env.PROJECT_ALERTS.getByName(p);
  for (let i = 0; i < history; i += 1000) {
    const batch: AlertInput[] = Array.from({ length: Math.min(1000, history - i) }, (_, k) => ({
      alert_id: `h${i + k}`,
      run_id: (i + k) % 2 ? "a".repeat(32) : "b".repeat(32),
      run: (i + k) % 2 ? "a" : "b",
      title: `history ${i + k}`,
      text: null,
      level: (["info", "warn", "error"] as const)[(i + k) % 3],
      step: i + k,
      timestamp: new Date(HISTORY_START + (i + k) * 1000).toISOString(),
    }));
    await stub.createAlerts(p, batch);
  }
  const cursor = history;
  await stub.createAlerts(
    p,
    Array.from({ length: 10 }, (_, k) => ({ alert_id: `n${k}`, run_id: "a".repeat(32), run: "a", title: `new ${k}`, text: null, level: "error", step: null, timestamp: null })),
  );
  return { stub, cursor };
}

async function rowsRead(stub: DurableObjectStub<ProjectAlerts>, filters: AlertQueryFilters) {
  return runInDurableObject(stub, async (instance) => {
    const page = await instance.queryAlerts(filters);
    // The store is private to the object; the test reads its counter.
    return { n: page.alerts.length, read: (instance as unknown as { store: { lastRowsRead: number } }).store.lastRowsRead };
  });
}

describe("incremental query cost", () => {
  it("reads about the same rows with 20k alerts of history as with 1k", { timeout: 60_000 }, async ({ expect }) => {
    const small = await projectWith(1_000);
    const big = await projectWith(20_000);
    const since_us = Date.UTC(2026, 6, 1) * 1000;
    const cases: Record<string, (c: number) => AlertQueryFilters> = {
      since: () => ({ since_us, limit: 100 }),
      cursor: (c) => ({ cursor: c, limit: 100 }),
      "since + run + min_level": () => ({ since_us, run_id: "a".repeat(32), min_level: "warn", limit: 100 }),
      "cursor + level": (c) => ({ cursor: c, level: "error", limit: 100 }),
      "newest 10": () => ({ limit: 10 }),
    };
    for (const [name, f] of Object.entries(cases)) {
      const a = await rowsRead(small.stub, f(small.cursor));
      const b = await rowsRead(big.stub, f(big.cursor));
      expect(a.n, name).toBe(10);
      expect(b.n, name).toBe(10);
      expect(b.read, `${name}: ${a.read} rows read with 1k, ${b.read} with 20k`).toBeLessThanOrEqual(Math.max(a.read * 1.2, a.read + 2));
      expect(b.read, name).toBeLessThan(50);
    }
  });
});
