// The API reference at /docs in headless Chromium: Swagger UI renders every operation of /openapi.json
// under the page's self-only Content-Security-Policy (a violation is a console error, caught below),
// and "Try it out" calls this API and shows its answer.
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { createTestContext, type TestContext } from '../support/context';
import { launchChromium, openConsolePage, screenshot, type ConsolePage } from './support/browser';
import { serve } from './support/serve';
import { stopBrowserTest } from './support/teardown';

let ctx: TestContext;
let server: Server;
let baseUrl: string;
let browser: Browser;
let opened: ConsolePage;
const outside: string[] = [];

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  ({ server, baseUrl } = await serve(ctx.app));
  browser = await launchChromium();
  opened = await openConsolePage(browser);
  opened.page.on('request', (r) => {
    if (!r.url().startsWith(baseUrl) && !r.url().startsWith('data:')) outside.push(r.url());
  });
});

afterAll(async () => {
  await opened?.context.close();
  await stopBrowserTest({ browser, server, ctx });
});

describe('GET /docs in a browser', () => {
  it('renders every documented operation', async () => {
    const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.values(document.paths).reduce((n, p) => n + Object.keys(p).length, 0);
    const { page } = opened;
    await page.goto(`${baseUrl}/docs`);
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBe(operations);
    expect(await page.locator('.info .title').textContent()).toContain('Campaign orchestrator API');
    await screenshot(page, 'api-docs');
  });

  it('tries GET /healthz out and shows its answer', async () => {
    const { page } = opened;
    const block = page.locator('#operations-System-liveness');
    await block.locator('.opblock-summary').click();
    await block.locator('button.try-out__btn').click();
    await block.locator('button.execute').click();
    await block.locator('.live-responses-table .response-col_status', { hasText: '200' }).waitFor();
    await screenshot(page, 'api-docs-try-it');
  });

  it('ran without a script error, a policy violation or a request to another origin', () => {
    expect(opened.errors).toEqual([]);
    expect(outside).toEqual([]);
  });
});
