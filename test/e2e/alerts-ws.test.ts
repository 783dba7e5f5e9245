import { describe, it } from "vitest";
import WebSocket from "ws";
import { adminToken, connect, createKey, parse, postAlerts, rest, uniqueProject, wsUrl } from "../helpers/alerts-e2e";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("alert WebSocket over wrangler dev", () => {
  it("loses and repeats nothing across 50 random disconnects, resuming from the last cursor", async ({ expect }) => {
    const p = uniqueProject("chaos");
    await rest("POST", `/v1/projects/${p}/runs`, { body: { name: "train" } });
    const TOTAL = 400;
    const received: number[] = [];
    let cursor = 0;
    let disconnects = 0;
    let producing = true;
    let replayed = 0;
    let live = 0;

    // The producer stores alerts in small batches at random moments, while the subscriber drops.
    const producer = (async () => {
      for (let sent = 0; sent < TOTAL; ) {
        const n = Math.min(TOTAL - sent, 1 + Math.floor(Math.random() * 4));
        await postAlerts(p, Array.from({ length: n }, (_, i) => ({ title: `a${sent + i}`, alert_id: `id-${sent + i}`, run: "train" })));
        sent += n;
        await sleep(Math.random() * 25);
      }
      producing = false;
    })();

    // Each connection lives a random few ms (sometimes dropped mid-replay), then is cut abruptly.
    for (let done = false; !done; ) {
      const ws = await connect(wsUrl(p, { cursor }), { headers: { authorization: `Bearer ${adminToken()}` } });
      const closed = new Promise<void>((r) => ws.once("close", () => r()));
      ws.on("message", (data) => {
        const m = parse(data);
        if (m === "pong") return;
        if (m.type === "alerts") {
          received.push(...m.alerts.map((a) => a.cursor));
          if (m.replay) replayed += m.alerts.length;
          else live += m.alerts.length;
          cursor = m.cursor;
        } else if (m.type === "ready") cursor = Math.max(cursor, m.cursor);
      });
      if (disconnects < 50) {
        await sleep(Math.random() * 40);
        ws.terminate();
        disconnects++;
      } else {
        // Stay connected until everything has arrived (or reconnect if the dev server drops us).
        let open = true;
        void closed.then(() => (open = false));
        const deadline = Date.now() + 20_000;
        while (open && (producing || received.length < TOTAL) && Date.now() < deadline) await sleep(20);
        done = open || Date.now() >= deadline;
        ws.close();
      }
      await closed;
    }
    await producer;
    expect(disconnects).toBe(50);
    expect(received).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
    // Both paths were exercised: alerts caught up by replay after a drop, and alerts pushed live.
    expect(replayed).toBeGreaterThan(0);
    expect(live).toBeGreaterThan(0);
  });

  it("authenticates a browser-style `bearer` subprotocol and answers with `bearer` only", async ({ expect }) => {
    const p = uniqueProject("proto");
    await postAlerts(p, [{ title: "x" }]);
    const key = await createKey("read", [p]);
    const ws = await connect(wsUrl(p, { cursor: 0 }), { protocols: ["bearer", key] });
    expect(ws.protocol).toBe("bearer");
    const first = await new Promise<WebSocket.RawData>((r) => ws.once("message", r));
    expect(parse(first)).toMatchObject({ type: "alerts", replay: true, alerts: [{ title: "x" }] });
    ws.send("ping");
    const msgs: unknown[] = [];
    await new Promise<void>((r) => ws.on("message", (d) => (msgs.push(parse(d)), msgs.includes("pong") && r())));
    expect(msgs).toContain("pong");
    ws.close();
  });

  it("refuses the handshake with 401 for a bad key and 404 for a hidden or missing project", async ({ expect }) => {
    const p = uniqueProject("deny");
    const hidden = uniqueProject("hidden");
    await postAlerts(p, [{ title: "x" }]);
    await postAlerts(hidden, [{ title: "y" }]);
    const key = await createKey("read", [p]);
    await expect(connect(wsUrl(p), { protocols: ["bearer", "tf_wrong"] })).rejects.toThrow(/401/);
    await expect(connect(wsUrl(p))).rejects.toThrow(/401/);
    await expect(connect(wsUrl(p, { token: "tf_wrong" }))).rejects.toThrow(/401/);
    await expect(connect(wsUrl(hidden, { token: key }))).rejects.toThrow(/404/);
    await expect(connect(wsUrl(uniqueProject("missing"), { token: key }))).rejects.toThrow(/404/);
    const ok = await connect(wsUrl(p, { token: key }));
    ok.close();
  });
});
