import type { StoredAlert } from "./alert-store";
import { matches } from "./match";
import type { StoredFilters } from "./types";

type Waiter = { filters: StoredFilters; cursor: number; wake: () => void };

/**
 * Long-poll waiters held in memory. A waiter keeps the object awake (its timer prevents
 * hibernation), so losing this set to eviction cannot happen while one is pending. Stores wake
 * the waiters whose filters match a new alert: there is no polling loop.
 */
export class Waiters {
  private readonly pending = new Set<Waiter>();

  /** Resolves true when a matching alert after `cursor` is stored, false after `timeoutMs`. */
  wait(filters: StoredFilters, cursor: number, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        filters,
        cursor,
        wake: () => {
          clearTimeout(timer);
          this.pending.delete(waiter);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.pending.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.pending.add(waiter);
    });
  }

  notify(created: StoredAlert[]) {
    for (const w of [...this.pending]) {
      if (created.some((c) => c.alert.cursor > w.cursor && matches(c.alert, c.us, w.filters))) w.wake();
    }
  }
}
