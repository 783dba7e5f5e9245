// Regenerates docs/screenshots/*.png: starts Trackflare locally on fresh state, seeds demo runs
// over the REST API, and photographs the main views in headless Chromium (light and dark).
// Usage: node src/dashboard/scripts/screenshots.mjs
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { ROOT, buildDashboard, startDevServer } from "../../local/dev-server.mjs";
import { createKey, postAlert, restClient, seedSweep } from "./demo-data.mjs";
import { seedMedia } from "./demo-media.mjs";

const OUT = path.join(ROOT, "docs/screenshots");
const ADMIN = "tf_admin_screenshots";

buildDashboard();
const persistTo = fs.mkdtempSync(path.join(os.tmpdir(), "trackflare-shots-"));
const server = await startDevServer({ persistTo, adminToken: ADMIN, quiet: true });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

try {
  const call = restClient(server.url, ADMIN);
  const runs = await seedSweep(call, "llm-finetune", {
    steps: 600,
    runs: [
      { name: "baseline", group: "adam", config: { lr: 3e-4, optimizer: "adam", batch_size: 64, warmup: 100, model: "small" }, finish: "finished" },
      { name: "lr-1e-3", group: "adam", config: { lr: 1e-3, optimizer: "adam", batch_size: 64, warmup: 100, model: "small" }, finish: "finished" },
      { name: "sgd-momentum", group: "sgd", config: { lr: 1e-2, optimizer: "sgd", batch_size: 128, momentum: 0.9, model: "small" }, finish: "failed" },
      { name: "big-batch", group: "adam", config: { lr: 1e-3, optimizer: "adam", batch_size: 256, warmup: 200, model: "small" } },
    ],
  });
  await seedSweep(call, "vision-sweep", { steps: 100 });
  await seedSweep(call, "rl-agents", { steps: 50, runs: [{ name: "ppo-1", config: { algo: "ppo", gamma: 0.99 } }] });
  const [baseline, lr, sgd, big] = runs;
  await postAlert(call, "llm-finetune", { run: baseline.id, title: "checkpoint saved", text: "step 500, eval/acc 0.81", level: "info", step: 500 });
  await postAlert(call, "llm-finetune", { run: lr.id, title: "loss plateau", text: "train/loss changed < 1% over 100 steps", level: "warn", step: 420 });
  await postAlert(call, "llm-finetune", { run: sgd.id, title: "NaN in gradients", text: "grad norm is NaN at step 580; run stopped", level: "error", step: 580 });
  await postAlert(call, "llm-finetune", { run: big.id, title: "eval/acc above 0.8", level: "info", step: 590 });
  await seedMedia(server.url, ADMIN, "vision");
  const key = await createKey(server.url, ADMIN, "read");
  fs.mkdirSync(OUT, { recursive: true });

  async function shoot(name, urlPath, { scheme = "light", wait = "main", fullPage = false, height = 900, before } = {}) {
    const context = await browser.newContext({ viewport: { width: 1440, height }, colorScheme: scheme, deviceScaleFactor: 1 });
    const page = await context.newPage();
    if (name !== "sign-in") {
      await page.goto(`${server.url}/signin`);
      await page.evaluate((k) => localStorage.setItem("trackflare.key", k), key);
    }
    await page.goto(`${server.url}${urlPath}`);
    await page.waitForSelector(wait);
    await before?.(page);
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage });
    await context.close();
    console.log(`docs/screenshots/${name}.png`);
  }

  const charts = 'figure.chart[data-ready="1"]';
  const sel = `runs=${runs.map((r) => r.id).join(",")}`;
  await shoot("sign-in", "/signin", {
    wait: "#api-key",
    height: 560,
    before: async (page) => {
      await page.fill("#api-key", "tf_not-a-real-key");
      await page.click("button[type=submit]");
      await page.waitForSelector("#signin-message.error");
    },
  });
  await shoot("projects", "/", { wait: "#projects-table", height: 420 });
  await shoot("project", `/p/llm-finetune?${sel}`, { wait: charts, height: 1300 });
  await shoot("project-dark", `/p/llm-finetune?${sel}&group_by=group`, { scheme: "dark", wait: charts, height: 1300 });
  await shoot("compare", `/p/llm-finetune/compare?runs=${baseline.id},${lr.id},${big.id}`, { wait: "#compare-metrics", height: 1000 });
  await shoot("media", "/p/vision/media", { wait: "canvas.heatmap", height: 1200, fullPage: true });
  await shoot("run-detail", `/p/llm-finetune/runs/${sgd.id}`, { wait: "li.alert", height: 1000 });
} finally {
  await browser.close();
  await server.close();
  fs.rmSync(persistTo, { recursive: true, force: true });
}
