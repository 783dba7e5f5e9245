import { describe, it } from "vitest";
import { APIConnectionError, APIError, BadRequestError, InternalServerError } from "../../sdk/src/errors";
import { BoundedQueue } from "../../sdk/src/tracking/queue";
import { MAX_5XX_PER_BATCH, Sender, type Batch } from "../../sdk/src/tracking/sender";

describe("BoundedQueue", () => {
  it("keeps the newest `capacity` entries in order and counts what it dropped", ({ expect }) => {
    const q = new BoundedQueue<number>(1000);
    for (let i = 0; i < 25_000; i++) {
      q.push(i);
      if (i % 7000 === 6999) q.take(300);
    }
    expect(q.size).toBe(1000);
    const all = q.take(5000);
    expect(all).toEqual(Array.from({ length: 1000 }, (_, k) => 24_000 + k));
    expect(q.takeDropped()).toBe(25_000 - 1000 - 3 * 300);
    expect(q.takeDropped()).toBe(0);
    expect(q.size).toBe(0);
  });
});

/** A sender over an in-memory "server" that refuses entries < 0 and fails the first `down` calls. */
function harness(opts: { down?: number; refuse?: (n: number) => APIError | null } = {}) {
  const stored: number[] = [];
  const warnings: string[] = [];
  const calls: number[][] = [];
  let down = opts.down ?? 0;
  const sender = new Sender<number>({
    what: "log entries",
    capacity: 10_000,
    maxBatch: 64,
    flushAt: 1,
    warn: (m) => warnings.push(m),
    where: (items) => `at ${items[0]}`,
    async send(batch: Batch<number>) {
      calls.push(batch.items);
      if (down > 0) {
        down--;
        throw new APIConnectionError("refused");
      }
      for (const n of batch.items) {
        const err = opts.refuse?.(n);
        if (err) throw err;
      }
      stored.push(...batch.items);
    },
  });
  return { sender, stored, warnings, calls };
}

describe("Sender", () => {
  it("isolates a refused entry by splitting its batch (log2(n) extra requests), keeping every other one", async ({ expect }) => {
    const h = harness({ refuse: (n) => (n === 41 ? new BadRequestError(400, "invalid_request", "bad metric name") : null) });
    for (let i = 0; i < 64; i++) h.sender.queue.push(i);
    await h.sender.flushUntil(Date.now() + 5000);
    expect(h.stored.sort((a, b) => a - b)).toEqual([...Array(64).keys()].filter((n) => n !== 41));
    expect(h.warnings).toEqual(["dropped 1 log entry at 41: HTTP 400: bad metric name"]);
    expect(h.calls.length).toBeLessThanOrEqual(1 + 2 * 6);
  });

  it("drops a whole batch on a 4xx that splitting cannot fix", async ({ expect }) => {
    const h = harness({ refuse: () => new APIError(403, "forbidden", "read-only key") });
    for (let i = 0; i < 10; i++) h.sender.queue.push(i);
    await h.sender.flushUntil(Date.now() + 5000);
    expect(h.stored).toEqual([]);
    expect(h.warnings).toEqual(["dropped 10 log entries at 0: HTTP 403: read-only key"]);
  });

  it("retries a failed batch unchanged until the server answers, warning once", async ({ expect }) => {
    const h = harness({ down: 3 });
    for (let i = 0; i < 10; i++) h.sender.queue.push(i);
    await h.sender.flushUntil(Date.now() + 20_000);
    expect(h.stored).toEqual([...Array(10).keys()]);
    expect(h.calls).toHaveLength(4);
    expect(new Set(h.calls.map((c) => c.join()))).toEqual(new Set(["0,1,2,3,4,5,6,7,8,9"]));
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toMatch(/^could not deliver log entries \(refused\); retrying with backoff, 10 buffered$/);
  });

  it("gives up at the deadline and keeps what it could not send", async ({ expect }) => {
    const h = harness({ down: 1_000_000 });
    for (let i = 0; i < 100; i++) h.sender.queue.push(i);
    const t0 = Date.now();
    await h.sender.flushUntil(Date.now() + 400);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(h.sender.buffered).toBe(100);
    expect(h.sender.takeAll().flatMap((b) => b.items)).toEqual([...Array(100).keys()]);
  });

  it("isolates an entry the server keeps failing on with 5xx, drops it with a counting warning and sends the rest", { timeout: 90_000 }, async ({ expect }) => {
    const h = harness({ refuse: (n) => (n === 17 || n === 50 ? new InternalServerError(500, "internal", "Internal error") : null) });
    for (let i = 0; i < 64; i++) h.sender.queue.push(i);
    await h.sender.flushUntil(Date.now() + 60_000);
    expect(h.stored.sort((a, b) => a - b)).toEqual([...Array(64).keys()].filter((n) => n !== 17 && n !== 50));
    const drops = h.warnings.filter((w) => w.startsWith("dropped"));
    expect(drops).toHaveLength(2);
    expect(drops[0]).toMatch(/^dropped 1 log entry at (17|50): the server failed on it 5 times in a row while accepting others \(HTTP 500: Internal error\); 1 dropped this way so far$/);
    expect(drops[1]).toMatch(/; 2 dropped this way so far$/);
    expect(h.sender.poisoned).toBe(2);
    // Bounded: a few attempts per halving, and two more rounds for each dropped entry.
    expect(h.calls.length).toBeLessThanOrEqual(MAX_5XX_PER_BATCH * (2 * 7 + 4) + 64);
  });

  it("drops nothing while every request fails with 5xx (an outage), and delivers all once the server recovers", { timeout: 90_000 }, async ({ expect }) => {
    let down = true;
    const h = harness({ refuse: () => (down ? new InternalServerError(503, "internal", "unavailable") : null) });
    for (let i = 0; i < 20; i++) h.sender.queue.push(i);
    const flushing = h.sender.flushUntil(Date.now() + 60_000);
    await new Promise((r) => setTimeout(r, 8000));
    expect(h.warnings.filter((w) => w.startsWith("dropped"))).toEqual([]);
    expect(h.sender.buffered).toBe(20);
    down = false;
    await flushing;
    expect(h.stored.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(h.warnings.filter((w) => w.startsWith("could not deliver"))).toHaveLength(1);
  });
});

