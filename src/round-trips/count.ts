/**
 * Counts, per request, the D1 round trips and Durable Object calls the Worker makes, for the
 * benchmarks (`COUNT_ROUND_TRIPS = "true"`, never set in wrangler.toml). On Cloudflare each of
 * them is a network round trip from an edge far from the database or the object, so they are
 * what a request costs in production whatever the local machine's speed. The bindings are
 * wrapped, not the code that uses them, so nothing is counted by reasoning: every `first`, `all`,
 * `run`, `raw`, `batch`, `exec` and `dump` is one D1 round trip, every method call or `fetch` on a
 * Durable Object stub one call; the rows D1 reports reading and writing are summed too. The object's own D1 queries are counted by the object
 * (`countObjectD1`) into the same isolate-wide tally, so a request's `do_d1` figure is exact only
 * when requests are measured one at a time (as bench/round-trips.mjs does).
 */

export const ROUND_TRIPS_HEADER = "x-trackflare-round-trips";

/** Round trips, and the rows D1 says the Worker's queries read and wrote (what D1 bills). */
export type RoundTrips = { d1: number; do: number; do_d1: number; rows_read: number; rows_written: number };

// Isolate-wide; locally the Worker and its Durable Objects share one isolate.
const tally: RoundTrips = { d1: 0, do: 0, do_d1: 0, rows_read: 0, rows_written: 0 };

/** Adds a result's D1 meta (`all`, `run` and each statement of a `batch` carry one) to the rows billed. */
function bill(result: unknown) {
  for (const r of Array.isArray(result) ? result : [result]) {
    const meta = (r as { meta?: { rows_read?: number; rows_written?: number } } | null)?.meta;
    tally.rows_read += meta?.rows_read ?? 0;
    tally.rows_written += meta?.rows_written ?? 0;
  }
  return result;
}
const billed = <T>(p: T): T => (p instanceof Promise ? (p.then(bill) as T) : p);

export const countingEnabled = (env: { COUNT_ROUND_TRIPS?: string }) => env.COUNT_ROUND_TRIPS === "true";

const D1_CALLS = new Set(["first", "all", "run", "raw"]);

function countingD1(d1: D1Database, bump: () => void): D1Database {
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrapStatement = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target);
        if (typeof v !== "function") return v;
        if (prop === "bind") return (...args: unknown[]) => wrapStatement((v as (...a: unknown[]) => D1PreparedStatement).apply(target, args));
        if (D1_CALLS.has(prop as string)) return (...args: unknown[]) => (bump(), billed(Reflect.apply(v, target, args)));
        return v.bind(target);
      },
    });
    real.set(proxy, stmt);
    return proxy;
  };
  return new Proxy(d1, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (typeof v !== "function") return v;
      if (prop === "prepare") return (sql: string) => wrapStatement(target.prepare(sql));
      // The runtime's batch wants its own statement objects.
      if (prop === "batch") return (stmts: D1PreparedStatement[]) => (bump(), billed(target.batch(stmts.map((s) => real.get(s) ?? s))));
      if (prop === "exec" || prop === "dump") return (...args: unknown[]) => (bump(), Reflect.apply(v, target, args));
      return v.bind(target);
    },
  });
}

function countingStub<T extends object>(stub: T): T {
  return new Proxy(stub, {
    get(target, prop) {
      const v = Reflect.get(target, prop);
      if (typeof v !== "function" || typeof prop === "symbol") return v;
      // Called as a method of the stub: on an RPC stub `v.apply` would itself be a remote property.
      return (...args: unknown[]) => {
        tally.do++;
        return (target as Record<string, (...a: unknown[]) => unknown>)[prop](...args);
      };
    },
  });
}

function countingNamespace<T extends DurableObjectNamespace>(ns: T): T {
  return new Proxy(ns, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (prop === "get" || prop === "getByName") return (...args: unknown[]) => countingStub((v as (...a: unknown[]) => object).apply(target, args));
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

/** The Worker's bindings with D1 and the Durable Object namespace counted. */
function countingEnv(env: Env): Env {
  return { ...env, DB: countingD1(env.DB, () => tally.d1++), PROJECT_ALERTS: countingNamespace(env.PROJECT_ALERTS) };
}

/** Inside the Durable Object: its D1 binding, counted as the object's. */
export function countObjectD1(env: Env): Env {
  return countingEnabled(env) ? { ...env, DB: countingD1(env.DB, () => tally.do_d1++) } : env;
}

/**
 * Wraps the Worker's fetch handler: with counting on, the response carries the request's counts
 * in `x-trackflare-round-trips` (`d1=1, do=0, do_d1=0, rows_read=…, rows_written=…`; the rows are the
 * Worker's own queries', the object's are not billed here). Work left to `waitUntil` after the
 * response (a key's last-used stamp, once a minute) is not in the figure.
 */
export function withRoundTripCounts(fetch: ExportedHandlerFetchHandler<Env>): ExportedHandlerFetchHandler<Env> {
  return async (req, env, ctx) => {
    if (!countingEnabled(env)) return fetch(req, env, ctx);
    const before = { ...tally };
    const res = await fetch(req, countingEnv(env), ctx);
    const counts = (Object.keys(tally) as (keyof RoundTrips)[]).map((k) => `${k}=${tally[k] - before[k]}`).join(", ");
    // A WebSocket upgrade's headers cannot be changed; everything else is copied with the count.
    if (res.webSocket) return res;
    const out = new Response(res.body, res);
    out.headers.set(ROUND_TRIPS_HEADER, counts);
    return out;
  };
}
