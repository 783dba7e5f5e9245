/**
 * A FIFO with a hard bound: a push past `capacity` drops the oldest entry and counts it, so a
 * dead server costs at most `capacity` entries of memory. `push` is an Array push plus a length
 * check (log() must stay cheap); the consumed prefix is compacted away in amortised O(1).
 */
export class BoundedQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  /** Entries dropped since the last `takeDropped()`. */
  dropped = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
    if (this.items.length - this.head > this.capacity) {
      this.items[this.head++] = undefined;
      this.dropped++;
      if (this.head >= 4096 && this.head * 2 >= this.items.length) this.compact();
    }
  }

  /** Removes and returns up to `n` entries from the front. */
  take(n: number): T[] {
    const end = Math.min(this.items.length, this.head + n);
    const out = this.items.slice(this.head, end) as T[];
    this.head = end;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 4096 && this.head * 2 >= this.items.length) this.compact();
    return out;
  }

  takeDropped(): number {
    const n = this.dropped;
    this.dropped = 0;
    return n;
  }

  private compact() {
    this.items = this.items.slice(this.head);
    this.head = 0;
  }
}
