import { afterAll, beforeAll, describe, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { createKey, restClient, seedLongRun, type SeededRun } from "../../src/dashboard/scripts/demo-data.mjs";
import { hasChromium, launchBrowser, openPage, signInWithStorage, warnIfNoBrowser } from "../helpers/browser";

warnIfNoBrowser("dashboard-scale.test.ts");

const POINTS = 1_000_000;
const project = `dash-big-${Date.now().toString(36)}`;

describe.skipIf(!hasChromium)("dashboard with a 1M-point run", () => {
  let browser: Browser;
  let key: string;
  let run: SeededRun;

  beforeAll(async () => {
    const base = inject("baseUrl");
    // 200 requests of 5,000 entries with explicit steps, through the public REST API.
    run = await seedLongRun(restClient(base, inject("adminToken")), project, { points: POINTS, batch: 5000, metric: "loss" });
    key = await createKey(base, inject("adminToken"), "read", [project]);
    browser = await launchBrowser();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("draws the whole run in under 2 s with its spikes kept", async ({ expect }) => {
    const base = inject("baseUrl");
    const { page, errors } = await openPage(browser);
    await signInWithStorage(page, base, key);
    const t0 = Date.now();
    await page.goto(`${base}/p/${project}?runs=${run.id}&smooth=0`);
    await page.waitForSelector('figure.chart[data-metric="loss"][data-ready="1"] canvas', { timeout: 10_000 });
    const elapsed = Date.now() - t0;
    const fig = page.locator('figure.chart[data-metric="loss"]');
    const points = Number(await fig.getAttribute("data-points"));
    console.log(`1M-point run drawn in ${elapsed} ms with ${points} points`);
    expect(elapsed).toBeLessThan(2000);
    expect(points).toBeGreaterThan(500);
    expect(points).toBeLessThanOrEqual(1000);
    // Every 100,000th step (from 50,000) is a spike of 10; bucket extremes keep them.
    expect(Number(await fig.getAttribute("data-ymax"))).toBe(10);
    expect(await page.locator("#runs-table tbody tr td.num").first().textContent()).toBe(String(POINTS - 1));
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
