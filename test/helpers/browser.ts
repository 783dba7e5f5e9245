import fs from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

// Browser tests drive Debian's Chromium through playwright-core (no downloaded browser).

export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = fs.existsSync(CHROMIUM);

/** Says plainly, once per file, why the browser tests did not run. */
export function warnIfNoBrowser(file: string) {
  if (!hasChromium) console.warn(`[${file}] browser tests skipped: ${CHROMIUM} is missing (install Debian's "chromium" package to run them).`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A page whose console errors and uncaught exceptions are collected in `errors`. */
export async function openPage(browser: Browser, opts: { colorScheme?: "light" | "dark"; width?: number; height?: number } = {}) {
  const context: BrowserContext = await browser.newContext({ viewport: { width: opts.width ?? 1400, height: opts.height ?? 900 }, colorScheme: opts.colorScheme ?? "light" });
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(`console.error: ${m.text()}`));
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
  return { context, page, errors };
}

/** Stores the key as the sign-in page would, without going through the form. */
export async function signInWithStorage(page: Page, baseUrl: string, key: string) {
  await page.goto(`${baseUrl}/signin`);
  await page.evaluate((k) => localStorage.setItem("trackflare.key", k), key);
}
