import { beforeAll, describe, inject, it } from "vitest";
import { Api } from "../../sdk/src/index";
import { uniqueProject } from "../helpers/alerts-e2e";

// Trackio's "count the errors of each run" loop reads `run.alerts()`: on a busy run it must see
// every alert, not the server's first page.

const TOTAL = 1_050; // past the server's largest page (1,000)

describe("api.alerts() and run.alerts() page inside", () => {
  const api = new Api({ url: inject("baseUrl"), token: inject("adminToken") });
  const project = uniqueProject("paging");

  beforeAll(async () => {
    await api.client.runs.create(project, { name: "busy" });
    await api.client.runs.create(project, { name: "quiet" });
    const alerts = Array.from({ length: TOTAL }, (_, i) => ({ run: "busy", title: `a${i}`, level: i % 10 === 0 ? "error" : "warn", alert_id: `busy-${i}` }));
    for (let i = 0; i < TOTAL; i += 500) await api.client.alerts.create(project, { alerts: alerts.slice(i, i + 500) });
    await api.client.alerts.create(project, { run: "quiet", title: "only one", level: "error" });
  }, 120_000);

  it("returns every matching alert, newest first, each once", async ({ expect }) => {
    const all = await api.alerts(project);
    expect(all).toHaveLength(TOTAL + 1);
    const cursors = all.map((a) => a.cursor);
    expect(cursors).toEqual([...cursors].sort((a, b) => b - a));
    expect(new Set(cursors).size).toBe(cursors.length);
    expect(all[0].title).toBe("only one");
    expect(all.at(-1)!.title).toBe("a0");
  });

  it("run.alerts() counts a busy run's errors exactly", async ({ expect }) => {
    const [busy] = await api.runs(project, { name: "busy" });
    const errors = await busy.alerts({ minLevel: "error" });
    expect(errors).toHaveLength(TOTAL / 10);
    expect(errors.every((a) => a.run === "busy" && a.level === "error")).toBe(true);
    expect(await busy.alerts()).toHaveLength(TOTAL);
  });

  it("with limit, the newest that many, within one page or past it", async ({ expect }) => {
    expect((await api.alerts(project, { limit: 3 })).map((a) => a.title)).toEqual(["only one", `a${TOTAL - 1}`, `a${TOTAL - 2}`]);
    const many = await api.alerts(project, { run: "busy", limit: 1_020 });
    expect(many).toHaveLength(1_020);
    expect(many[0].title).toBe(`a${TOTAL - 1}`);
    expect(many.at(-1)!.title).toBe(`a${TOTAL - 1_020}`);
  });

  it("the one-page read stays explicit: has_more and next_cursor", async ({ expect }) => {
    const page = await api.client.alerts.list(project, { limit: 100 });
    expect(page.alerts).toHaveLength(100);
    expect(page.has_more).toBe(true);
  });
});
