import { describe, it } from "vitest";
import { api, createRun, uniqueProject } from "../helpers/api";
import { getAlerts, postAlerts } from "../helpers/alerts";

const titles = (r: { json: any }) => r.json.alerts.map((a: any) => a.title);

describe("since compares instants, not strings", () => {
  async function seed() {
    const p = uniqueProject("since");
    await postAlerts(p, [
      { title: "A", timestamp: "2026-01-01T00:00:00.500000+00:00", alert_id: "a" },
      { title: "B", timestamp: "2026-01-01T00:00:01Z", alert_id: "b" },
      // 00:00:02.000001 UTC, written in another offset.
      { title: "C", timestamp: "2026-01-01T02:00:02.000001+02:00", alert_id: "c" },
    ]);
    return p;
  }

  it("emits every timestamp in Trackio's form", async ({ expect }) => {
    const p = await seed();
    const r = await getAlerts(p);
    expect(r.json.alerts.map((a: any) => [a.title, a.timestamp])).toEqual([
      ["C", "2026-01-01T00:00:02.000001+00:00"],
      ["B", "2026-01-01T00:00:01+00:00"],
      ["A", "2026-01-01T00:00:00.500000+00:00"],
    ]);
  });

  it("keeps alerts within the same second when since ends in Z (Trackio's string compare drops them)", async ({ expect }) => {
    const p = await seed();
    expect(titles(await getAlerts(p, { since: "2026-01-01T00:00:00Z" }))).toEqual(["C", "B", "A"]);
  });

  it("is strictly greater: an alert at exactly `since` is excluded, in any spelling", async ({ expect }) => {
    const p = await seed();
    for (const since of ["2026-01-01T00:00:00.5Z", "2026-01-01T00:00:00.500000+00:00", "2025-12-31T19:00:00.500-05:00"]) {
      expect(titles(await getAlerts(p, { since })), since).toEqual(["C", "B"]);
    }
    expect(titles(await getAlerts(p, { since: "2026-01-01T02:00:01+02:00" }))).toEqual(["C"]);
    expect(titles(await getAlerts(p, { since: "2026-01-01T02:00:01+0200" }))).toEqual(["C"]);
  });

  it("resolves microseconds", async ({ expect }) => {
    const p = await seed();
    expect(titles(await getAlerts(p, { since: "2026-01-01T00:00:02.000000Z" }))).toEqual(["C"]);
    expect(titles(await getAlerts(p, { since: "2026-01-01T00:00:02.000001Z" }))).toEqual([]);
    // Digits past the microsecond are truncated: the instant is still before C.
    expect(titles(await getAlerts(p, { since: "2026-01-01T00:00:02.000000999Z" }))).toEqual(["C"]);
  });

  it("reads a zone-less or space-separated since as UTC", async ({ expect }) => {
    const p = await seed();
    expect(titles(await getAlerts(p, { since: "2026-01-01 00:00:01" }))).toEqual(["C"]);
    expect(titles(await getAlerts(p, { since: "2026-01-01T00:00:00.999999" }))).toEqual(["C", "B"]);
  });

  it("stores a client timestamp in the future as given and finds it with since", async ({ expect }) => {
    const p = uniqueProject("future");
    await postAlerts(p, { title: "from the future", timestamp: "2099-06-01T12:00:00.25-03:00" });
    await postAlerts(p, { title: "now" });
    const r = await getAlerts(p, { since: new Date().toISOString() });
    expect(titles(r)).toEqual(["from the future"]);
    expect(r.json.alerts[0].timestamp).toBe("2099-06-01T15:00:00.250000+00:00");
    expect(titles(await getAlerts(p, { since: "2099-06-01T15:00:00.250001Z" }))).toEqual([]);
  });

  it("stamps the server's time when the client gives none", async ({ expect }) => {
    const p = uniqueProject("stamp");
    const before = Date.now();
    const [a] = await postAlerts(p, { title: "no ts" });
    const at = Date.parse(a.timestamp);
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it("rejects a malformed since with a 400 naming it", async ({ expect }) => {
    const p = await seed();
    for (const since of ["yesterday", "2026-13-01T00:00:00Z", "2026-01-01"]) {
      const r = await getAlerts(p, { since });
      expect(r.status, since).toBe(400);
      expect(r.json.error.code).toBe("invalid_request");
      expect(r.json.error.details[0].path).toBe("since");
    }
  });
});

describe("cursor is exact whatever the clients' clocks", () => {
  it("returns each alert once when client timestamps go backwards", async ({ expect }) => {
    const p = uniqueProject("skew");
    const seen: string[] = [];
    let cursor = 0;
    let sinceSeen: string[] = [];
    let since = "1970-01-01T00:00:00Z";
    // Each alert is stamped an hour before the previous one (a skewed or replaying client).
    for (let i = 0; i < 6; i++) {
      await postAlerts(p, { title: `a${i}`, timestamp: new Date(Date.UTC(2026, 0, 1, 12 - i)).toISOString() });
      const r = await getAlerts(p, { cursor });
      seen.push(...titles(r).reverse());
      cursor = r.json.next_cursor;
      // A client polling by timestamp misses every alert after the first.
      const s = await getAlerts(p, { since });
      sinceSeen.push(...titles(s).filter((t: string) => !sinceSeen.includes(t)));
      if (s.json.alerts.length) since = s.json.alerts[0].timestamp;
    }
    expect(seen).toEqual(["a0", "a1", "a2", "a3", "a4", "a5"]);
    expect(cursor).toBe(6);
    expect(sinceSeen).toEqual(["a0"]);
    expect(titles(await getAlerts(p, { cursor }))).toEqual([]);
  });

  it("pages forward from next_cursor without a gap when a page is cut by limit", async ({ expect }) => {
    const p = uniqueProject("page");
    await postAlerts(p, Array.from({ length: 5 }, (_, i) => ({ title: `a${i + 1}` })));
    const pages: string[][] = [];
    const more: boolean[] = [];
    let cursor = 0;
    for (let i = 0; i < 3; i++) {
      const r = await getAlerts(p, { cursor, limit: 2 });
      pages.push(titles(r));
      more.push(r.json.has_more);
      expect(r.json.alerts.every((a: any) => a.cursor > cursor)).toBe(true);
      cursor = r.json.next_cursor;
    }
    expect(pages).toEqual([["a2", "a1"], ["a4", "a3"], ["a5"]]);
    expect(more).toEqual([true, true, false]);
    expect(cursor).toBe(5);
  });

  it("without a cursor returns the newest `limit` and says older ones exist", async ({ expect }) => {
    const p = uniqueProject("newest");
    await postAlerts(p, Array.from({ length: 5 }, (_, i) => ({ title: `a${i + 1}` })));
    const r = await getAlerts(p, { limit: 2 });
    expect(titles(r)).toEqual(["a5", "a4"]);
    expect(r.json).toMatchObject({ has_more: true, next_cursor: 5 });
  });

  it("never reuses a cursor after the newest alerts are deleted with their run", async ({ expect }) => {
    const p = uniqueProject("reuse");
    await createRun(p, { name: "keep" });
    await createRun(p, { name: "gone" });
    await postAlerts(p, [{ title: "k1", run: "keep" }, { title: "g1", run: "gone" }, { title: "g2", run: "gone" }]);
    const before = await getAlerts(p);
    expect(before.json.next_cursor).toBe(3);
    expect((await api("DELETE", `/v1/projects/${p}/runs/gone`)).status).toBe(200);
    const [next] = await postAlerts(p, { title: "k2", run: "keep" });
    expect(next.cursor).toBe(4);
    expect(titles(await getAlerts(p, { cursor: 3 }))).toEqual(["k2"]);
  });

  it("rejects a malformed cursor or limit with a 400 naming it", async ({ expect }) => {
    const p = uniqueProject("bad");
    for (const [q, path] of [
      [{ cursor: "abc" }, "cursor"],
      [{ cursor: -1 }, "cursor"],
      [{ cursor: 1.5 }, "cursor"],
      [{ limit: 0 }, "limit"],
      [{ limit: 1001 }, "limit"],
    ] as const) {
      const r = await getAlerts(p, q);
      expect(r.status, JSON.stringify(q)).toBe(400);
      expect(r.json.error.details[0].path).toBe(path);
    }
  });
});
