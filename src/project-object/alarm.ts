/**
 * The object has one alarm and several kinds of timed work: webhook re-sends (outbox.ts) and stale
 * checks (stale-watch.ts). Each reports when it is next due; the alarm is kept at the earliest of
 * them and is only ever lowered here, never raised, so no part can push back another's due time.
 * `alarm()` runs every part, then `arm()` sets the alarm again for whatever is due next.
 */
export class AlarmScheduler {
  constructor(
    private readonly storage: DurableObjectStorage,
    /** Each part's next due time in epoch milliseconds, or null when it has nothing pending. */
    private readonly dueTimes: (() => number | null)[],
  ) {}

  /** Makes sure the alarm fires by the earliest due time of any part. */
  async arm(): Promise<void> {
    let next: number | null = null;
    for (const due of this.dueTimes) {
      const at = due();
      if (at !== null && (next === null || at < next)) next = at;
    }
    if (next !== null) await this.lowerTo(next);
  }

  /** Makes sure the alarm fires by `atMs`. */
  async lowerTo(atMs: number): Promise<void> {
    await lowerAlarm(this.storage, await this.storage.getAlarm(), atMs);
  }
}

/**
 * Lowers the alarm to `atMs` given `current`, the alarm as read earlier. No await before the
 * `setAlarm`, so a caller that wrote rows just before has them and the alarm in the same write.
 */
export function lowerAlarm(storage: DurableObjectStorage, current: number | null, atMs: number): Promise<void> {
  return current === null || current > atMs ? storage.setAlarm(atMs) : Promise.resolve();
}
