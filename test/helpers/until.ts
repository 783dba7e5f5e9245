/** Polls `fn` until `ok` accepts its value, or throws with the last value after `timeoutMs`. */
export async function until<T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const { timeoutMs = 8000, intervalMs = 100 } = opts;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(v)?.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
