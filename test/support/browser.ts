/**
 * Real headless Chromium (Debian's /usr/bin/chromium through playwright-core) for the dashboard tests and the
 * web benchmark. Failing steps and the main pages are saved as screenshots under test-artifacts/ (gitignored)
 * so people can look at what the browser saw.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const ARTIFACTS = resolve(import.meta.dirname, "..", "..", "test-artifacts");

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 900 };

/**
 * tsx compiles test files with esbuild's keepNames, so functions a test sends to the page (page.evaluate) call
 * a `__name` helper the page does not have; this gives it one.
 */
export const KEEP_NAMES_SHIM = "globalThis.__name = (f) => f;";

export async function newContext(
  browser: Browser,
  baseURL: string,
  options: { size?: { width: number; height: number }; dark?: boolean } = {},
): Promise<BrowserContext> {
  const size = options.size ?? DESKTOP;
  const context = await browser.newContext({
    baseURL,
    viewport: size,
    deviceScaleFactor: 1,
    hasTouch: size.width < 600,
    colorScheme: options.dark ? "dark" : "light",
    reducedMotion: "reduce",
  });
  await context.addInitScript(KEEP_NAMES_SHIM);
  return context;
}

/** A fresh context on the hub (as newContext), its first page, and the errors that page reports from now on. */
export async function openPage(
  browser: Browser,
  baseURL: string,
  options: { size?: { width: number; height: number }; dark?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await newContext(browser, baseURL, options);
  const page = await context.newPage();
  return { context, page, errors: collectPageErrors(page) };
}

/** Saves a screenshot of the page as test-artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name.replace(/[^a-z0-9._-]+/gi, "-")}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Runs one step of a browser test; when it fails, a screenshot named after the step is saved before the error
 * goes on, so a red CI run shows what the page looked like.
 */
export async function step<T>(page: Page, name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const path = await screenshot(page, `FAILED-${name}`).catch(() => null);
    if (err instanceof Error && path) err.message += `\n(screenshot: ${path})`;
    throw err;
  }
}

/** Collects the page's console errors and uncaught exceptions: a dashboard test fails on any of them. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  return errors;
}

/** Signs in through the dashboard's sign-in page (as a person does) and waits for the robots overview. */
export async function signInThroughPage(page: Page, username: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByLabel("User name").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor({ state: "detached" });
}
