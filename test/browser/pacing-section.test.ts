// The campaign page's pacing section in headless Chromium against the real API, worker, Temporal and
// PostgreSQL: an adaptive campaign whose first channel's registrations activate at once gets more budget
// at a review (through the API); the page must then chart each channel's cap review by review, list the
// current caps with their spend and the adjustments with their reasons, in both languages, and freeze
// pacing with a click. Screenshots go to test-artifacts/console/ (pacing-zh.png, pacing-en.png).
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { createTestContext, eventually, type TestContext } from '../support/context';
import { createCampaign } from '../support/campaigns';
import { uniq } from '../support/fixtures';
import { launchChromium, openConsolePage, pageForBlock, screenshot } from './support/browser';
import { serve } from './support/serve';
import { stopBrowserTest } from './support/teardown';

let ctx: TestContext;
let server: Server;
let baseUrl: string;
let browser: Browser;
let campaignId: string;
let codes: string[];

beforeAll(async () => {
  ctx = await createTestContext();
  ({ server, baseUrl } = await serve(ctx.app));
  const now = Date.now();
  const created = await createCampaign(ctx, {
    channels: 2,
    feeMinor: 0,
    actor: 'marketer-li',
    plan: {
      registrationWindow: {
        start: new Date(now - 1000).toISOString(),
        end: new Date(now + 10 * 60_000).toISOString(),
      },
      cohortGranularity: 'PT1M',
      acquisitionBudgetMinor: 100_000,
      incentive: { perRegistrationMinor: 500, perActivationMinor: 0 },
      pacing: { mode: 'adaptive', floorShare: 0.1, reviewEvery: 'PT5S', earlyActivationWithin: 'PT1S' },
    },
  });
  codes = created.channels.map((c) => c.code);
  campaignId = created.id;
  await eventually(async () => {
    const c = await request(ctx.app).get(`/campaigns/${campaignId}`);
    return c.body.workflow?.state?.phase === 'acquiring';
  });
  const register = async (code: string, n: number) => {
    const items = Array.from({ length: n }, () => ({
      customerRef: uniq('cust'),
      channelCode: code,
      registeredAt: new Date().toISOString(),
    }));
    await request(ctx.app).post(`/campaigns/${campaignId}/registrations`).send({ items });
    return items.map((i) => i.customerRef);
  };
  const good = await register(codes[0]!, 20);
  const poor = await register(codes[1]!, 20);
  await request(ctx.app)
    .post(`/campaigns/${campaignId}/events`)
    .send({
      items: [...good.slice(0, 16), poor[0]!].map((customerRef) => ({
        eventId: uniq('ev'),
        customerRef,
        type: 'transaction',
        amountMinor: 20_000,
        currency: 'CNY',
        occurredAt: new Date().toISOString(),
      })),
    });
  // A review that favours the first channel has been recorded.
  await eventually(async () => {
    const p = (await request(ctx.app).get(`/campaigns/${campaignId}/pacing`)).body;
    const [a, b] = p.channels as { capMinor: number }[];
    return a!.capMinor > b!.capMinor;
  }, 60_000);
  browser = await launchChromium();
}, 120_000);

afterAll(() => stopBrowserTest({ browser, server, ctx, campaignIds: [campaignId] }));

describe('the pacing section in Chromium', () => {
  const opened = pageForBlock(() => openConsolePage(browser));

  it('charts the caps per channel, lists caps, spend and reasons, in Chinese and English', async () => {
    const { page } = opened;
    await page.goto(`${baseUrl}/console/#/campaigns/${campaignId}`);
    await page.locator('#pacing-title', { hasText: '渠道预算与节奏调控' }).waitFor();
    await page.locator('#pacing-chart[data-ready="true"]').waitFor();
    expect(await page.locator('#pacing-summary').textContent()).toContain('自适应');
    const rows = page.locator('#pacing-channels tbody tr');
    expect(await rows.count()).toBe(2);
    expect(
      await page.locator(`#pacing-channels tr[data-channel="${codes[0]}"] td`).nth(1).textContent(),
    ).toBe('¥100.00');
    // The history shows the review's reasons, the system as the actor, and the initial caps (review 0).
    const history = await page.locator('#pacing-history').textContent();
    expect(history).toContain('系统（节奏调控）');
    expect(history).toMatch(
      /at least \d+(\.\d)? (days?|hours?|minutes?|seconds?) old activated within that time/,
    );
    expect(history).toContain('marketer-li');
    await page.locator('#pacing').scrollIntoViewIfNeeded();
    await screenshot(page, 'pacing-zh');

    await page.locator('#lang-toggle').click();
    await page.locator('#pacing-title', { hasText: 'Channel budgets and pacing' }).waitFor();
    await page.locator('#pacing-chart[data-ready="true"]').waitFor();
    expect(await page.locator('#pacing-summary').textContent()).toContain('Adaptive');
    await screenshot(page, 'pacing-en');
    expect(opened.errors).toEqual([]);
  });

  it('freezes pacing with a click: the section then says so, and the API agrees', async () => {
    const { page } = opened;
    await page.locator('#pacing-freeze').click();
    const dialog = page.locator('dialog#confirm-pacing-freeze');
    await dialog.waitFor();
    await dialog.locator('textarea').fill('channel audit');
    await dialog.locator('button[data-role="confirm"]').click();
    await page.locator('#pacing-frozen', { hasText: 'channel audit' }).waitFor();
    await page.locator('#pacing-unfreeze').waitFor();
    const p = (await request(ctx.app).get(`/campaigns/${campaignId}/pacing`)).body;
    expect(p.frozen).toBe(true);
    await screenshot(page, 'pacing-frozen-en');
  });
});
