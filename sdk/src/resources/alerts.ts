import { AlertSocketMessage, MAX_WAIT_SECONDS, type Alert, type AlertPage, type CreateAlert, type CreatedAlerts, type WaitResult } from "../../../src/contract";
import type { Client, Query } from "../client";
import { isRetryable } from "../errors";
import { seg } from "../internal/path";
import { backoffMs, sleep } from "../internal/backoff";
import { HandshakeError, openSocket, type SocketLike } from "../internal/websocket";

export type AlertFilter = {
  /** Run name or id. */
  run?: string;
  /** Exactly this level. */
  level?: string;
  /** This level or above (info < warn < error). */
  minLevel?: string;
  /** Strictly after this ISO instant. */
  since?: string;
  /** Strictly after this sequence number (from `next_cursor` or an alert's `cursor`). */
  cursor?: number;
};

const toQuery = (f: AlertFilter & { limit?: number }): Query => ({
  run: f.run,
  level: f.level,
  min_level: f.minLevel,
  since: f.since,
  cursor: f.cursor,
  limit: f.limit,
});

export type WatchHandlers = {
  onAlert: (alert: Alert) => void;
  /** Connected (again); `cursor` is where the stream resumes. */
  onReady?: (cursor: number) => void;
  /** A transient problem; the watch reconnects by itself. */
  onDisconnect?: (reason: string) => void;
  /** A permanent failure (bad key, no such project): the watch stops. */
  onError?: (err: Error) => void;
};

/** The server's largest page (AlertQuery's `limit`). */
const MAX_PAGE = 1000;
/** How long past a round's own length its answer may take before the round is re-issued. */
const ROUND_GRACE_MS = 15_000;

const timedOut = (cursor: number | undefined): WaitResult => ({ alerts: [], next_cursor: cursor ?? 0, has_more: false, timed_out: true });

const isPermanent = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;
const HINT: Record<number, string> = { 401: " (missing or invalid API key)", 403: " (the key may not read this project)", 404: " (no such project)" };

/** A live subscription; `done` settles after `close()` or a permanent failure. */
export type AlertWatch = { close(): void; readonly cursor: number | undefined; readonly done: Promise<void> };

export class Alerts {
  constructor(private readonly client: Client) {}

  /** Stores one alert or a batch (an object, or its JSON); a repeated `alert_id` is stored once. */
  create(project: string, body: CreateAlert | { alerts: CreateAlert[] } | string, opts: { signal?: AbortSignal } = {}): Promise<CreatedAlerts> {
    return this.client.request("POST", `/v1/projects/${seg(project)}/alerts`, { body, signal: opts.signal });
  }

  /**
   * One page of matching alerts, newest first (`limit`, default 100, at most 1000): `has_more`
   * says the page was cut short, and `next_cursor` is where to poll or page on from.
   */
  list(project: string, filter: AlertFilter & { limit?: number } = {}, opts: { signal?: AbortSignal } = {}): Promise<AlertPage> {
    return this.client.request("GET", `/v1/projects/${seg(project)}/alerts`, { query: toQuery(filter), signal: opts.signal });
  }

  /**
   * Every matching alert, newest first, fetched page by page (cursor order, `PAGE` at a time), so
   * nothing is cut off silently. With `limit`, only the newest `limit`.
   */
  async all(project: string, filter: AlertFilter & { limit?: number } = {}): Promise<Alert[]> {
    if (filter.limit !== undefined && filter.limit <= MAX_PAGE) return (await this.list(project, filter)).alerts;
    const pages: Alert[][] = [];
    let cursor = filter.cursor ?? 0;
    for (;;) {
      const page = await this.list(project, { ...filter, cursor, limit: MAX_PAGE });
      pages.push(page.alerts);
      if (!page.has_more || page.next_cursor <= cursor) break;
      cursor = page.next_cursor;
    }
    // Pages come oldest first, each newest first inside: reversing both gives newest first overall.
    const alerts = pages.reverse().flat();
    return filter.limit === undefined ? alerts : alerts.slice(0, filter.limit);
  }

  /**
   * Blocks until an alert matching `filter` arrives after `cursor` (or `since`), or `timeout`
   * seconds pass (`timed_out: true`). The server caps one wait at MAX_WAIT_SECONDS, so longer
   * timeouts are waited in rounds, each resuming where the last one looked. A round that is slow,
   * dropped or answered 5xx (a server restart) is re-issued from the same cursor until the
   * caller's timeout: only a refusal (bad key, bad filter) throws.
   */
  async wait(project: string, filter: AlertFilter & { timeout: number; limit?: number }, opts: { signal?: AbortSignal } = {}): Promise<WaitResult> {
    const deadline = Date.now() + filter.timeout * 1000;
    let cursor = filter.cursor;
    // "After the call" needs a fixed starting point that survives a re-issued round: the
    // project's newest cursor now (a page without a cursor reports it as next_cursor).
    if (cursor === undefined && filter.since === undefined) cursor = (await this.list(project, { ...filter, limit: 1 }, opts)).next_cursor;
    for (let failures = 0; ; ) {
      const left = Math.max(0, (deadline - Date.now()) / 1000);
      const round = Math.min(left, MAX_WAIT_SECONDS);
      let res: WaitResult;
      try {
        res = await this.client.request("GET", `/v1/projects/${seg(project)}/alerts/wait`, {
          query: { ...toQuery({ ...filter, cursor }), timeout: Math.round(round * 1000) / 1000 },
          signal: opts.signal,
          timeoutMs: round * 1000 + ROUND_GRACE_MS,
        });
      } catch (err) {
        if (opts.signal?.aborted || !isRetryable(err)) throw err;
        const pause = Math.min(backoffMs(failures++, 250, 5_000), deadline - Date.now());
        if (pause <= 0) return timedOut(cursor);
        await sleep(pause, opts.signal, true);
        continue;
      }
      failures = 0;
      if (!res.timed_out || res.alerts.length || Date.now() >= deadline - 50) return res;
      // The next round resumes where the server looked, so nothing raised in between is missed.
      cursor = res.next_cursor;
    }
  }

  /**
   * Streams matching alerts over the project's WebSocket. On a dropped connection it reconnects
   * with backoff and resumes after the last cursor it saw, so no alert is missed or repeated.
   */
  watch(project: string, filter: AlertFilter, handlers: WatchHandlers): AlertWatch {
    let cursor = filter.cursor;
    let closed = false;
    let socket: SocketLike | null = null;
    const stop = new AbortController();
    const run = async () => {
      for (let attempt = 0; !closed; ) {
        const outcome = await this.connectOnce(project, { ...filter, cursor }, handlers, (s) => (socket = s), (c) => {
          cursor = cursor === undefined ? c : Math.max(cursor, c);
          attempt = 0;
        });
        socket = null;
        if (closed) return;
        if (outcome instanceof Error) {
          handlers.onError?.(outcome);
          return;
        }
        handlers.onDisconnect?.(outcome);
        // Kept alive: an open watch is what a `trackflare watch` process is waiting on.
        await sleep(backoffMs(attempt++, 250, 5_000), stop.signal, true);
      }
    };
    const done = run();
    return {
      close() {
        closed = true;
        stop.abort();
        (socket as SocketLike | null)?.close(1000, "client closed");
      },
      get cursor() {
        return cursor;
      },
      done,
    };
  }

  /** One connection's life: resolves with a reason to reconnect, or an Error that is permanent. */
  private async connectOnce(
    project: string,
    filter: AlertFilter,
    handlers: WatchHandlers,
    setSocket: (s: SocketLike) => void,
    advance: (cursor: number) => void,
  ): Promise<string | Error> {
    const url = this.client.buildUrl(`/v1/projects/${seg(project)}/alerts/ws`, toQuery(filter));
    return new Promise<string | Error>((resolve) => {
      let refused: HandshakeError | null = null;
      openSocket(url, this.client.token, (e) => (refused = e)).then(
        (ws) => {
          setSocket(ws);
          ws.addEventListener("message", (ev: { data: unknown }) => {
            let frame: AlertSocketMessage;
            try {
              const parsed = AlertSocketMessage.safeParse(JSON.parse(String(ev.data)));
              if (!parsed.success) return;
              frame = parsed.data;
            } catch {
              return;
            }
            if (frame.type === "ready") {
              advance(frame.cursor);
              handlers.onReady?.(frame.cursor);
            } else if (frame.type === "alerts") {
              for (const a of frame.alerts) handlers.onAlert(a);
              advance(frame.cursor);
            } else {
              resolve(new Error(frame.message));
              ws.close(1000);
            }
          });
          ws.addEventListener("error", () => undefined);
          ws.addEventListener("close", (ev: { code?: number; reason?: string }) => {
            const r = refused as HandshakeError | null;
            if (r && isPermanent(r.status)) resolve(new Error(`${r.message}${HINT[r.status] ?? ""}`));
            else resolve(`closed (${r ? r.message : `code ${ev.code ?? "?"}`})`);
          });
        },
        (err: unknown) => resolve(`could not connect: ${err instanceof Error ? err.message : String(err)}`),
      );
    });
  }
}
