import { describe, it } from "vitest";
import { api, createRun, logEntries, uniqueProject } from "../helpers/api";
import { getAlerts, openSocket } from "../helpers/alerts";
import { namedKey } from "../helpers/control";

describe("stop requests", () => {
  it("records the request, raises one info alert on a subscribed socket, and rides on the next log batch's answer", async ({ expect }) => {
    const p = uniqueProject();
    const { key } = await namedKey("sweep-agent", "write", [p]);
    const run = await createRun(p, { name: "r1" });
    const before = await logEntries(p, run.id, [{ step: 0, metrics: { loss: 1 } }]);
    expect(before.json.stop_requested).toBeUndefined();
    const { socket } = await openSocket(p, { run: run.id });

    const stop = await api("POST", `/v1/projects/${p}/runs/r1/stop`, { body: { reason: "loss plateaued" }, token: key });
    expect(stop.status).toBe(200);
    expect(stop.json).toMatchObject({ id: run.id, status: "running", stop_requested: { reason: "loss plateaued", by: "sweep-agent" } });

    await socket!.until(() => socket!.alerts().length > 0);
    const alert = socket!.alerts()[0];
    expect(alert).toMatchObject({ title: "Stop requested", level: "info", run_id: run.id });
    expect(alert.text).toContain("loss plateaued");
    expect(alert.text).toContain("sweep-agent");
    socket!.close();

    const next = await logEntries(p, run.id, [{ step: 1, metrics: { loss: 0.9 } }]);
    expect(next.json).toMatchObject({ accepted: 1, stop_requested: true, stop_reason: "loss plateaued" });
    // The by-name path (a lookup first) answers the same.
    const byName = await logEntries(p, "r1", [{ metrics: { loss: 0.8 } }]);
    expect(byName.json.stop_requested).toBe(true);

    // Asking again keeps the first request and stores no second alert.
    const again = await api("POST", `/v1/projects/${p}/runs/r1/stop`, { body: { reason: "other" } });
    expect(again.json.stop_requested).toMatchObject({ reason: "loss plateaued", by: "sweep-agent" });
    const alerts = await getAlerts(p, { run: run.id });
    expect(alerts.json.alerts.filter((a: { title: string }) => a.title === "Stop requested")).toHaveLength(1);

    const fin = await api("POST", `/v1/projects/${p}/runs/r1/finish`, { body: {} });
    expect(fin.json.status).toBe("stopped");
    const got = await api("GET", `/v1/projects/${p}/runs/r1`);
    expect(got.json.status).toBe("stopped");
  });

  it("answers 409 for a run that has ended, 404 for an unknown run, 403 for a read key, 400 naming a bad reason", async ({ expect }) => {
    const p = uniqueProject();
    const run = await createRun(p, { name: "done" });
    await api("POST", `/v1/projects/${p}/runs/done/finish`, { body: {} });
    const ended = await api("POST", `/v1/projects/${p}/runs/${run.id}/stop`, { body: {} });
    expect(ended.status).toBe(409);
    expect(ended.json.error.message).toContain("finished");
    expect((await api("POST", `/v1/projects/${p}/runs/nope/stop`, { body: {} })).status).toBe(404);
    await createRun(p, { name: "live" });
    const { key } = await namedKey("reader", "read", [p]);
    expect((await api("POST", `/v1/projects/${p}/runs/live/stop`, { body: {}, token: key })).status).toBe(403);
    const bad = await api("POST", `/v1/projects/${p}/runs/live/stop`, { body: { reason: 42 } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toBe("reason");
    const got = await api("GET", `/v1/projects/${p}/runs/live`);
    expect(got.json.stop_requested).toBeNull();
  });

  it("finish with an explicit status keeps it even after a stop request", async ({ expect }) => {
    const p = uniqueProject();
    await createRun(p, { name: "f" });
    await api("POST", `/v1/projects/${p}/runs/f/stop`, { body: {} });
    const fin = await api("POST", `/v1/projects/${p}/runs/f/finish`, { body: { status: "failed" } });
    expect(fin.json.status).toBe("failed");
  });
});
