import { exports } from "cloudflare:workers";
import type { Alert, AlertSocketMessage } from "../../src/contract";
import { ADMIN, api } from "./api";

/** POSTs one alert (an object) or a batch (an array) and returns the stored alerts. */
export async function postAlerts(project: string, body: Record<string, unknown> | Record<string, unknown>[], token?: string): Promise<Alert[]> {
  const r = await api("POST", `/v1/projects/${project}/alerts`, { body: Array.isArray(body) ? { alerts: body } : body, token });
  if (r.status !== 201) throw new Error(`alert creation failed: ${r.status} ${r.text}`);
  return r.json.alerts;
}

export async function getAlerts(project: string, query: Record<string, string | number> = {}, token?: string) {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  return api("GET", `/v1/projects/${project}/alerts${qs ? `?${qs}` : ""}`, { token });
}

/** A WebSocket client on the Worker (in-process) that records every frame it receives. */
export type TestSocket = {
  ws: WebSocket;
  messages: AlertSocketMessage[];
  /** Every text frame as received, `pong` included. */
  raw: string[];
  /** Alerts received so far, in arrival order. */
  alerts(): Alert[];
  /** Resolves once `pred` holds for the messages received, or rejects after `timeoutMs`. */
  until(pred: (m: AlertSocketMessage[]) => boolean, timeoutMs?: number): Promise<AlertSocketMessage[]>;
  close(): void;
};

export async function openSocket(
  project: string,
  query: Record<string, string | number> = {},
  opts: { token?: string | null; headers?: Record<string, string> } = {},
): Promise<{ status: number; socket: TestSocket | null; response: Response }> {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  const headers: Record<string, string> = { upgrade: "websocket", ...opts.headers };
  const token = opts.token === undefined ? ADMIN : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await exports.default.fetch(new Request(`http://tf.test/v1/projects/${project}/alerts/ws${qs ? `?${qs}` : ""}`, { headers }));
  if (response.status !== 101 || !response.webSocket) return { status: response.status, socket: null, response };
  const ws = response.webSocket;
  const messages: AlertSocketMessage[] = [];
  const raw: string[] = [];
  const listeners = new Set<() => void>();
  ws.addEventListener("message", (e) => {
    if (typeof e.data === "string") {
      raw.push(e.data);
      if (e.data !== "pong") messages.push(JSON.parse(e.data));
    }
    for (const l of listeners) l();
  });
  ws.accept();
  const socket: TestSocket = {
    ws,
    messages,
    raw,
    alerts: () => messages.flatMap((m) => (m.type === "alerts" ? m.alerts : [])),
    until(pred, timeoutMs = 3000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pred(messages)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(messages);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`socket: condition not met after ${timeoutMs} ms; got ${JSON.stringify(messages).slice(0, 500)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    close: () => ws.close(1000, "done"),
  };
  return { status: 101, socket, response };
}

export const isReady = (m: AlertSocketMessage[]) => m.some((x) => x.type === "ready");
