// The campaign page's adjustments section in headless Chromium against the real API, worker, Temporal and
// PostgreSQL: a registration flagged by the anti-fraud systems shows with what was clawed back, a cost
// correction booked through the form shows in the history (in both languages), and the evaluation table
// shows the fraud rate per channel. Screenshots go to test-artifacts/console/.
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { createTestContext, eventually, type TestContext } from '../support/context';
import { createCampaign } from '../support/campaigns';
import { uniq } from '../support/fixtures';
import path from 'node:path';
import { callJson, type Json } from './support/api';
import { ARTIFACTS, launchChromium, openConsolePage, pageForBlock, screenshot } from './support/browser';
import { serve } from './support/serve';
import { stopBrowserTest } from './support/teardown';

let ctx: TestContext;
let server: Server;
let baseUrl: string;
let browser: Browser;
let campaignId: string;
let flagged: string;
let placementId: string;

const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  callJson(baseUrl, method, path, body, { 'X-Actor': 'marketer-li', ...headers });

beforeAll(async () => {
  ctx = await createTestContext();
  ({ server, baseUrl } = await serve(ctx.app));

  const now = Date.now();
  const created = await createCampaign(ctx, {
    channels: 2,
    feeMinor: 10_000,
    actor: 'marketer-li',
    plan: {
      registrationWindow: {
        start: new Date(now - 60_000).toISOString(),
        end: new Date(now + 30 * 60_000).toISOString(),
      },
      newCustomerPeriod: 'PT2H',
      cohortGranularity: 'PT1H',
      incentive: { perRegistrationMinor: 500, perActivationMinor: 2_000 },
      activationRule: { event: 'deposit', minAmountMinor: 10_000, atLeast: 1 },
    },
  });
  const { channels } = created;
  const codes = channels.map((c) => c.code);
  campaignId = created.id;
  await eventually(async () => {
    const c = await api('GET', `/campaigns/${campaignId}`);
    const state = (c.workflow as Json).state as Json | null;
    return state?.phase === 'acquiring' && (state.placements as Json).verified === 2;
  });
  const registeredAt = new Date(Date.now() - 5_000).toISOString();
  const items = [0, 0, 0, 0, 1, 1].map((channel) => ({
    customerRef: uniq('cust'),
    channelCode: codes[channel],
    registeredAt,
  }));
  await api('POST', `/campaigns/${campaignId}/registrations`, { items });
  flagged = items[0]!.customerRef;
  await api(
    'POST',
    `/campaigns/${campaignId}/registrations/${flagged}/flags`,
    { reason: 'device_farm', note: 'case AF-2026-0311' },
    { 'X-Role': 'anti-fraud', 'X-Actor': 'kyc-screening' },
  );
  const placement = await ctx.db.placement.findFirstOrThrow({
    where: { campaignId, channelId: channels[0]!.id },
  });
  placementId = placement.id;
  browser = await launchChromium();
});

afterAll(() => stopBrowserTest({ browser, server, ctx }));

describe('the adjustments section of the campaign page', () => {
  const opened = pageForBlock(() => openConsolePage(browser));

  it('shows the fraud flag with what was clawed back, and the fraud rate in the evaluation table', async () => {
    const { page } = opened;
    await page.goto(`${baseUrl}/console/#/campaigns/${campaignId}`);
    const flagRow = page.locator('#fraud-flag-table tbody tr');
    await flagRow.first().waitFor();
    expect(await flagRow.count()).toBe(1);
    const cells = await flagRow.locator('td').allTextContents();
    expect(cells[0]).toBe(flagged);
    expect(cells[2]).toContain('设备农场');
    expect(cells[2]).toContain('case AF-2026-0311');
    expect(cells[3]).toBe('-¥5.00'); // the incentive, reversed (a fixed-fee channel charges nothing per registration)
    expect(cells[5]).toBe('kyc-screening');
    expect(await page.locator('#no-cost-corrections').textContent()).toBe('暂无成本更正。');
    // The evaluation that followed the flag: channel 0 had 4 registrations, 1 flagged → 25%.
    await page.locator('#evaluation-table summary').click();
    const fraudRates = await page.locator('#evaluation-table td[data-column="fraudRate"]').allTextContents();
    expect(fraudRates).toEqual(expect.arrayContaining(['25.00%', '0.00%']));
  });

  it('books a downward cost correction through the form and lists it', async () => {
    const { page } = opened;
    await page.locator('#correction-details summary').click();
    await page.locator('#correction-type').selectOption('placement_fee');
    await page.locator('#correction-placement').fill(placementId);
    await page.locator('#correction-amount').fill('-25.00');
    await page.locator('#correction-reason').fill('渠道发票折扣');
    await page.locator('#correction-submit').click();
    const row = page.locator('#cost-correction-table tbody tr');
    await row.first().waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toContain('投放固定费用');
    expect(cells[0]).toContain(`fee:${placementId}`);
    expect(cells[2]).toBe('-¥25.00');
    expect(cells[3]).toBe('渠道发票折扣');
    const stored = await ctx.db.costCorrection.findMany({ where: { campaignId } });
    expect(stored.map((c) => c.amountMinor)).toEqual([-2_500n]);
    await page.locator('#adjustments').scrollIntoViewIfNeeded();
    await screenshot(page, 'campaign-adjustments-zh');
    await page
      .locator('#adjustments')
      .screenshot({ path: path.join(ARTIFACTS, 'adjustments-section-zh.png') });
  });

  it('names the refused field beside its input', async () => {
    const { page } = opened;
    await page.locator('#correction-amount').fill('-999.00');
    await page.locator('#correction-reason').fill('too much');
    await page.locator('#correction-submit').click();
    const error = page.locator('#correction-form .field-error');
    await error.first().waitFor();
    expect(await error.first().textContent()).toMatch(/at most 7500/);
    expect(await ctx.db.costCorrection.count({ where: { campaignId } })).toBe(1);
    await screenshot(page, 'campaign-adjustments-refused-zh');
  });

  it('reads the same in English', async () => {
    const { page } = opened;
    await page.locator('#lang-toggle').click();
    expect(await page.locator('#adjustments-title').textContent()).toBe(
      'Adjustments: fraud clawbacks and cost corrections',
    );
    const cells = await page.locator('#fraud-flag-table tbody tr td').allTextContents();
    expect(cells[2]).toContain('Device farm');
    expect(await page.locator('#cost-correction-table tbody tr td').first().textContent()).toContain(
      'Placement fee',
    );
    await page.locator('#adjustments').scrollIntoViewIfNeeded();
    await screenshot(page, 'campaign-adjustments-en');
    await page
      .locator('#adjustments')
      .screenshot({ path: path.join(ARTIFACTS, 'adjustments-section-en.png') });
    await page.locator('#lang-toggle').click();
  });

  it('ran without a script error', () => {
    expect(opened.errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
  });
});
