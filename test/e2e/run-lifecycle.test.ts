import { describe, inject, it } from "vitest";
import { Api, Client, Run } from "../../sdk/src/index";
import { until } from "../helpers/until";

// Against the real server and its real alarms: a script logging through Trackio's protocol (no
// finish call) that goes quiet ends with no alert; an SDK script that dies without finish() goes
// stale with its warn. Both in one project with stale_after = 1 s.

describe("run lifecycle on a live server", () => {
  it("ends a silent Trackio-protocol run without an alert, while a dead SDK run warns", { timeout: 60_000 }, async ({ expect }) => {
    const url = inject("baseUrl");
    const token = inject("adminToken");
    const project = `lifecycle-${Date.now().toString(36)}`;
    const client = new Client({ url, token });
    await client.rules.updateSettings(project, { stale_after: 1 });
    const body = { args: [], kwargs: { logs: [{ project, run: "trackio-script", run_id: "fedcba9876543210fedcba9876543210", metrics: { loss: 1 }, step: 0, config: null, log_id: "t0" }], hf_token: null } };
    const res = await fetch(`${url}/api/bulk_log`, { method: "POST", headers: { "content-type": "application/json", "x-trackio-write-token": token }, body: JSON.stringify(body) });
    expect(await res.json()).toEqual({ data: null });
    const dead = await Run.start({ project, name: "sdk-script", url, token, quiet: true, exitHook: false });
    dead.log({ loss: 1 });
    await dead.flush(); // and then it dies: no finish()

    const api = new Api({ url, token });
    const statuses = () => api.runs(project).then((rs) => Object.fromEntries(rs.map((r) => [r.name, r.status])));
    expect(await until(statuses, (s) => s["trackio-script"] === "ended" && s["sdk-script"] === "stale", { timeoutMs: 20_000 })).toEqual({ "trackio-script": "ended", "sdk-script": "stale" });
    // D1's status flips just before the object stores the alert it raises in the same check.
    const alerts = await until(() => api.alerts(project), (a) => a.length > 0, { timeoutMs: 10_000 });
    expect(alerts.map((a) => [a.run, a.title, a.level])).toEqual([["sdk-script", "Run stopped reporting", "warn"]]);
    expect((await api.runs(project, { status: "ended" })).map((r) => r.name)).toEqual(["trackio-script"]);
  });
});
