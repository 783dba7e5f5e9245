import { APIError, isRetryable } from "../errors";
import { backoffMs, sleep } from "../internal/backoff";
import { BoundedQueue } from "./queue";

/** Entries taken from the queue together; `body` is serialised once so a retry resends the same bytes. */
export type Batch<T> = { items: T[]; body?: string };

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
 * other 4xx drops the batch with a warning. Nothing here throws to the caller.
 */
export class Sender<T> {
  readonly queue: BoundedQueue<T>;
  /** Taken from the queue but not delivered yet (a failed batch, or the halves of a split one). */
  private pending: Batch<T>[] = [];
  private draining: Promise<void> | null = null;
  private failures = 0;
  private deadline = Number.POSITIVE_INFINITY;
  private wake = new AbortController();
  delivered = 0;

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
        if (this.failures) this.failures = 0;
        this.reportDropped();
        // Outside finish(), stop once fewer than flushAt wait: the timer sends the rest in 0.5 s.
        if (!this.finalMode() && !this.pending.length && this.queue.size < this.o.flushAt) return;
      } catch (err) {
        if (isRetryable(err) || signal?.aborted) {
          this.pending.unshift(batch);
          if (this.failures++ === 0) this.o.warn(`could not deliver ${this.o.what} (${describe(err)}); retrying with backoff, ${this.buffered} buffered`);
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
}

export function describe(err: unknown): string {
  if (err instanceof APIError) return `HTTP ${err.status}: ${err.describe()}`;
  return err instanceof Error ? err.message : String(err);
}
