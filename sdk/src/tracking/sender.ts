import { APIError, isRetryable } from "../errors";
import { backoffMs, sleep } from "../internal/backoff";
import { BoundedQueue } from "./queue";

/**
 * Entries taken from the queue together; `body` is serialised once so a retry resends the same
 * bytes. `failed5xx` counts this batch's 5xx answers in a row; `suspectAfter` is set when a
 * single entry was put back behind the others (the sender's delivered count at that moment).
 */
export type Batch<T> = { items: T[]; body?: string; failed5xx?: number; suspectAfter?: number };

/**
 * 5xx answers in a row to the same batch before it is split: a server that answers others but
 * fails on one entry (a bug, a limit it should have answered with a 4xx) must not stall a run.
 */
export const MAX_5XX_PER_BATCH = 5;

export type SenderOptions<T> = {
  /** "log entries", "alerts": used in warnings. */
  what: string;
  capacity: number;
  maxBatch: number;
  /** Drain as soon as this many entries wait (the 0.5 s timer drains the rest). */
  flushAt: number;
  send: (batch: Batch<T>, signal: AbortSignal | undefined) => Promise<void>;
  /** Where a dropped batch was, for the warning: "at step 17". */
  where?: (items: T[]) => string;
  warn: (message: string) => void;
};

/**
 * Moves buffered entries to the server in batches, one request at a time. Network errors, 5xx,
 * 408 and 429 are retried with backoff and jitter, resending the same batch (its ids make the
 * retry idempotent); a 400 or 413 splits the batch to isolate the entry the server refuses; any
 * other 4xx drops the batch with a warning. A batch answered 5xx MAX_5XX_PER_BATCH times in a
 * row is split too; a single entry that keeps failing is put behind the others, and dropped
 * (with a warning that counts such entries) only when it fails again after other entries got
 * through, so an outage, where nothing gets through, drops nothing. Nothing here throws.
 */
export class Sender<T> {
  readonly queue: BoundedQueue<T>;
  /** Taken from the queue but not delivered yet (a failed batch, or the halves of a split one). */
  private pending: Batch<T>[] = [];
  private draining: Promise<void> | null = null;
  private failures = 0;
  /** The "retrying" warning is given once per run of failures, however often halves restart the backoff. */
  private retryWarned = false;
  private deadline = Number.POSITIVE_INFINITY;
  private wake = new AbortController();
  delivered = 0;
  /** Entries dropped because the server failed on them alone (5xx), for the warning. */
  poisoned = 0;

  constructor(private readonly o: SenderOptions<T>) {
    this.queue = new BoundedQueue<T>(o.capacity);
  }

  /** Entries not yet delivered, in the queue or in flight. */
  get buffered(): number {
    let n = this.queue.size;
    for (const b of this.pending) n += b.items.length;
    return n;
  }

  /** Starts a drain unless one is running; resolves when it stops. */
  flush(): Promise<void> {
    this.draining ??= this.drain().finally(() => (this.draining = null));
    return this.draining;
  }

  /** Drains everything, retrying until `deadline` (epoch ms); then gives up the retries in progress. */
  async flushUntil(deadline: number): Promise<void> {
    this.deadline = deadline;
    // Cut the current backoff sleep short; later sleeps wait on the fresh controller.
    const sleeping = this.wake;
    this.wake = new AbortController();
    sleeping.abort();
    await this.draining;
    if (Date.now() < deadline) await this.flush();
  }

  /** Everything not delivered, removed from the sender (the exit hook's last attempt). */
  takeAll(): Batch<T>[] {
    const out = this.pending;
    this.pending = [];
    while (this.queue.size) out.push({ items: this.queue.take(this.o.maxBatch) });
    return out;
  }

  /** The one warning about entries dropped from a full buffer, with their count. */
  reportDropped(): void {
    const n = this.queue.takeDropped();
    if (n) this.o.warn(`dropped the ${n} oldest ${this.o.what}: at most ${this.o.capacity + this.o.maxBatch} are buffered while the server cannot be reached`);
  }

  private finalMode() {
    return this.deadline !== Number.POSITIVE_INFINITY;
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (Date.now() >= this.deadline) return;
      let batch = this.pending.shift();
      if (!batch) {
        if (this.queue.size === 0) return;
        batch = { items: this.queue.take(this.o.maxBatch) };
      }
      const left = this.deadline - Date.now();
      const signal = Number.isFinite(left) ? AbortSignal.timeout(Math.max(1, left)) : undefined;
      try {
        await this.o.send(batch, signal);
        this.delivered += batch.items.length;
        this.failures = 0;
        this.retryWarned = false;
        this.reportDropped();
        // Outside finish(), stop once fewer than flushAt wait: the timer sends the rest in 0.5 s.
        if (!this.finalMode() && !this.pending.length && this.queue.size < this.o.flushAt) return;
      } catch (err) {
        if (err instanceof APIError && err.status >= 500 && !signal?.aborted && (batch.failed5xx = (batch.failed5xx ?? 0) + 1) >= MAX_5XX_PER_BATCH) {
          this.isolate(batch, err);
        } else if (isRetryable(err) || signal?.aborted) {
          this.pending.unshift(batch);
          this.failures++;
          if (!this.retryWarned) this.o.warn(`could not deliver ${this.o.what} (${describe(err)}); retrying with backoff, ${this.buffered} buffered`);
          this.retryWarned = true;
          await sleep(Math.min(backoffMs(this.failures - 1), Math.max(0, this.deadline - Date.now())), this.wake.signal, this.finalMode());
        } else if (err instanceof APIError && (err.status === 400 || err.status === 413) && batch.items.length > 1) {
          const mid = Math.ceil(batch.items.length / 2);
          this.pending.unshift({ items: batch.items.slice(0, mid) }, { items: batch.items.slice(mid) });
        } else {
          const what = batch.items.length === 1 ? this.o.what.replace(/ies$/, "y").replace(/s$/, "") : this.o.what;
          const where = this.o.where && batch.items.length ? ` ${this.o.where(batch.items)}` : "";
          this.o.warn(`dropped ${batch.items.length} ${what}${where}: ${describe(err)}`);
        }
      }
    }
  }

  /** A batch the server keeps failing on: halves, or a single entry put back or dropped. */
  private isolate(batch: Batch<T>, err: APIError) {
    if (batch.items.length > 1) {
      const mid = Math.ceil(batch.items.length / 2);
      this.pending.unshift({ items: batch.items.slice(0, mid) }, { items: batch.items.slice(mid) });
      // Halves are new requests: start their backoff afresh (a single put back does not).
      this.failures = 0;
    } else if (batch.suspectAfter !== undefined && this.delivered > batch.suspectAfter) {
      this.poisoned++;
      const what = this.o.what.replace(/ies$/, "y").replace(/s$/, "");
      const where = this.o.where ? ` ${this.o.where(batch.items)}` : "";
      this.o.warn(
        `dropped 1 ${what}${where}: the server failed on it ${MAX_5XX_PER_BATCH} times in a row while accepting others (${describe(err)}); ${this.poisoned} dropped this way so far`,
      );
    } else {
      // Behind the others (taking a batch from the queue if nothing else waits), so they are
      // not held up; dropped only if it fails again once something else got through.
      if (!this.pending.length && this.queue.size) this.pending.push({ items: this.queue.take(this.o.maxBatch) });
      this.pending.push({ items: batch.items, body: batch.body, suspectAfter: this.delivered });
    }
  }
}

export function describe(err: unknown): string {
  if (err instanceof APIError) return `HTTP ${err.status}: ${err.describe()}`;
  return err instanceof Error ? err.message : String(err);
}
