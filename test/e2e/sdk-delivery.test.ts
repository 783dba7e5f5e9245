import { describe, inject, it } from "vitest";
import * as trackflare from "../../sdk/src/index";
import { AuthenticationError, Client, PermissionDeniedError, TrackflareError } from "../../sdk/src/index";

// Delivery guarantees of the SDK against the real server: a retried batch is stored once, a bad
// entry does not take its batch down, a dead server costs bounded memory, and nothing throws into
// the training loop after init.

let seq = 0;
const uniqueProject = (p: string) => `${p}-${Date.now().toString(36)}-${(seq++).toString(36)}`;
const admin = () => new Client({ url: inject("baseUrl"), token: inject("adminToken") });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function opts(project: string, extra: Partial<trackflare.InitOptions> = {}): trackflare.InitOptions {
  return { project, url: inject("baseUrl"), token: inject("adminToken"), quiet: true, exitHook: false, ...extra };
}

type Seen = { path: string; body: string; status: number | "lost" };

/**
 * A fetch that reaches the real server, but for the first `failures` requests to paths matching
 * `match` drops the answer after the server stored the batch ("lost"), or answers `status` itself.
 */
function flakyFetch(match: RegExp, failures: number, mode: "lost" | number) {
  const seen: Seen[] = [];
  let left = failures;
  const f: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const body = typeof init?.body === "string" ? init.body : "";
    if (init?.method === "POST" && match.test(url.pathname) && left > 0) {
      left--;
      if (mode === "lost") {
        const res = await fetch(input, init);
        await res.text();
        seen.push({ path: url.pathname, body, status: "lost" });
        throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
      }
      seen.push({ path: url.pathname, body, status: mode });
      return new Response(JSON.stringify({ error: { code: "internal", message: "injected" } }), { status: mode, headers: { "content-type": "application/json" } });
    }
    const res = await fetch(input, init);
    if (match.test(url.pathname)) seen.push({ path: url.pathname, body, status: res.status });
    return res;
  };
  return { fetch: f, seen };
}

describe("retries never duplicate", () => {
  it("a log batch whose answer was lost is resent with the same ids and stored once", async ({ expect }) => {
    const project = uniqueProject("retry-lost");
    const flaky = flakyFetch(/\/logs$/, 1, "lost");
    const warnings: string[] = [];
    const run = await trackflare.Run.start(opts(project, { fetch: flaky.fetch, onWarning: (m) => warnings.push(m) }));
    for (let i = 0; i < 250; i++) run.log({ loss: i });
    await run.finish();
    const [lost, retry] = flaky.seen;
    expect(lost.status).toBe("lost");
    expect(retry.status).toBe(200);
    expect(retry.body).toBe(lost.body); // same entries, same log_ids
    const summary = await admin().runs.get(project, run.id);
    expect(summary.log_count).toBe(250);
    const values = await admin().metrics.values(project, run.id, "loss");
    expect(values.values.map((v) => v.step)).toEqual([...Array(250).keys()]);
    expect(warnings.filter((w) => w.includes("retrying"))).toHaveLength(1);
  });

  it("an alert batch whose answer was lost is stored once", async ({ expect }) => {
    const project = uniqueProject("retry-alert");
    const flaky = flakyFetch(/\/alerts$/, 1, "lost");
    const run = await trackflare.Run.start(opts(project, { fetch: flaky.fetch, onWarning: () => undefined }));
    run.alert("once", "only once", "error");
    await run.finish();
    expect(flaky.seen.map((s) => s.status)).toEqual(["lost", 201]);
    const { alerts } = await admin().alerts.list(project);
    expect(alerts.map((a) => a.title)).toEqual(["once"]);
  });

  it("5xx and 429 answers are retried with backoff until stored", async ({ expect }) => {
    for (const status of [503, 429]) {
      const project = uniqueProject(`retry-${status}`);
      const flaky = flakyFetch(/\/logs$/, 3, status);
      const run = await trackflare.Run.start(opts(project, { fetch: flaky.fetch, onWarning: () => undefined }));
      for (let i = 0; i < 120; i++) run.log({ x: i });
      await run.finish();
      expect(flaky.seen.map((s) => s.status)).toEqual([status, status, status, 200]);
      expect((await admin().runs.get(project, run.id)).log_count).toBe(120);
    }
  });
});

describe("refused entries", () => {
  it("a bad entry is isolated by splitting its batch; the rest are stored and the warning names the field", async ({ expect }) => {
    const project = uniqueProject("bad-entry");
    const warnings: string[] = [];
    const run = await trackflare.Run.start(opts(project, { onWarning: (m) => warnings.push(m) }));
    for (let i = 0; i < 40; i++) run.log(i === 17 ? { ["x".repeat(300)]: 1 } : { ok: i });
    await run.finish();
    expect((await admin().runs.get(project, run.id)).log_count).toBe(39);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^dropped 1 log entry at step 17: HTTP 400: Invalid body: logs\.0\.metrics\.x+: metric names must be at most 256 characters$/);
  });

  it("a key revoked mid-run turns into warnings, never an exception in the loop", async ({ expect }) => {
    const project = uniqueProject("revoked");
    const created = await admin().keys.create({ name: "trainer", scope: "write", projects: [project] });
    const warnings: string[] = [];
    const run = await trackflare.Run.start(opts(project, { token: created.key, onWarning: (m) => warnings.push(m) }));
    run.log({ a: 1 });
    await run.flush();
    await admin().keys.revoke(created.id);
    expect(() => {
      for (let i = 0; i < 10; i++) run.log({ a: i });
      run.alert("still fine");
    }).not.toThrow();
    await run.finish({ timeoutMs: 5000 });
    expect(warnings).toContain("dropped 10 log entries at steps 1–10: HTTP 401: Missing or invalid API key");
    expect(warnings).toContain("dropped 1 alert at step 10: HTTP 401: Missing or invalid API key");
    expect((await admin().runs.get(project, run.id)).log_count).toBe(1);
  });

  it("init throws typed errors for a bad key, a read-only key and bad arguments", async ({ expect }) => {
    const project = uniqueProject("init-errors");
    await expect(trackflare.init(opts(project, { token: "tf_nope" }))).rejects.toBeInstanceOf(AuthenticationError);
    const reader = await admin().keys.create({ name: "reader", scope: "read" });
    await expect(trackflare.init(opts(project, { token: reader.key }))).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(trackflare.init(opts(project, { config: { _private: 1 } }))).rejects.toThrow(/config key '_private' is reserved/);
    await expect(trackflare.init(opts("bad/name"))).rejects.toThrow(/Invalid project/);
    await expect(trackflare.init(opts(project, { resume: "sometimes" as never }))).rejects.toBeInstanceOf(TrackflareError);
    await expect(trackflare.init(opts(project, { resume: "must", name: "ghost" }))).rejects.toThrow(/does not exist/);
    expect(() => trackflare.log({ a: 1 })).toThrow(/Call trackflare.init\(\) before trackflare.log\(\)/);
  });
});

describe("a dead server", () => {
  it("keeps at most maxBuffer entries, drops the oldest with one warning that counts them, and never throws", async ({ expect }) => {
    const warnings: string[] = [];
    const run = await trackflare.Run.start({
      project: uniqueProject("dead"),
      url: "http://127.0.0.1:9",
      token: "tf_x",
      quiet: true,
      exitHook: false,
      initTimeoutMs: 200,
      maxBuffer: 500,
      onWarning: (m) => warnings.push(m),
    });
    expect(warnings[0]).toMatch(/unreachable; logging goes on/);
    let maxBuffered = 0;
    for (let i = 0; i < 5000; i++) {
      run.log({ i });
      if (i % 100 === 0) {
        await sleep(1); // let the sender run and fail
        maxBuffered = Math.max(maxBuffered, run.stats().buffered_logs);
      }
    }
    await sleep(300);
    maxBuffered = Math.max(maxBuffered, run.stats().buffered_logs);
    expect(maxBuffered).toBeLessThanOrEqual(500);
    expect(maxBuffered).toBeGreaterThan(400);
    const buffered = run.stats().buffered_logs;
    await run.finish({ timeoutMs: 300 });
    const drops = warnings.filter((w) => w.includes("oldest"));
    expect(drops).toHaveLength(1);
    expect(drops[0]).toBe(`dropped the ${5000 - buffered} oldest log entries: at most 500 are buffered while the server cannot be reached`);
    expect(warnings.filter((w) => w.includes("retrying"))).toHaveLength(1);
    expect(warnings.some((w) => new RegExp(`could not deliver ${buffered} buffered entries`).test(w))).toBe(true);
  });
});

describe("Trackio semantics", () => {
  it("client-side steps: log, log, log(step=10), log → 0, 1, 10, 11; resume continues after the last step", async ({ expect }) => {
    const project = uniqueProject("steps");
    const run = await trackflare.init(opts(project, { name: "stepper" }));
    trackflare.log({ v: 0 });
    trackflare.log({ v: 1 });
    trackflare.log({ v: 10 }, 10);
    trackflare.log({ v: 11 });
    trackflare.log({ v: 5 }, 5); // going back is allowed and does not move the next step
    trackflare.log({ v: 12 });
    await trackflare.finish();
    const steps = (await admin().metrics.values(project, run.id, "v")).values.map((p) => [p.step, p.value]);
    expect(steps).toEqual([[0, 0], [1, 1], [5, 5], [10, 10], [11, 11], [12, 12]]);

    const resumed = await trackflare.init(opts(project, { name: "stepper", resume: "allow" }));
    expect(resumed.id).toBe(run.id);
    trackflare.log({ v: 13 });
    trackflare.alert("resumed"); // at the last logged step
    await trackflare.finish();
    const after = await admin().metrics.values(project, run.id, "v", { step: 13 });
    expect(after.values).toEqual([expect.objectContaining({ step: 13, value: 13 })]);
    expect((await admin().alerts.list(project)).alerts[0]).toMatchObject({ title: "resumed", step: 13, level: "warn" });
  });

  it("non-finite numbers travel as Trackio's strings; reserved keys are renamed with one warning", async ({ expect }) => {
    const project = uniqueProject("values");
    const warnings: string[] = [];
    const run = await trackflare.Run.start(opts(project, { onWarning: (m) => warnings.push(m) }));
    run.log({ a: NaN, b: Infinity, c: -Infinity, step: 3, nested: { x: [1, 2] } });
    run.log({ step: 4 });
    await run.finish();
    const snap = await admin().metrics.snapshot(project, run.id, { step: 0 });
    expect(Object.fromEntries(Object.entries(snap.metrics).map(([k, v]) => [k, v[0].value]))).toEqual({
      a: "NaN",
      b: "Infinity",
      c: "-Infinity",
      __step: 3,
      nested: { x: [1, 2] },
    });
    expect(warnings).toEqual(["metric keys 'step' are reserved and were stored as '__step'"]);
  });

  it("the caller's object may be mutated after log() without changing what is sent", async ({ expect }) => {
    const project = uniqueProject("copy");
    const run = await trackflare.Run.start(opts(project));
    const m = { loss: 1 };
    run.log(m);
    m.loss = 2;
    run.log(m);
    await run.finish();
    expect((await admin().metrics.values(project, run.id, "loss")).values.map((p) => p.value)).toEqual([1, 2]);
  });
});
