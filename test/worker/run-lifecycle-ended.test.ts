import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { api, createKey, createRun, logEntries, uniqueProject } from "../helpers/api";
import { allAlerts, patchSettings } from "../helpers/rules";
import { call } from "../helpers/trackio";
import { until } from "../helpers/until";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const status = async (project: string, run: string) => (await api("GET", `/v1/projects/${project}/runs/${run}`)).json.status as string;

/** Lets `seconds` pass, then runs the project's alarm if still pending (the runtime may fire it on time by itself). */
async function passTime(project: string, seconds: number) {
  await sleep(seconds * 1000);
  await runDurableObjectAlarm(env.PROJECT_ALERTS.getByName(project));
}

const trackioLog = (project: string, step: number) => ({ project, run: "script", run_id: "0123456789abcdef0123456789abcdef", metrics: { loss: 1 / (step + 1) }, step, config: null, log_id: `l${step}` });

describe("run lifecycle: Trackio-protocol runs end, API runs go stale", () => {
  it("ends a silent Trackio-protocol run with no alert, while an SDK-made run in the same project still warns", async ({ expect }) => {
    const p = uniqueProject("lifecycle");
    const key = await createKey("write", [p]);
    await patchSettings(p, { stale_after: 1 });
    expect((await call("bulk_log", { logs: [trackioLog(p, 0), trackioLog(p, 1)] }, { token: key })).status).toBe(200);
    const sdkRun = await createRun(p, { name: "sdk-run" });
    await logEntries(p, sdkRun.id, [{ metrics: { loss: 1 } }]);
    await passTime(p, 1.3);
    await until(async () => [await status(p, "script"), await status(p, "sdk-run")], (v) => v[0] === "ended" && v[1] === "stale");
    expect(await status(p, "script")).toBe("ended");
    expect(await status(p, "sdk-run")).toBe("stale");
    // D1's status flips just before the object stores the alert it raises in the same check.
    const alerts = await until(() => allAlerts(p), (a) => a.length > 0);
    expect(alerts.map((a) => [a.run, a.title, a.level])).toEqual([["sdk-run", "Run stopped reporting", "warn"]]);
    // Every interface knows `ended`: REST filters, the project summary, Trackio's reads.
    const ended = await api("GET", `/v1/projects/${p}/runs?status=ended`);
    expect(ended.json.runs.map((r: any) => r.name)).toEqual(["script"]);
    const summary = await api("GET", `/v1/projects/${p}`);
    expect(summary.json.runs.find((r: any) => r.name === "script").status).toBe("ended");

    // A later entry makes it running again, still without an alert.
    expect((await call("bulk_log", { logs: [trackioLog(p, 2)] }, { token: key })).status).toBe(200);
    expect(await status(p, "script")).toBe("running");
    await sleep(300);
    expect((await allAlerts(p)).map((a) => a.run)).toEqual(["sdk-run"]);
    // And it ends again after another silence.
    await passTime(p, 1.3);
    await until(() => status(p, "script"), (v) => v === "ended");
    expect((await allAlerts(p)).map((a) => a.run)).toEqual(["sdk-run"]);
  });
});
