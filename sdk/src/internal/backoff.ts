/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
 * a random delay in [0, min(cap, base·2^attempt)], so many clients retrying after one outage do
 * not hit the server in lockstep. A floor of base/2 keeps a hot loop from spinning.
 */
export function backoffMs(attempt: number, baseMs = 250, capMs = 5_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.max(baseMs / 2, Math.random() * ceiling);
}

/**
 * Resolves after `ms`, or early when `signal` aborts. Background retries do not keep a Node
 * process alive on their own (`keepAlive` false); retries inside finish() do, up to its deadline.
 */
export function sleep(ms: number, signal?: AbortSignal, keepAlive = false): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    if (!keepAlive) unref(t);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

/** Node timers hold the event loop open; background flushing must not (browsers/Workers lack unref). */
export function unref(t: unknown): void {
  (t as { unref?: () => void } | undefined)?.unref?.();
}
