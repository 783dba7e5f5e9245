import { formatTimestamp, type CreateRun, type CreatedRun, type Diagnosis } from "../../../src/contract";
import { toAlertLevel, type AlertLevel } from "../alert-level";
import { Client } from "../client";
import { resolveConnection } from "../connection";
import { APIConnectionError, PayloadTooLargeError, isRetryable } from "../errors";
import { backoffMs, sleep, unref } from "../internal/backoff";
import { hexId } from "../internal/ids";
import { alertsBody, LogEncoder, MAX_BODY_CHARS, nowMicros, stepsOf, type AlertItem, type LogItem } from "./encode";
import { installExitHook, type SyncRequest } from "./exit-hook";
import { resolveMedia } from "./media-uploads";
import { createRunBody, type InitOptions } from "./options";
import { Sender, describe, type Batch } from "./sender";

export type { InitOptions } from "./options";

/**
 * A run being tracked. `log` and `alert` only push into bounded buffers; two senders deliver them
 * in batches with ids fixed at call time, so retries never duplicate. After `Run.start` nothing
 * here throws: problems become warnings.
 */
/** How a run ends from its script: `stopped` is what a finished run asked to stop becomes. */
export type FinishStatus = "finished" | "failed" | "stopped";

export class Run {
  readonly project: string;
  readonly group: string | null;
  name: string | null;
  id: string;
  config: Record<string, unknown>;
  readonly url: string;
  private nextStep = 0;
  private seq = 0;
  private readonly logs: Sender<LogItem>;
  private readonly alerts: Sender<AlertItem>;
  private readonly flushAt: number;
  private kicked = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private created: boolean;
  private creating: Promise<void> | null = null;
  private finishing: Promise<void> | null = null;
  private closed = false;
  private stop: { reason: string | null } | null = null;
  private removeExitHook: () => void = () => undefined;
  private readonly warned = new Set<string>();
  private readonly encoder = new LogEncoder(
    (m) => this.warn(m),
    (k, m) => this.warnOnce(k, m),
  );

  private constructor(
    private readonly client: Client,
    private readonly opts: InitOptions,
    private readonly createBody: CreateRun,
    created: CreatedRun | null,
  ) {
    this.project = opts.project;
    this.group = opts.group ?? null;
    this.created = created !== null;
    this.id = created?.id ?? createBody.id!;
    this.name = created?.name ?? opts.name ?? null;
    this.config = created?.config ?? { ...(opts.config ?? {}) };
    if (created?.last_step !== null && created?.last_step !== undefined) this.nextStep = created.last_step + 1;
    this.url = `${client.url}/?project=${encodeURIComponent(this.project)}`;
    const maxBuffer = Math.max(2, opts.maxBuffer ?? 100_000);
    // The batch in flight counts against the bound too, so memory never exceeds maxBuffer entries.
    const batch = Math.max(1, Math.min(opts.maxBatch ?? 1000, Math.floor(maxBuffer / 4)));
    this.flushAt = Math.max(1, opts.flushAt ?? 100);
    const common = { capacity: maxBuffer - batch, maxBatch: batch, flushAt: this.flushAt, warn: (m: string) => this.warn(m) };
    this.logs = new Sender<LogItem>({ ...common, what: "log entries", send: (b, s) => this.sendLogs(b, s), where: stepsOf });
    this.alerts = new Sender<AlertItem>({ ...common, what: "alerts", maxBatch: Math.min(batch, 1000), send: (b, s) => this.sendAlerts(b, s), where: stepsOf });
    this.timer = setInterval(() => this.tick(), opts.flushIntervalMs ?? 500);
    unref(this.timer);
  }

  /** Creates (or resumes) the run on the server; used by `init`. Throws on bad input or a refused key. */
  static async start(opts: InitOptions): Promise<Run> {
    const body = createRunBody(opts);
    const resume = body.resume ?? "never";
    const client = new Client({ ...resolveConnection(opts), fetch: opts.fetch, timeoutMs: opts.requestTimeoutMs ?? 15_000 });
    let created: CreatedRun | null = null;
    const deadline = Date.now() + (opts.initTimeoutMs ?? 10_000);
    for (let attempt = 0; ; attempt++) {
      try {
        created = await client.runs.create(opts.project, body);
        break;
      } catch (err) {
        if (!isRetryable(err)) throw err;
        if (Date.now() >= deadline) {
          // Without the server a resumed run's last step is unknown, so only a new run goes on offline.
          if (resume !== "never") throw err;
          break;
        }
        await sleep(Math.min(backoffMs(attempt), Math.max(0, deadline - Date.now())), undefined, true);
      }
    }
    const run = new Run(client, opts, body, created);
    if (!created) run.warn(`${client.url} is unreachable; logging goes on and the run is created when the server answers`);
    else if (!opts.quiet) console.log(`* ${created.resumed ? "Resumed existing" : "Created new"} run: ${created.name}`);
    if (opts.exitHook !== false) run.removeExitHook = await installExitHook(run);
    return run;
  }

  /**
   * Records metrics at `step` (default: one past the highest step so far, Trackio's rule). Returns
   * at once: the entry is buffered and sent in the background. Values may be `Image`, `Audio`,
   * `Video`, `Table` or `Histogram`: files are uploaded first, and the entry is sent once they are stored.
   */
  log(metrics: Record<string, unknown>, step?: number | null): void {
    if (this.closed) return this.warnOnce("log-closed", "log() after finish() is ignored");
    if (typeof metrics !== "object" || metrics === null || Array.isArray(metrics)) return this.warnOnce("log-metrics", "log() needs an object of metrics; the call was ignored");
    let s: number;
    if (step === undefined || step === null) s = this.nextStep;
    else if (Number.isSafeInteger(step) && step >= 0) s = step;
    else return this.warnOnce("log-step", `log() step must be a non-negative integer, got ${String(step)}; the call was ignored`);
    if (s >= this.nextStep) this.nextStep = s + 1;
    this.logs.queue.push({ s, m: { ...metrics }, t: Date.now(), n: this.seq++ });
    if (!this.kicked && this.logs.queue.size >= this.flushAt) this.kick();
  }

  /**
   * Raises an alert (default level warn) at `step` (default: the last logged step). `webhookUrl`:
   * this alert's own webhook instead of the run's (the run's `webhookMinLevel` still applies).
   */
  alert(title: string, text?: string | null, level: AlertLevel | string = "warn", step?: number | null, webhookUrl?: string | null): void {
    if (this.closed) return this.warnOnce("alert-closed", "alert() after finish() is ignored");
    const lvl = toAlertLevel(level);
    if (!lvl) return this.warn(`alert() level must be info, warn or error, got '${String(level)}'; the alert was ignored`);
    if (typeof title !== "string" || !title) return this.warn("alert() needs a non-empty title; the alert was ignored");
    const s = step === undefined || step === null ? Math.max(this.nextStep - 1, 0) : step;
    if (!Number.isSafeInteger(s) || s < 0) return this.warn(`alert() step must be a non-negative integer, got ${String(step)}; the alert was ignored`);
    const t = text ?? null;
    if (!this.opts.quiet) console.log(`[TRACKFLARE ${lvl.toUpperCase()}] ${title}${t ? `: ${t}` : ""} (step ${s})`);
    this.alerts.queue.push({ title, text: t, level: lvl, step: s, timestamp: formatTimestamp(nowMicros()), alert_id: hexId(), ...(webhookUrl ? { webhook_url: webhookUrl } : {}) });
    this.kick();
  }

  /** Sends what is buffered (retrying for up to `timeoutMs`), marks the run finished, stops the timer. Never throws. */
  finish(opts: { status?: FinishStatus; timeoutMs?: number } = {}): Promise<void> {
    // A run asked to stop that finishes normally ends `stopped` (the server would store it so too).
    const status = opts.status ?? (this.stop ? "stopped" : "finished");
    this.finishing ??= this.doFinish(status === "finished" && this.stop ? "stopped" : status, opts.timeoutMs ?? this.opts.finishTimeoutMs ?? 30_000);
    return this.finishing;
  }

  /** Sends what is buffered now; resolves when the senders are idle. Never throws. */
  async flush(): Promise<void> {
    await Promise.all([this.logs.flush(), this.alerts.flush()]);
  }

  /** Buffer sizes and delivery counts, for monitoring the tracker itself. */
  stats() {
    return {
      buffered_logs: this.logs.buffered,
      buffered_alerts: this.alerts.buffered,
      delivered_logs: this.logs.delivered,
      delivered_alerts: this.alerts.delivered,
    };
  }

  /** `<Run lr-0.01 (3f9a2c1d) in project cifar>`: the name, the start of the id, the project. */
  toString(): string {
    return `<Run ${this.name ?? this.id} (${this.id.slice(0, 8)}) in project ${this.project}>`;
  }

  private async doFinish(status: FinishStatus, timeoutMs: number) {
    this.closed = true;
    clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    try {
      await Promise.all([this.logs.flushUntil(deadline), this.alerts.flushUntil(deadline)]);
      this.logs.reportDropped();
      this.alerts.reportDropped();
      const left = this.logs.buffered + this.alerts.buffered;
      if (left) this.warn(`could not deliver ${left} buffered entries within ${timeoutMs} ms; they are lost`);
      await this.withRetry(deadline, async (signal) => {
        await this.ensureCreated(signal);
        await this.client.request("POST", `/v1/projects/${encodeURIComponent(this.project)}/runs/${this.id}/finish`, { body: { status }, signal });
      });
    } catch (err) {
      this.warn(`could not mark the run ${status}: ${describe(err)}`);
    } finally {
      this.removeExitHook();
    }
  }

  private async withRetry(deadline: number, fn: (signal: AbortSignal) => Promise<void>) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn(AbortSignal.timeout(Math.max(1, deadline - Date.now())));
      } catch (err) {
        if (!isRetryable(err) || Date.now() >= deadline) throw err;
        await sleep(Math.min(backoffMs(attempt), Math.max(0, deadline - Date.now())), undefined, true);
      }
    }
  }

  private tick() {
    if (this.logs.queue.size) void this.logs.flush();
    if (this.alerts.queue.size) void this.alerts.flush();
  }

  // A microtask, not a send inside log(): the training loop pays for a push, not for JSON.
  private kick() {
    this.kicked = true;
    queueMicrotask(() => {
      this.kicked = false;
      this.tick();
    });
  }

  private ensureCreated(signal?: AbortSignal): Promise<void> {
    if (this.created) return Promise.resolve();
    this.creating ??= this.client.runs.create(this.project, this.createBody).then(
      (run) => {
        this.created = true;
        this.id = run.id;
        this.name = run.name;
        this.config = run.config;
      },
      (err) => {
        this.creating = null;
        throw err;
      },
    );
    return signal ? raceAbort(this.creating, signal) : this.creating;
  }

  private async sendLogs(batch: Batch<LogItem>, signal: AbortSignal | undefined) {
    await this.ensureCreated(signal);
    if (batch.body === undefined) {
      await resolveMedia(
        batch.items,
        (f, data, contentType, step, name) => this.client.media.upload(this.project, this.id, data, contentType, { step, name, caption: f.caption, id: f.uploadId, kind: f.kind, signal }),
        (m) => this.warn(m),
      );
    }
    batch.body ??= this.encoder.body(batch);
    if (batch.body.length > MAX_BODY_CHARS) throw new PayloadTooLargeError(413, "payload_too_large", "batch larger than the server accepts");
    if (!batch.items.length) return;
    const res = await this.client.logs.append(this.project, this.id, batch.body, { signal });
    if (res.stop_requested && !this.stop) this.stopRequested(res.stop_reason ?? null);
  }

  private stopRequested(reason: string | null) {
    this.stop = { reason };
    try {
      this.opts.onStop?.(reason);
    } catch (err) {
      // The callback is the user's code; its failure must not reach the sender's retries.
      this.warn(`onStop threw: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * True once a stop was requested for this run (learnt from the answer to a log batch, so within
   * one flush interval of the next \`log()\`). Finish the run then: it ends \`stopped\`.
   */
  shouldStop(): boolean {
    return this.stop !== null;
  }

  /** The stop request's reason (null without one, or before a stop was requested). */
  get stopReason(): string | null {
    return this.stop?.reason ?? null;
  }

  /** This run's bounded diagnosis, read now (see \`Api.diagnosis\`). */
  diagnosis(): Promise<Diagnosis> {
    return this.client.runs.diagnosis(this.project, this.id);
  }

  private async sendAlerts(batch: Batch<AlertItem>, signal: AbortSignal | undefined) {
    await this.ensureCreated(signal);
    batch.body ??= alertsBody(batch.items, this.id);
    await this.client.alerts.create(this.project, batch.body, { signal });
  }

  /** The exit hook's last chance: every undelivered request, to be sent synchronously. */
  syncRequests(status: "finished" | "failed"): SyncRequest[] {
    // Also mid-finish(): its requests die with the process; resending an in-flight batch is
    // harmless because its ids are already fixed.
    this.closed = true;
    clearInterval(this.timer);
    const base = `${this.client.url}/v1/projects/${encodeURIComponent(this.project)}`;
    const out: SyncRequest[] = [];
    const token = this.client.token;
    if (!this.created) out.push({ url: `${base}/runs`, body: JSON.stringify(this.createBody), token });
    for (const b of this.logs.takeAll()) {
      const body = b.body ?? this.encoder.body(b);
      if (b.items.length) out.push({ url: `${base}/runs/${this.id}/logs`, body, token });
    }
    for (const b of this.alerts.takeAll()) out.push({ url: `${base}/alerts`, body: alertsBody(b.items, this.id), token });
    out.push({ url: `${base}/runs/${this.id}/finish`, body: JSON.stringify({ status }), token });
    this.logs.reportDropped();
    this.alerts.reportDropped();
    return out;
  }

  /** Runs `finish()` from the exit hook. */
  finishOnExit(status: "finished" | "failed"): Promise<void> {
    return this.finish({ status });
  }

  warn(message: string): void {
    try {
      if (this.opts.onWarning) this.opts.onWarning(message);
      else console.warn(`[trackflare] ${message}`);
    } catch {
      // a throwing warning handler must not reach the training loop either
    }
  }

  private warnOnce(key: string, message: string) {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warn(message);
  }
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new APIConnectionError("aborted"));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new APIConnectionError("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
