import type { Alert, AlertSocketMessage } from "../contract";
import { matches } from "./match";
import type { AlertStore, StoredAlert } from "./alert-store";
import { SocketMeta, type SocketSubscription } from "./types";

/** A frame holds at most this many alerts or about this many bytes of them. */
const FRAME_MAX_ALERTS = 200;
const FRAME_MAX_BYTES = 256 * 1024;
/**
 * The first alert after a quiet spell goes out at once; alerts arriving within this window of
 * the last frame wait for the window's end and share one frame per socket (Cloudflare's advice:
 * batch messages rather than send one frame each under load).
 */
export const BATCH_WINDOW_MS = 5;

const send = (ws: WebSocket, msg: AlertSocketMessage) => ws.send(JSON.stringify(msg));

/** Splits alerts into frames by count and size, keeping cursor order. */
function* frames(alerts: Alert[]): Generator<Alert[]> {
  let frame: Alert[] = [];
  let bytes = 0;
  for (const a of alerts) {
    const size = a.title.length + (a.text?.length ?? 0) + 256;
    if (frame.length && (frame.length >= FRAME_MAX_ALERTS || bytes + size > FRAME_MAX_BYTES)) {
      yield frame;
      frame = [];
      bytes = 0;
    }
    frame.push(a);
    bytes += size;
  }
  if (frame.length) yield frame;
}

/**
 * The object's WebSocket subscribers, accepted through the hibernation API. Each socket's
 * filters and cursor live in its attachment; the map below is only a cache of those, rebuilt
 * after the object wakes from hibernation on a fresh instance. The attachment's cursor is where
 * the socket went live and is not rewritten per push: live frames follow it in cursor order, and
 * rewriting 100 attachments per alert would cost more than the push itself.
 */
export class Subscribers {
  private readonly cache = new WeakMap<WebSocket, { meta: SocketMeta; key: string }>();
  private queued: StoredAlert[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFlushMs = 0;

  constructor(private readonly ctx: DurableObjectState, private readonly store: AlertStore) {}

  private entry(ws: WebSocket): { meta: SocketMeta; key: string } | null {
    const cached = this.cache.get(ws);
    if (cached) return cached;
    const parsed = SocketMeta.safeParse(ws.deserializeAttachment());
    if (!parsed.success) return null;
    return this.remember(ws, parsed.data);
  }

  private remember(ws: WebSocket, meta: SocketMeta) {
    const entry = { meta, key: JSON.stringify(meta.filters) };
    this.cache.set(ws, entry);
    return entry;
  }

  /**
   * Accepts a subscriber: replays every matching alert after its cursor, then marks it live.
   * Runs without an await, so no alert can be stored between the replay and going live.
   */
  accept(sub: SocketSubscription): WebSocket {
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    // A cursor beyond the newest alert counts as the newest, or no live alert would ever pass it.
    let cursor = Math.min(sub.cursor ?? this.store.cursor, this.store.cursor);
    if (sub.cursor !== null) {
      for (;;) {
        const rows = this.store.after(sub.filters, cursor, FRAME_MAX_ALERTS);
        if (!rows.length) break;
        const alerts = rows.map((r) => this.store.rowToAlert(r));
        for (const frame of frames(alerts)) {
          send(server, { type: "alerts", alerts: frame, cursor: frame[frame.length - 1].cursor, replay: true });
        }
        cursor = rows[rows.length - 1].seq;
        if (rows.length < FRAME_MAX_ALERTS) break;
      }
    }
    // Nothing else matches up to the newest alert, so the socket is live from there.
    cursor = Math.max(cursor, this.store.cursor);
    const meta: SocketMeta = { filters: sub.filters, cursor };
    server.serializeAttachment(meta);
    this.remember(server, meta);
    send(server, { type: "ready", cursor });
    return client;
  }

  /** Queues newly stored alerts for the live sockets; see BATCH_WINDOW_MS. */
  publish(created: StoredAlert[]) {
    if (!created.length) return;
    this.queued.push(...created);
    if (this.timer !== undefined) return;
    const wait = this.lastFlushMs + BATCH_WINDOW_MS - Date.now();
    if (wait <= 0) this.flush();
    else
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, wait);
  }

  /** The frames of a live batch for one subscriber, encoded. */
  private encode(batch: StoredAlert[], meta: SocketMeta, top: number): string[] {
    // `> meta.cursor`: a socket that connected after these were stored already got them in its replay.
    const mine = batch.filter((c) => c.alert.cursor > meta.cursor && matches(c.alert, c.us, meta.filters)).map((c) => c.alert);
    const out = [...frames(mine)];
    // The last frame's cursor is the batch's newest, matching or not: resuming from it skips nothing.
    return out.map((frame, i) =>
      JSON.stringify({ type: "alerts", alerts: frame, cursor: i === out.length - 1 ? top : frame[frame.length - 1].cursor, replay: false } satisfies AlertSocketMessage),
    );
  }

  private flush() {
    const batch = this.queued;
    this.queued = [];
    this.lastFlushMs = Date.now();
    if (!batch.length) return;
    const first = batch[0].alert.cursor;
    const top = batch[batch.length - 1].alert.cursor;
    // Subscribers with the same filters get the same frames: each distinct set is encoded once.
    const encoded = new Map<string, string[]>();
    for (const ws of this.ctx.getWebSockets()) {
      const entry = this.entry(ws);
      if (!entry || entry.meta.cursor >= top) continue;
      const shared = entry.meta.cursor < first;
      let texts = shared ? encoded.get(entry.key) : undefined;
      if (!texts) {
        texts = this.encode(batch, entry.meta, top);
        if (shared) encoded.set(entry.key, texts);
      }
      try {
        for (const t of texts) ws.send(t);
      } catch {
        // A socket closing under us: its client resumes from the cursor it last received.
      }
    }
  }

  /** Reciprocates a close; 1005/1006/1015 are reserved and cannot be sent back. */
  closed(ws: WebSocket, code: number, reason: string) {
    this.cache.delete(ws);
    try {
      ws.close(code === 1005 || code === 1006 || code === 1015 ? 1000 : code, reason);
    } catch {
      // Already closed.
    }
  }

  message(ws: WebSocket) {
    send(ws, { type: "error", message: "This socket only sends; send 'ping' for a 'pong'" });
  }
}
