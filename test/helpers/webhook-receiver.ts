import http from "node:http";
import type { AddressInfo } from "node:net";

export type Received = { path: string; headers: Record<string, string>; body: string; status: number; at: number };

/**
 * A webhook receiver on 127.0.0.1 for the end-to-end tests. Each delivery (by `webhook-id`, or by
 * body when there is none) is answered 503 for its first `failuresPerDelivery` attempts, then 200.
 * `accepted` counts the 200s per id: a receiver that deduplicates on `webhook-id` would have seen
 * each delivery's payload once.
 */
export async function startReceiver(opts: { failuresPerDelivery: number }) {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const accepted = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
      const key = headers["webhook-id"] || body;
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);
      const status = n <= opts.failuresPerDelivery ? 503 : 200;
      if (status === 200) accepted.set(key, (accepted.get(key) ?? 0) + 1);
      received.push({ path: req.url ?? "/", headers, body, status, at: Date.now() });
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "try later");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    attempts,
    accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
