import { describe, it } from "vitest";
import { getAlerts, openSocket, postAlerts } from "../helpers/alerts";
import { api, uniqueProject } from "../helpers/api";

// A cursor beyond the project's newest alert (from another history, or made up) counts as the
// newest: answered as given, a poller or a socket would wait past every future alert.
describe("a cursor beyond the newest alert", () => {
  it("pages from the newest, so the next alert is returned to a poller", async ({ expect }) => {
    const p = uniqueProject("beyond");
    await postAlerts(p, [{ title: "1" }, { title: "2" }]);
    const first = await getAlerts(p, { cursor: 99_999_999_999 });
    expect(first.json).toEqual({ alerts: [], next_cursor: 2, has_more: false });
    await postAlerts(p, { title: "3" });
    const next = await getAlerts(p, { cursor: first.json.next_cursor });
    expect(next.json.alerts.map((a: { title: string }) => a.title)).toEqual(["3"]);
    const unknown = await getAlerts(uniqueProject("none"), { cursor: 12 });
    expect(unknown.json.next_cursor).toBe(0);
  });

  it("makes a socket live from the newest and delivers what comes next", async ({ expect }) => {
    const p = uniqueProject("beyondws");
    await postAlerts(p, { title: "old" });
    const { socket } = await openSocket(p, { cursor: 99_999_999_999 });
    await socket!.until((m) => m.some((x) => x.type === "ready"));
    expect(socket!.messages).toEqual([{ type: "ready", cursor: 1 }]);
    await postAlerts(p, { title: "new" });
    await socket!.until((m) => m.length === 2);
    expect(socket!.alerts().map((a) => a.title)).toEqual(["new"]);
    socket!.close();
  });

  it("ends a wait with the next alert", async ({ expect }) => {
    const p = uniqueProject("beyondwait");
    await postAlerts(p, { title: "old" });
    const waiting = api("GET", `/v1/projects/${p}/alerts/wait?cursor=99999999999&timeout=20`);
    await new Promise((r) => setTimeout(r, 200));
    await postAlerts(p, { title: "new" });
    const r = await waiting;
    expect(r.json).toMatchObject({ timed_out: false, alerts: [{ title: "new" }] });
  });
});
