import http from "node:http";
import type { AddressInfo } from "node:net";

// A real HTTP hop in front of the local server that can drop a request (close its socket with no
// answer) or answer it with a status of its own, as a reloading server or a broken network does.

export type Verdict = "pass" | "drop" | number;

export async function flakyProxy(target: string, decide: (req: http.IncomingMessage) => Verdict) {
  const seen: { path: string; verdict: Verdict }[] = [];
  const server = http.createServer((req, res) => {
    const verdict = decide(req);
    seen.push({ path: req.url ?? "", verdict });
    if (verdict === "drop") return req.socket.destroy();
    if (typeof verdict === "number") {
      res.writeHead(verdict, { "content-type": "application/json" });
      return res.end(JSON.stringify({ error: { code: "internal", message: "injected by the test proxy" } }));
    }
    const upstream = http.request(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => req.socket.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
