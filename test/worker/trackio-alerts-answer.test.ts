import { beforeAll, describe, it } from "vitest";
import { parseTimestamp, type Alert } from "../../src/contract";
import { api, createKey, createRun, uniqueProject } from "../helpers/api";
import { postAlerts } from "../helpers/alerts";
import { prng } from "../helpers/prng";
import { call } from "../helpers/trackio";

// Trackio's get_alerts answer is built by the project's object in SQL and remembered until the
// alerts change: it must equal the stored alerts, in Trackio's order, after every kind of change.

/** Trackio's view of the stored alerts (REST's, with cursors): newest instant first, then the later cursor. */
const trackioView = (alerts: Alert[]) =>
  [...alerts]
    .sort((p, q) => parseTimestamp(q.timestamp)! - parseTimestamp(p.timestamp)! || q.cursor - p.cursor)
    .map((a) => ({ timestamp: a.timestamp, run: a.run, title: a.title, text: a.text, level: a.level, step: a.step }));

describe("Trackio get_alerts answer", () => {
  let key = "";
  beforeAll(async () => {
    key = await createKey("write");
  });
  const getAlerts = async (kwargs: Record<string, unknown>) => {
    const r = await call("get_alerts", kwargs, { token: key });
    if (r.status !== 200) throw new Error(`get_alerts: ${r.status} ${r.text}`);
    return r.json.data;
  };
  const stored = async (p: string) => {
    const r = await api("GET", `/v1/projects/${p}/alerts?limit=1000`);
    return r.json.alerts as Alert[];
  };

  it("equals the stored alerts in Trackio's order and shape, texts of any characters and tied instants included", async ({ expect }) => {
    const p = uniqueProject("tra");
    await createRun(p, { name: "a" });
    await createRun(p, { name: "b" });
    const { int, pick } = prng(15);
    const chars = ["x", "é", "\"", "\\", "\n", "\t", "\u0001", "\u2028", "😀", "</script>", " "];
    const text = () => Array.from({ length: int(12) }, () => pick(chars)).join("");
    // Few distinct instants, so many alerts tie and the cursor decides.
    const instants = ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000001Z", "2025-12-31T23:00:00-01:00", "2026-03-01T10:00:00.5+02:00"];
    const alerts = Array.from({ length: 120 }, (_, i) => ({
      title: `t${i}${text()}`,
      text: int(3) ? text() : undefined,
      level: pick(["info", "warn", "error"]),
      run: int(4) ? pick(["a", "b"]) : undefined,
      step: int(2) ? int(1_000_000) : undefined,
      timestamp: pick(instants),
      alert_id: `tra-${i}`,
    }));
    await postAlerts(p, alerts);
    const all = await stored(p);
    expect(all).toHaveLength(120);
    expect(await getAlerts({ project: p })).toEqual(trackioView(all));
    expect(await getAlerts({ project: p, run: "a" })).toEqual(trackioView(all.filter((a) => a.run === "a")));
    expect(await getAlerts({ project: p, level: "warn", run: "b" })).toEqual(trackioView(all.filter((a) => a.level === "warn" && a.run === "b")));
    expect(await getAlerts({ project: p, since: "2026-01-01T00:00:00Z" })).toEqual(
      trackioView(all.filter((a) => parseTimestamp(a.timestamp)! > parseTimestamp("2026-01-01T00:00:00Z")!)),
    );
    expect(await getAlerts({ project: uniqueProject("none") })).toEqual([]);
  });

  it("answers a repeated call afresh after a new alert, a renamed run and a deleted run", async ({ expect }) => {
    const p = uniqueProject("trb");
    const a = await createRun(p, { name: "a" });
    await createRun(p, { name: "b" });
    await postAlerts(p, [
      { title: "one", run: "a", alert_id: "trb-1", timestamp: "2026-01-01T00:00:01Z" },
      { title: "two", run: "b", alert_id: "trb-2", timestamp: "2026-01-01T00:00:02Z" },
    ]);
    const titles = async () => (await getAlerts({ project: p })).map((x: { title: string; run: string }) => `${x.title}@${x.run}`);
    expect(await titles()).toEqual(["two@b", "one@a"]);
    expect(await titles()).toEqual(["two@b", "one@a"]);

    await postAlerts(p, { title: "three", run: "a", alert_id: "trb-3", timestamp: "2026-01-01T00:00:00Z" });
    expect(await titles()).toEqual(["two@b", "one@a", "three@a"]);
    // A duplicate stores nothing and changes nothing.
    await postAlerts(p, { title: "three", run: "a", alert_id: "trb-3", timestamp: "2026-01-01T00:00:00Z" });
    expect(await titles()).toEqual(["two@b", "one@a", "three@a"]);

    expect((await api("PATCH", `/v1/projects/${p}/runs/${a.id}`, { body: { name: "renamed" } })).status).toBe(200);
    expect(await titles()).toEqual(["two@b", "one@renamed", "three@renamed"]);

    expect((await api("DELETE", `/v1/projects/${p}/runs/${a.id}`)).status).toBe(200);
    expect(await titles()).toEqual(["two@b"]);
    expect(await getAlerts({ project: p })).toEqual(trackioView(await stored(p)));
  });
});
