import { afterAll, beforeAll, describe, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { createKey, postAlert, restClient, seedSweep, type Call, type SeededRun } from "../../src/dashboard/scripts/demo-data.mjs";
import { hasChromium, launchBrowser, openPage, signInWithStorage, warnIfNoBrowser } from "../helpers/browser";

warnIfNoBrowser("dashboard.test.ts");

const project = `dash-${Date.now().toString(36)}`;
const base = () => inject("baseUrl");

describe.skipIf(!hasChromium)("dashboard in Chromium", () => {
  let browser: Browser;
  let admin: Call;
  let readKey: string;
  let runs: SeededRun[];
  const byName = (name: string) => runs.find((r) => r.name === name)!;

  beforeAll(async () => {
    admin = restClient(base(), inject("adminToken"));
    runs = await seedSweep(admin, project, {
      steps: 300,
      runs: [
        { name: "adam-lr3e-4", group: "adam", config: { lr: 3e-4, optimizer: "adam", batch_size: 64 }, finish: "finished" },
        { name: "adam-lr1e-3", group: "adam", config: { lr: 1e-3, optimizer: "adam", batch_size: 64 } },
        { name: "sgd-lr1e-2", group: "sgd", config: { lr: 1e-2, optimizer: "sgd", batch_size: 128, momentum: 0.9 } },
      ],
    });
    await postAlert(admin, project, { run: byName("adam-lr1e-3").id, title: "loss plateau", level: "warn", step: 150 });
    await admin("POST", `/v1/projects/${project}/runs/${byName("adam-lr1e-3").id}/notes`, { text: "lr 1e-3 to compare with 3e-4" });
    readKey = await createKey(base(), inject("adminToken"), "read");
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function signedIn(path: string): Promise<{ page: Page; errors: string[] }> {
    const { page, errors } = await openPage(browser);
    await signInWithStorage(page, base(), readKey);
    await page.goto(`${base()}${path}`);
    return { page, errors };
  }

  const chart = (page: Page, metric: string) => page.locator(`figure.chart[data-metric="${metric}"]`);

  it("shows a clear message for a bad key and stays on the sign-in page", async ({ expect }) => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${base()}/`);
    await expect.poll(() => new URL(page.url()).pathname).toBe("/signin");
    await page.getByLabel("API key").fill(`tf_${"x".repeat(40)}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForSelector("#signin-message.error");
    expect(await page.textContent("#signin-message")).toContain("This API key was not accepted (401 Unauthorized)");
    expect(new URL(page.url()).pathname).toBe("/signin");
    expect(await page.evaluate(() => localStorage.getItem("trackflare.key"))).toBeNull();
    // The rejected request itself is the only error the browser reports.
    expect(errors.filter((e) => !e.includes("401"))).toEqual([]);
    await page.context().close();
  });

  it("sends a revoked key back to sign-in with the message", async ({ expect }) => {
    const created = await admin("POST", "/v1/keys", { name: "soon-revoked", scope: "read" });
    const { page, errors } = await openPage(browser);
    await signInWithStorage(page, base(), created.json.key);
    await page.goto(`${base()}/p/${project}`);
    await page.waitForSelector("#runs-table");
    expect((await admin("DELETE", `/v1/keys/${created.json.id}`)).status).toBe(200);
    await page.reload();
    await page.waitForSelector("#signin-message.error");
    expect(await page.textContent("#signin-message")).toContain("This API key was not accepted (401 Unauthorized)");
    expect(new URL(page.url()).searchParams.get("next")).toBe(`/p/${project}`);
    expect(await page.evaluate(() => localStorage.getItem("trackflare.key"))).toBeNull();
    expect(errors.filter((e) => !e.includes("401"))).toEqual([]);
    await page.context().close();
  });

  it("signs in with a read key through the form, lists the projects and opens one", async ({ expect }) => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${base()}/p/${project}`);
    await page.getByLabel("API key").fill(readKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Back where the visitor was headed.
    await page.waitForSelector("#runs-table");
    expect(new URL(page.url()).pathname).toBe(`/p/${project}`);
    await page.click("a.brand");
    const row = page.locator(`#projects-table tr[data-project="${project}"]`);
    await row.waitFor();
    expect(await row.locator("td").nth(1).textContent()).toBe("3");
    await row.getByRole("link", { name: project }).click();
    await page.waitForSelector("#runs-table tbody tr");
    expect(new URL(page.url()).pathname).toBe(`/p/${project}`);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("says so when the key sees no projects", async ({ expect }) => {
    const lonely = await createKey(base(), inject("adminToken"), "read", [`${project}-none`]);
    const { page, errors } = await openPage(browser);
    await signInWithStorage(page, base(), lonely);
    await page.goto(`${base()}/`);
    await page.waitForSelector(".empty-state");
    expect(await page.textContent(".empty-state")).toContain("No projects yet");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("lists the runs with status, last step, alert counts and config columns", async ({ expect }) => {
    const { page, errors } = await signedIn(`/p/${project}`);
    await page.waitForSelector("#runs-table tbody tr[data-run-id]");
    expect(await page.locator("#runs-table tbody tr[data-run-id]").count()).toBe(3);
    const headers = await page.locator("#runs-table thead th").allTextContents();
    expect(headers).toEqual(expect.arrayContaining(["Name", "Group", "Status", "Last step", "Logs", "Alerts", "Created", "batch_size", "lr", "momentum", "optimizer"]));
    const sgd = page.locator(`tr[data-run-name="sgd-lr1e-2"]`);
    expect(await sgd.locator('[data-config-key="optimizer"]').textContent()).toBe("sgd");
    expect(await sgd.locator('[data-config-key="momentum"]').textContent()).toBe("0.9");
    // Four significant digits, trailing zeros dropped, one notation per magnitude.
    expect(await page.locator(`tr[data-run-name="adam-lr3e-4"] [data-config-key="lr"]`).textContent()).toBe("3e-4");
    expect(await page.locator(`tr[data-run-name="adam-lr1e-3"] [data-config-key="lr"]`).textContent()).toBe("0.001");
    expect(await page.locator(`tr[data-run-name="adam-lr3e-4"] .status`).textContent()).toBe("finished");
    expect(await page.locator(`tr[data-run-name="adam-lr1e-3"] .alerts-cell`).textContent()).toContain("1 warn");
    // The last step is the `final/score` entry after 300 training steps.
    expect(await sgd.locator("td.num").first().textContent()).toBe("300");

    await page.fill("#filter-config", "optimizer=adam");
    await expect.poll(() => page.locator("#runs-table tbody tr[data-run-id]").count()).toBe(2);
    await page.fill("#filter-config", "");
    await page.fill("#filter-name", "^sgd");
    await expect.poll(() => page.locator("#runs-table tbody tr[data-run-id]").count()).toBe(1);
    expect(new URL(page.url()).searchParams.get("q")).toBe("^sgd");
    await page.fill("#filter-name", "");
    // Groups follow the table's order: the newest run (sgd) first.
    await page.selectOption("#group-by", "config:optimizer");
    expect(await page.locator("#runs-table tr.group-row").allTextContents()).toEqual([' optimizer = "sgd" (1)', ' optimizer = "adam" (2)']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("draws a canvas per metric with one series per selected run, grouped by prefix", async ({ expect }) => {
    const [a, b, c] = ["adam-lr3e-4", "adam-lr1e-3", "sgd-lr1e-2"].map((n) => byName(n).id);
    const { page, errors } = await signedIn(`/p/${project}?runs=${a},${b}`);
    const metrics = ["eval/acc", "eval/loss", "final/score", "system/lr", "train/acc", "train/loss"];
    await page.waitForFunction((n) => document.querySelectorAll('figure.chart[data-ready="1"]').length === n, metrics.length);
    expect(await page.locator("figure.chart").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.metric))).toEqual(metrics);
    for (const m of metrics) {
      expect(await chart(page, m).locator("canvas").count()).toBe(1);
      expect(await chart(page, m).getAttribute("data-runs")).toBe("2");
    }
    // Smoothing on: a faded raw line and a smoothed line per run.
    expect(await chart(page, "train/loss").getAttribute("data-series")).toBe("4");
    expect(await chart(page, "train/loss").getAttribute("data-points")).toBe("600");
    expect(await chart(page, "final/score").getAttribute("data-points")).toBe("2");
    expect(await page.locator("details.chart-group summary").allTextContents()).toEqual(["eval (2)", "final (1)", "system (1)", "train (2)"]);

    await page.getByRole("checkbox", { name: "Select run sgd-lr1e-2" }).check();
    await expect.poll(() => chart(page, "train/loss").getAttribute("data-runs")).toBe("3");
    expect(new URL(page.url()).searchParams.get("runs")!.split(",").sort()).toEqual([a, b, c].sort());
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("tells apart runs that share a name in the legend, and drops the default-runs note once they are chosen", async ({ expect }) => {
    const twins = `${project}-twins`;
    const [first, second] = await seedSweep(admin, twins, { steps: 20, runs: [{ name: "dup", config: { lr: 0.1 } }, { name: "dup", config: { lr: 0.2 } }] });
    const { page, errors } = await signedIn(`/p/${twins}`);
    const status = page.locator("#charts-title ~ [role=status], [role=status].hint").first();
    await page.waitForSelector('figure.chart[data-metric="train/loss"][data-ready="1"]');
    await expect.poll(() => status.textContent()).toBe("Showing the 2 newest runs; select runs in the table to choose.");
    const legend = () => chart(page, "train/loss").locator(".u-legend .u-series .u-label").allTextContents();
    expect((await legend()).filter((t) => t.startsWith("dup")).sort()).toEqual(expect.arrayContaining([`dup · ${first.id.slice(0, 8)}`, `dup · ${second.id.slice(0, 8)}`]));
    // Choosing exactly the runs shown by default: the charts stay, the note goes.
    for (const box of await page.getByRole("checkbox", { name: "Select run dup" }).all()) await box.check();
    await expect.poll(() => status.textContent()).toBe("");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("shows an alert posted by another client in the panel within a second", async ({ expect }) => {
    const { page, errors } = await signedIn(`/p/${project}`);
    await page.waitForSelector('.stream-state[data-state="live"]');
    const title = `diverged ${Date.now()}`;
    const seen = page.waitForSelector(`li.alert.level-error:has-text("${title}")`, { timeout: 5000 });
    const t0 = Date.now();
    await postAlert(admin, project, { run: byName("sgd-lr1e-2").id, title, text: "loss is NaN", level: "error", step: 301 });
    await seen;
    const elapsed = Date.now() - t0;
    console.log(`alert shown ${elapsed} ms after the POST began`);
    expect(elapsed).toBeLessThan(1000);
    // The runs table counts it too, without a reload.
    await expect.poll(() => page.locator(`tr[data-run-name="sgd-lr1e-2"] .alerts-cell`).textContent()).toContain("1 error");
    // Level filter.
    await page.locator(".level-toggle.level-error input").uncheck();
    expect(await page.locator(`li.alert:has-text("${title}")`).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("extends the chart of a running run with new points, without a reload", async ({ expect }) => {
    const run = byName("adam-lr1e-3");
    const { page, errors } = await signedIn(`/p/${project}?runs=${run.id}`);
    await page.waitForSelector('figure.chart[data-metric="train/loss"][data-ready="1"]');
    const before = Number(await chart(page, "train/loss").getAttribute("data-points"));
    const logs = Array.from({ length: 20 }, (_, i) => ({ step: 400 + i, metrics: { "train/loss": 0.1 } }));
    const r = await admin("POST", `/v1/projects/${project}/runs/${run.id}/logs`, { logs });
    expect(r.status).toBe(200);
    await expect.poll(async () => Number(await chart(page, "train/loss").getAttribute("data-points")), { timeout: 8000 }).toBe(before + 20);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("keeps smoothing, x axis and log scale in the URL (deep link survives a reload)", async ({ expect }) => {
    const run = byName("sgd-lr1e-2");
    const { page, errors } = await signedIn(`/p/${project}?runs=${run.id}`);
    await page.waitForSelector('figure.chart[data-metric="train/loss"][data-ready="1"]');
    await page.locator("#smoothing").fill("0.9");
    await page.selectOption("#x-axis", "time");
    await page.getByLabel("Log scale").check();
    const url = new URL(page.url());
    expect([url.searchParams.get("smooth"), url.searchParams.get("x"), url.searchParams.get("log"), url.searchParams.get("runs")]).toEqual(["0.9", "time", "1", run.id]);
    await page.reload();
    await page.waitForSelector('figure.chart[data-metric="train/loss"][data-ready="1"]');
    expect(await page.inputValue("#smoothing")).toBe("0.9");
    expect(await page.inputValue("#x-axis")).toBe("time");
    expect(await page.isChecked("#log-scale")).toBe(true);
    // x by another metric.
    await page.selectOption("#x-axis", "metric:train/acc");
    expect(Number(await chart(page, "train/loss").getAttribute("data-points"))).toBeGreaterThan(100);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("zooms by dragging and fetches the window's exact points; double-click restores", async ({ expect }) => {
    const run = byName("sgd-lr1e-2");
    const { page, errors } = await signedIn(`/p/${project}?runs=${run.id}&smooth=0`);
    const fig = chart(page, "train/loss");
    await page.waitForSelector('figure.chart[data-metric="train/loss"][data-ready="1"]');
    const full = Number(await fig.getAttribute("data-points"));
    const over = fig.locator(".u-over");
    await over.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => Number(await fig.getAttribute("data-points"))).toBeLessThan(full / 2);
    await over.dblclick();
    await expect.poll(async () => Number(await fig.getAttribute("data-points"))).toBe(full);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("compares selected runs: config differences highlighted, final and best values", async ({ expect }) => {
    const ids = ["adam-lr3e-4", "sgd-lr1e-2"].map((n) => byName(n).id);
    const { page, errors } = await signedIn(`/p/${project}/compare?runs=${ids.join(",")}`);
    await page.waitForSelector("#compare-metrics");
    const differs = await page.locator("#compare-config tr.differs").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.configKey));
    expect(differs.sort()).toEqual(["batch_size", "lr", "momentum", "optimizer"]);
    const loss = page.locator('#compare-metrics tr[data-metric="train/loss"] td');
    expect(await loss.count()).toBe(2);
    expect(await page.locator('#compare-metrics tr[data-metric="final/score"] td').allTextContents()).toEqual(["0.7 / best 0.7", "0.9 / best 0.9 (best of these runs)"]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("shows a run's summary, config, notes, metric names and alerts", async ({ expect }) => {
    const run = byName("adam-lr1e-3");
    const { page, errors } = await signedIn(`/p/${project}/runs/${run.id}`);
    await page.waitForSelector("#run-config");
    expect(await page.locator("h1").textContent()).toBe("adam-lr1e-3");
    expect(await page.locator("#run-config tbody tr").allTextContents()).toEqual(["batch_size64", "lr0.001", "optimizeradam"]);
    expect(await page.locator("#run-notes li p").allTextContents()).toEqual(["lr 1e-3 to compare with 3e-4"]);
    expect(await page.locator("#run-metrics li").allTextContents()).toEqual(["eval/acc", "eval/loss", "final/score", "system/lr", "train/acc", "train/loss"]);
    await page.waitForSelector('li.alert:has-text("loss plateau")');
    expect(await page.locator("li.alert").count()).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
