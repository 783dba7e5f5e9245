import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, it } from "vitest";
import { ProjectAlerts } from "../../src/project-object/project-alerts";
import type { AlertSocketMessage } from "../../src/contract";
import { createKey, createRun, uniqueProject } from "../helpers/api";
import { isReady, openSocket, postAlerts } from "../helpers/alerts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const frames = (m: AlertSocketMessage[], replay: boolean) => m.filter((x) => x.type === "alerts" && x.replay === replay);

describe("alert WebSocket", () => {
  it("replays what the subscriber missed, says ready, then streams live", async ({ expect }) => {
    const p = uniqueProject("ws");
    await postAlerts(p, [{ title: "1" }, { title: "2" }, { title: "3" }]);
    const { socket } = await openSocket(p, { cursor: 1 });
    await socket!.until(isReady);
    expect(socket!.messages).toEqual([
      { type: "alerts", alerts: [expect.objectContaining({ title: "2", cursor: 2 }), expect.objectContaining({ title: "3", cursor: 3 })], cursor: 3, replay: true },
      { type: "ready", cursor: 3 },
    ]);
    await postAlerts(p, { title: "4" });
    await socket!.until((m) => frames(m, false).length === 1);
    expect(socket!.messages[2]).toMatchObject({ type: "alerts", replay: false, cursor: 4, alerts: [{ title: "4", cursor: 4, project: p }] });
    socket!.close();
  });

  it("without a cursor streams only what is stored after it connects", async ({ expect }) => {
    const p = uniqueProject("live");
    await postAlerts(p, [{ title: "old1" }, { title: "old2" }]);
    const { socket } = await openSocket(p);
    await socket!.until(isReady);
    expect(socket!.messages).toEqual([{ type: "ready", cursor: 2 }]);
    await postAlerts(p, { title: "new" });
    await socket!.until((m) => m.length === 2);
    expect(socket!.alerts().map((a) => a.title)).toEqual(["new"]);
    socket!.close();
  });

  it("applies its filters to replay and live alerts alike", async ({ expect }) => {
    const p = uniqueProject("filters");
    await createRun(p, { name: "a" });
    await createRun(p, { name: "b" });
    await postAlerts(p, [{ title: "a-info", run: "a", level: "info" }, { title: "a-err", run: "a", level: "error" }, { title: "b-err", run: "b", level: "error" }]);
    const { socket } = await openSocket(p, { cursor: 0, run: "a", min_level: "warn" });
    await socket!.until(isReady);
    await postAlerts(p, [{ title: "a-warn", run: "a", level: "warn" }, { title: "b-warn", run: "b", level: "warn" }, { title: "a-info2", run: "a", level: "info" }]);
    await postAlerts(p, { title: "a-err2", run: "a", level: "error" });
    await socket!.until((m) => m.length >= 4);
    await sleep(50);
    expect(socket!.alerts().map((a) => a.title)).toEqual(["a-err", "a-warn", "a-err2"]);
    socket!.close();
  });

  it("sends a burst as one frame", async ({ expect }) => {
    const p = uniqueProject("burst");
    await createRun(p);
    const { socket } = await openSocket(p);
    await socket!.until(isReady);
    await postAlerts(p, Array.from({ length: 50 }, (_, i) => ({ title: `b${i}` })));
    await socket!.until((m) => frames(m, false).length >= 1);
    await sleep(50);
    const live = frames(socket!.messages, false);
    expect(live).toHaveLength(1);
    expect(live[0].type === "alerts" && live[0].alerts.map((a) => a.title)).toEqual(Array.from({ length: 50 }, (_, i) => `b${i}`));
    socket!.close();
  });

  it("batches alerts stored in quick succession and still delivers each once, in order", async ({ expect }) => {
    const p = uniqueProject("rapid");
    await createRun(p);
    const { socket } = await openSocket(p);
    await socket!.until(isReady);
    await Promise.all(Array.from({ length: 40 }, (_, i) => postAlerts(p, { title: `r${i}`, alert_id: `r${i}` })));
    await socket!.until((m) => m.flatMap((x) => (x.type === "alerts" ? x.alerts : [])).length >= 40);
    await sleep(50);
    const cursors = socket!.alerts().map((a) => a.cursor);
    expect(cursors).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(frames(socket!.messages, false).length).toBeLessThan(40);
    socket!.close();
  });

  it("resumes from the last cursor with nothing missed and nothing repeated", async ({ expect }) => {
    const p = uniqueProject("resume");
    await createRun(p);
    const first = (await openSocket(p, { cursor: 0 })).socket!;
    await first.until(isReady);
    await postAlerts(p, [{ title: "1" }, { title: "2" }]);
    await first.until((m) => m.length >= 2);
    const last = first.messages.at(-1)!;
    const resumeAt = last.type === "alerts" ? last.cursor : -1;
    first.close();
    await postAlerts(p, [{ title: "3" }, { title: "4" }]);
    const second = (await openSocket(p, { cursor: resumeAt })).socket!;
    await second.until(isReady);
    await postAlerts(p, { title: "5" });
    await second.until((m) => m.filter((x) => x.type === "alerts").length >= 2);
    expect([...first.alerts(), ...second.alerts()].map((a) => a.title)).toEqual(["1", "2", "3", "4", "5"]);
    second.close();
  });

  it("answers ping with pong without involving the object", async ({ expect }) => {
    const p = uniqueProject("ping");
    await createRun(p);
    const { socket } = await openSocket(p);
    await socket!.until(isReady);
    socket!.ws.send("ping");
    await socket!.until(() => socket!.raw.includes("pong"));
    expect(socket!.raw.filter((r) => r === "pong")).toHaveLength(1);
    expect(socket!.messages.filter((m) => m.type === "error")).toEqual([]);
    socket!.close();
  });

  it("keeps its filters and cursor across hibernation (a fresh instance reading the attachments)", async ({ expect }) => {
    const p = uniqueProject("hib");
    await createRun(p, { name: "watched" });
    await createRun(p, { name: "ignored" });
    const { socket } = await openSocket(p, { run: "watched", level: "error" });
    await socket!.until(isReady);
    const stub = env.PROJECT_ALERTS.getByName(p);
    const runs = await runInDurableObject(stub, async (_instance, state) => {
      const [ws] = state.getWebSockets();
      const attached = ws.deserializeAttachment();
      // What the object has after waking: storage, sockets and their attachments, and no fields.
      const woken = new ProjectAlerts(state, env);
      await woken.createAlerts(p, [
        { alert_id: "x1", run_id: null, run: "ignored", title: "other run", text: null, level: "error", step: null, timestamp: null },
        { alert_id: "x2", run_id: attached.filters.run_id, run: "watched", title: "wrong level", text: null, level: "warn", step: null, timestamp: null },
        { alert_id: "x3", run_id: attached.filters.run_id, run: "watched", title: "delivered", text: null, level: "error", step: 3, timestamp: null },
      ]);
      return attached;
    });
    expect(runs).toMatchObject({ filters: { level: "error", run_id: expect.stringMatching(/^[0-9a-f]{32}$/) }, cursor: 0 });
    await socket!.until((m) => m.length >= 2);
    await sleep(50);
    expect(socket!.alerts().map((a) => a.title)).toEqual(["delivered"]);
    expect(socket!.messages.at(-1)).toMatchObject({ cursor: 3 });
    socket!.close();
  });
});

describe("alert WebSocket auth", () => {
  it("accepts a key in the header, the query or the `bearer` subprotocol, echoing only `bearer`", async ({ expect }) => {
    const p = uniqueProject("auth");
    await postAlerts(p, { title: "x" });
    const key = await createKey("read", [p]);
    const header = await openSocket(p, {}, { token: key });
    expect(header.status).toBe(101);
    const query = await openSocket(p, { token: key }, { token: null });
    expect(query.status).toBe(101);
    const proto = await openSocket(p, {}, { token: null, headers: { "sec-websocket-protocol": `bearer, ${key}` } });
    expect(proto.status).toBe(101);
    expect(proto.response.headers.get("sec-websocket-protocol")).toBe("bearer");
    expect(header.response.headers.get("sec-websocket-protocol")).toBeNull();
    for (const s of [header, query, proto]) {
      await s.socket!.until(isReady);
      s.socket!.close();
    }
  });

  it("refuses before the upgrade: 401 without a valid key, 404 for hidden or unknown projects, 400 for bad filters", async ({ expect }) => {
    const p = uniqueProject("deny");
    const hidden = uniqueProject("hidden");
    await postAlerts(p, { title: "x" });
    await postAlerts(hidden, { title: "y" });
    const key = await createKey("read", [p]);
    expect((await openSocket(p, {}, { token: null })).status).toBe(401);
    expect((await openSocket(p, {}, { token: "tf_not_a_key" })).status).toBe(401);
    expect((await openSocket(p, {}, { token: null, headers: { "sec-websocket-protocol": "bearer, tf_not_a_key" } })).status).toBe(401);
    const h = await openSocket(hidden, {}, { token: key });
    expect(h.status).toBe(404);
    const u = await openSocket(uniqueProject("unknown"));
    expect(u.status).toBe(404);
    expect(await u.response.json()).toMatchObject({ error: { code: "not_found" } });
    const bad = await openSocket(p, { min_level: "loud" });
    expect(bad.status).toBe(400);
    expect(((await bad.response.json()) as any).error.details[0].path).toBe("min_level");
    expect((await openSocket(p, { cursor: "x" })).status).toBe(400);
  });

  it("does not put the key in the 101 or in any frame", async ({ expect }) => {
    const p = uniqueProject("leak");
    await postAlerts(p, { title: "x" });
    const key = await createKey("read", [p]);
    const s = await openSocket(p, { cursor: 0 }, { token: null, headers: { "sec-websocket-protocol": `bearer, ${key}` } });
    await s.socket!.until(isReady);
    expect([...s.response.headers.values()].join(" ")).not.toContain(key);
    expect(s.socket!.raw.join(" ")).not.toContain(key);
    s.socket!.close();
  });
});
