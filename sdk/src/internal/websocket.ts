/** The subset of the WebSocket API used here, met by the global WebSocket and by `ws`. */
export type SocketLike = {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "close" | "error" | "message", listener: (ev: any) => void): void;
};

/** A handshake the server refused with an HTTP status (only `ws` reports it). */
export class HandshakeError extends Error {
  constructor(readonly status: number) {
    super(`WebSocket handshake refused with HTTP ${status}`);
  }
}

/**
 * Opens a WebSocket in any runtime: the global WebSocket where there is one (browsers, Workers,
 * Deno, Bun, Node 22+), which cannot send headers, so the key travels as `?token=`; otherwise
 * Node's `ws` package, which sends it as an Authorization header and reports refused handshakes.
 */
export async function openSocket(url: URL, token: string | null, onRefused: (err: HandshakeError) => void): Promise<SocketLike> {
  const u = new URL(url);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  const Global = (globalThis as { WebSocket?: new (url: string) => SocketLike }).WebSocket;
  if (Global) {
    if (token) u.searchParams.set("token", token);
    return new Global(u.toString());
  }
  // A variable specifier: bundlers for browsers and Workers must not pull Node's `ws` in.
  const specifier = "ws";
  const { default: WS } = (await import(/* @vite-ignore */ specifier)) as typeof import("ws");
  // Alert frames are small; compressing each one costs more latency than the bytes it saves.
  const ws = new WS(u.toString(), { headers: token ? { authorization: `Bearer ${token}` } : {}, perMessageDeflate: false });
  ws.on("unexpected-response", (_req, res) => {
    onRefused(new HandshakeError(res.statusCode ?? 0));
    ws.terminate();
  });
  return ws as unknown as SocketLike;
}
