import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, inject, it } from "vitest";
import { Client, Histogram, Image, Run, Table } from "../../sdk/src/index";
import { hasChromium, launchBrowser, openPage, signInWithStorage, warnIfNoBrowser } from "../helpers/browser";
import { solidPng } from "../../src/dashboard/scripts/demo-media.mjs";

warnIfNoBrowser("dashboard-media.test.ts");

// The Media & Tables view in headless Chromium: two runs logged distinct solid-colour images at
// steps 0-3 through the SDK; at each slider step each run's cell must show that step's image (its
// pixel colour read back from the decoded image), plus table cell images and the histogram heatmap.

const base = () => inject("baseUrl");
const project = `dash-media-${Date.now().toString(36)}`;
const STEPS = 4;
/** Colour of run r at step s: distinct for every (run, step). */
const colour = (r: number, s: number): [number, number, number] => [40 + 50 * s, r === 0 ? 200 : 20, r === 0 ? 30 : 220];

describe.skipIf(!hasChromium)("Media & Tables view in Chromium", () => {
  let browser: Browser;
  let readKey: string;

  beforeAll(async () => {
    const common = { project, url: base(), token: inject("adminToken"), quiet: true, exitHook: false };
    for (const [r, name] of ["alpha", "beta"].entries()) {
      const run = await Run.start({ ...common, name });
      for (let s = 0; s < STEPS; s++) {
        run.log({
          "samples/pred": new Image(solidPng(colour(r, s)), { caption: `${name} step ${s}` }),
          "weights/hist": new Histogram(Array.from({ length: 50 }, (_, i) => i * (s + 1))),
          loss: 1 / (s + 1),
        });
      }
      run.log({ "eval/table": new Table({ columns: ["label", "image"], data: [["cat", new Image(solidPng([255, 0, 0]))], ["dog", null]] }) }, STEPS - 1);
      await run.finish();
    }
    const created = await new Client({ url: base(), token: inject("adminToken") }).keys.create({ name: "media-view", scope: "read" });
    readKey = created.key;
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** The colour of the image's centre pixel, once it is decoded. */
  const pixel = (page: Page, run: string) =>
    page.evaluate(async (runName) => {
      const img = document.querySelector<HTMLImageElement>(`section[data-metric="samples/pred"] figure[data-run="${runName}"] img`);
      if (!img || !img.src) return null;
      await img.decode().catch(() => undefined);
      if (!img.naturalWidth) return null;
      const c = document.createElement("canvas");
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const ctx = c.getContext("2d")!;
      ctx.drawImage(img, 0, 0);
      return [...ctx.getImageData(1, 1, 1, 1).data.slice(0, 3)];
    }, run);

  it("shows each run's image of the slider's step, side by side, with captions, table cell images and the histogram heatmap", async ({ expect }) => {
    const { page, errors } = await openPage(browser);
    await signInWithStorage(page, base(), readKey);
    await page.goto(`${base()}/p/${project}/media`);
    const section = page.locator('section[data-metric="samples/pred"]');
    await section.waitFor();
    expect(await page.locator("section.media-metric h2").allTextContents()).toEqual(["eval/table", "samples/pred", "weights/hist"]);
    // Newest run first, both side by side.
    expect(await section.locator("figure.media-cell").evaluateAll((els) => els.map((e) => e.getAttribute("data-run")))).toEqual(["beta", "alpha"]);
    const slider = section.locator("input.step-slider");
    for (let s = 0; s < STEPS; s++) {
      await slider.fill(String(s));
      await expect.poll(() => section.locator("output.step-value").textContent()).toBe(`step ${s}`);
      for (const [r, name] of ["alpha", "beta"].entries()) {
        await expect.poll(() => pixel(page, name), { timeout: 10_000 }).toEqual(colour(r, s));
        expect(await section.locator(`figure[data-run="${name}"]`).getAttribute("data-step")).toBe(String(s));
        expect(await section.locator(`figure[data-run="${name}"] .media-caption`).textContent()).toBe(`${name} step ${s}`);
      }
    }
    // The table's image cell is decoded (a thumbnail), the other cell is text.
    const table = page.locator('section[data-metric="eval/table"] figure[data-run="alpha"] table');
    expect(await table.locator("tbody tr").count()).toBe(2);
    await expect.poll(() => table.locator("img.media-thumb").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(4);
    expect(await table.locator("tbody tr").nth(1).textContent()).toContain("dog");
    // One heatmap per run, with a column per step.
    const maps = page.locator('section[data-metric="weights/hist"] canvas.heatmap');
    expect(await maps.count()).toBe(2);
    expect(await maps.first().getAttribute("data-steps")).toBe(String(STEPS));
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
