import type { Alert, Api } from "./api";

export type StreamState = "connecting" | "live" | "offline";

type Frame = { type: "ready"; cursor: number } | { type: "alerts"; alerts: Alert[]; cursor: number; replay: boolean } | { type: "error"; message: string };

function parseFrame(text: unknown): Frame | null {
  if (typeof text !== "string") return null;
  try {
    const f = JSON.parse(text) as Frame;
    if (f && (f.type === "ready" || f.type === "error" || (f.type === "alerts" && Array.isArray(f.alerts)))) return f;
  } catch {
    // not JSON: ignore ("pong")
  }
  return null;
}

/**
 * The project's alerts as they happen, over its WebSocket. Browsers cannot set headers on a
 * WebSocket, so the key travels as the `bearer, <key>` subprotocol. A dropped socket (a deploy,
 * the laptop sleeping) reconnects with backoff and resumes from the last cursor it received,
 * so nothing is missed or shown twice.
 */
export class AlertStream {
  private ws: WebSocket | null = null;
  private closed = false;
  private retryMs = 500;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly api: Api,
    private readonly project: string,
    private cursor: number,
    private readonly filters: { run?: string },
    private readonly onAlerts: (alerts: Alert[]) => void,
    private readonly onState: (s: StreamState) => void,
  ) {
    this.connect();
  }

  private connect() {
    if (this.closed) return;
    this.onState("connecting");
    let url = this.api.alertSocketUrl(this.project, this.cursor);
    if (this.filters.run) url += `&run=${encodeURIComponent(this.filters.run)}`;
    const ws = (this.ws = new WebSocket(url, ["bearer", this.api.key]));
    ws.onmessage = (ev) => {
      const f = parseFrame(ev.data);
      if (!f) return;
      if (f.type === "ready") {
        this.retryMs = 500;
        this.cursor = Math.max(this.cursor, f.cursor);
        this.onState("live");
      } else if (f.type === "alerts") {
        this.cursor = Math.max(this.cursor, f.cursor);
        if (f.alerts.length) this.onAlerts(f.alerts);
      }
    };
    ws.onclose = () => {
      clearInterval(this.pingTimer);
      if (this.ws !== ws) return;
      this.ws = null;
      this.onState("offline");
      if (this.closed) return;
      this.retryTimer = setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 30_000);
    };
    // Answered by the runtime without waking the project's object; keeps proxies from idling the socket out.
    this.pingTimer = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send("ping"), 30_000);
  }

  close() {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, "bye");
  }
}
