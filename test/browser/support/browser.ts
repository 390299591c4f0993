// Headless Chromium for the browser tests: Debian's `chromium` package driven by playwright-core (no
// browser download: the machines have no internet), flags that keep it from calling home, a laptop-sized
// viewport, and a record of every script error so a test can assert the page ran cleanly.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(__dirname, '..', '..', '..', 'test-artifacts', 'console');

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors (a CSP violation is one) seen so far. */
  errors: string[];
}

/** A fresh context (empty localStorage) at 1366×768, the laptop screen the console is designed for. */
export async function openConsolePage(browser: Browser): Promise<ConsolePage> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    timezoneId: 'Asia/Shanghai',
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // A 404 that the console expects (no evaluation yet, no timeline endpoint) is logged by Chromium as
    // a failed resource; it is not a script error.
    if (msg.type() === 'error' && !/status of 404/.test(msg.text())) errors.push(`console: ${msg.text()}`);
  });
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** A console page signed in as `actor` with `role` (the test authenticator reads X-Actor / X-Role). */
export async function signedInPage(browser: Browser, actor: string, role: string): Promise<ConsolePage> {
  const opened = await openConsolePage(browser);
  await opened.context.setExtraHTTPHeaders({ 'X-Role': role });
  await opened.context.addInitScript(`localStorage.setItem('console.actor', ${JSON.stringify(actor)});`);
  return opened;
}

/** Screenshots the page as `<name>-zh` and `<name>-en` once `ready` shows, then switches back to Chinese. */
export async function screenshotBothLanguages(page: Page, name: string, ready: string): Promise<void> {
  await page.locator(ready).first().waitFor();
  await screenshot(page, `${name}-zh`);
  await page.locator('#lang-toggle').click();
  await page.locator('html[lang="en"]').waitFor();
  await page.locator(ready).first().waitFor();
  await screenshot(page, `${name}-en`);
  await page.locator('#lang-toggle').click();
  await page.locator('html[lang="zh-CN"]').waitFor();
}

/**
 * One console page for the tests of a describe block: opened before them, closed after them. The object
 * is filled in by the time the tests run; read `.page` and `.errors` inside them, not at declaration.
 */
export function pageForBlock(open: () => Promise<ConsolePage>): ConsolePage {
  const opened = {} as ConsolePage;
  beforeAll(async () => {
    Object.assign(opened, await open());
  });
  afterAll(() => opened.context?.close());
  return opened;
}
