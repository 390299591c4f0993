// The console in headless Chromium against the real API, worker, Temporal and PostgreSQL: a campaign is
// created, fed registrations and events and evaluated THROUGH THE API; the browser then has to show the
// funnel and the per-channel AAC / CAC / LROI with the numbers those facts imply, switch languages, keep
// dialogs keyboard-safe, and pause the campaign with a click. Screenshots go to test-artifacts/console/.
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { createTestContext, eventually, type TestContext } from '../support/context';
import { campaignRequest, seedChannels, seedMaterial, uniq } from '../support/fixtures';
import { callJson, type Json } from './support/api';
import { launchChromium, openConsolePage, pageForBlock, screenshot } from './support/browser';
import { serve } from './support/serve';
import { stopBrowserTest } from './support/teardown';

const FEE_MINOR = 10_000; // each channel's fixed fee per placement (acquisition cost)
const PER_REGISTRATION_MINOR = 500; // incentive per valid registration (acquisition cost)
const PER_ACTIVATION_MINOR = 2_000; // reward per activation (new-customer-period cost)

let ctx: TestContext;
let server: Server;
let baseUrl: string;
let browser: Browser;
let campaignId: string;
let campaignName: string;
let channelCodes: [string, string];
let expected: {
  funnel: Record<string, number>;
  channels: { code: string; cac: bigint[]; aac: bigint[]; lroi: bigint[] }[];
};

const api = (method: string, path: string, body?: unknown, actor = 'marketer-li'): Promise<Json> =>
  callJson(baseUrl, method, path, body, { 'X-Actor': actor });

/** numerator ÷ denominator in minor units → "¥30.00"; the test's numbers are chosen to divide exactly. */
function yuan([numerator, denominator]: bigint[]): string {
  const fen = numerator! / denominator!;
  expect(fen * denominator!).toBe(numerator);
  return `¥${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
}

/** numerator ÷ denominator as a ratio with 2 decimals (exact here): "1.50". */
function ratio([numerator, denominator]: bigint[]): string {
  const hundredths = (numerator! * 100n) / denominator!;
  expect((hundredths * denominator!) / 100n).toBe(numerator);
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`;
}

beforeAll(async () => {
  ctx = await createTestContext();
  ({ server, baseUrl } = await serve(ctx.app));

  const channels = await seedChannels(ctx.db, 2, { feeMinor: FEE_MINOR });
  channelCodes = [channels[0]!.code, channels[1]!.code];
  const { material } = await seedMaterial(ctx.db);
  const now = Date.now();
  const created = await api(
    'POST',
    '/campaigns',
    campaignRequest(channelCodes, material.id, {
      registrationWindow: {
        start: new Date(now - 60_000).toISOString(),
        end: new Date(now + 30 * 60_000).toISOString(),
      },
      newCustomerPeriod: 'PT2H',
      cohortGranularity: 'PT1H',
      incentive: { perRegistrationMinor: PER_REGISTRATION_MINOR, perActivationMinor: PER_ACTIVATION_MINOR },
      controlGroupShare: 0.5,
      activationRule: { event: 'deposit', minAmountMinor: 10_000, atLeast: 1 },
    }),
  );
  campaignId = created.id as string;
  campaignName = created.name as string;
  // Placement fees are booked as each channel is published; acquisition opens after that.
  await eventually(async () => {
    const c = await api('GET', `/campaigns/${campaignId}`);
    const state = (c.workflow as Json).state as Json | null;
    return state?.phase === 'acquiring' && (state.placements as Json).verified === 2;
  });

  // Registrations: four valid on the first channel, two on the second, and one duplicate contact on the
  // first (flagged: excluded from the funnel's valid count and from the evaluation).
  const registeredAt = new Date(Date.now() - 5_000).toISOString();
  const reg = (channel: number, contactHash = uniq('contact')) => ({
    customerRef: uniq('cust'),
    channelCode: channelCodes[channel],
    registeredAt,
    contactHash,
  });
  const first = [reg(0), reg(0), reg(0), reg(0)];
  const second = [reg(1), reg(1)];
  const duplicate = reg(0, first[0]!.contactHash);
  const registered = await api('POST', `/campaigns/${campaignId}/registrations`, {
    items: [...first, ...second, duplicate],
  });
  expect(registered.summary).toMatchObject({ accepted: 6, flagged: 1 });
  const items = registered.items as { status: string; arm: string; flagReason?: string }[];
  expect(items[6]).toMatchObject({ status: 'flagged', flagReason: 'duplicate_customer' });
  const armOf = (i: number) => items[i]!.arm;

  // Events: a deposit activates (rule: one deposit ≥ ¥100) and earns the bank revenue in the period.
  const activations = [
    { index: 0, customer: first[0]!, revenueMinor: 3_000 },
    { index: 1, customer: first[1]!, revenueMinor: 3_000 },
    { index: 4, customer: second[0]!, revenueMinor: 1_000 },
  ];
  const events = await api('POST', `/campaigns/${campaignId}/events`, {
    items: activations.map((a) => ({
      eventId: uniq('evt'),
      customerRef: a.customer.customerRef,
      type: 'deposit',
      amountMinor: 20_000,
      revenueMinor: a.revenueMinor,
      currency: 'CNY',
      occurredAt: new Date().toISOString(),
    })),
  });
  expect(events.summary).toMatchObject({ accepted: 3 });

  const valid = [0, 1, 2, 3, 4, 5];
  const activatedIdx = activations.map((a) => a.index);
  const inArm = (arm: string, list: number[]) => list.filter((i) => armOf(i) === arm).length;
  expected = {
    funnel: {
      'registrations.total': 7,
      'registrations.valid': 6,
      'registrations.flagged': 1,
      activated: 3,
      inPeriod: 3,
      'treatment.registrations': inArm('treatment', valid),
      'treatment.activated': inArm('treatment', activatedIdx),
      'control.registrations': inArm('control', valid),
      'control.activated': inArm('control', activatedIdx),
    },
    // Per channel: acquisition = placement fee + incentive × valid registrations;
    // CAC = acquisition ÷ valid, AAC = acquisition ÷ activated, LROI = revenue ÷ (reward × activated).
    channels: [
      { code: channelCodes[0], valid: 4, activated: 2, revenue: 6_000 },
      { code: channelCodes[1], valid: 2, activated: 1, revenue: 1_000 },
    ].map((c) => {
      const acquisition = BigInt(FEE_MINOR + PER_REGISTRATION_MINOR * c.valid);
      return {
        code: c.code,
        cac: [acquisition, BigInt(c.valid)],
        aac: [acquisition, BigInt(c.activated)],
        lroi: [BigInt(c.revenue), BigInt(PER_ACTIVATION_MINOR * c.activated)],
      };
    }),
  };

  // The first channel reports what its placement was shown and clicked (a fixed-fee channel: no cost).
  const placements = (await api('GET', `/campaigns/${campaignId}/placements`)).rows as Json[];
  const placementId = placements.find((row) => row.channelCode === channelCodes[0])!.placementId;
  const delivered = await api('POST', `/campaigns/${campaignId}/delivery-reports`, {
    reportId: 'day-1',
    channelCode: channelCodes[0],
    placementId,
    periodStart: new Date(Date.now() - 3_600_000).toISOString(),
    periodEnd: new Date(Date.now() - 60_000).toISOString(),
    impressions: 12_345,
    registrationsStarted: 10,
    clicks: 321,
  });
  expect(delivered).toMatchObject({ status: 'accepted', costMinor: 0 });

  const evaluation = await api('POST', `/campaigns/${campaignId}/evaluation`, {});
  expect(evaluation.provisional).toBe(true);

  browser = await launchChromium();
});

afterAll(() => stopBrowserTest({ browser, server, ctx }));

const barValue = (page: Page, chart: string, key: string) =>
  page.locator(`#${chart} g.bar[data-key="${key}"] .bar-value`).textContent();

describe('the console, served by the API', () => {
  it('redirects /console to /console/ and serves the page with a strict content security policy', async () => {
    const redirect = await fetch(`${baseUrl}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/console/');
    const page = await fetch(`${baseUrl}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('js/main.js');
  });
});

describe('the console in Chromium', () => {
  const opened = pageForBlock(() => openConsolePage(browser));

  it('lists the campaign with its status and links to its page', async () => {
    const { page } = opened;
    await page.goto(`${baseUrl}/console/`);
    const row = page.locator(`tr[data-campaign-id="${campaignId}"]`);
    await row.waitFor();
    expect(await row.locator('th').textContent()).toBe(campaignName);
    expect(await row.locator('.badge').textContent()).toBe('获客中');
    await page.locator('[data-testid="last-updated"]', { hasText: '最后更新' }).waitFor();
    await screenshot(page, 'campaign-list');

    await row.locator('a').click();
    await page.waitForURL(`**/console/#/campaigns/${campaignId}`);
    await page.locator('#page-title', { hasText: campaignName }).waitFor();
  });

  it('draws the funnel with the numbers of the registrations and events ingested', async () => {
    const { page } = opened;
    await page.locator('#funnel-chart g.bar').first().waitFor();
    for (const [key, value] of Object.entries(expected.funnel)) {
      const chart = /^(treatment|control)\./.test(key) ? 'arms-chart' : 'funnel-chart';
      expect({ key, shown: await barValue(page, chart, key) }).toEqual({ key, shown: String(value) });
    }
    // Each bar has an accessible name with its label and value.
    const valid = page.locator('#funnel-chart g.bar[data-key="registrations.valid"]');
    expect(await valid.getAttribute('aria-label')).toBe('有效注册: 6');
    expect(await valid.locator('title').textContent()).toBe('有效注册: 6');
    expect(await page.locator('#flag-reasons').textContent()).toContain('重复客户 1');
  });

  it('shows impressions, clicks, click-through and sign-ups started per channel beside the registrations they brought', async () => {
    const { page } = opened;
    const cells = async (code: string) =>
      page.locator(`#delivery-table tr[data-channel="${code}"] td`).allTextContents();
    await page.locator('#delivery-table').waitFor();
    expect(await page.locator('#delivery-table caption').textContent()).toBe(
      '各渠道曝光、点击与注册（渠道报送）',
    );
    // 321 ÷ 12,345 = 2.6002% → 2.60%; 10 sign-ups started, four valid registrations completed (the flagged
    // one is not counted): 40.00%; two activated.
    expect(await cells(channelCodes[0])).toEqual(['12,345', '321', '2.60%', '10', '4', '40.00%', '2']);
    // The second channel reported nothing: no figures rather than zeros, and the dash says why.
    expect(await cells(channelCodes[1])).toEqual(['—', '—', '—', '—', '2', '—', '1']);
    const started = page.locator(`#delivery-table tr[data-channel="${channelCodes[1]}"] td`).nth(3);
    expect(await started.getAttribute('title')).toBe('渠道未报送');
  });

  it('draws per-channel AAC, CAC and LROI from the provisional evaluation', async () => {
    const { page } = opened;
    await page.locator('#aac-chart g.bar').first().waitFor();
    for (const c of expected.channels) {
      expect(await barValue(page, 'aac-chart', c.code)).toBe(yuan(c.aac));
      expect(await barValue(page, 'cac-chart', c.code)).toBe(yuan(c.cac));
      expect(await barValue(page, 'lroi-chart', c.code)).toBe(ratio(c.lroi));
      const aac = page.locator(`#aac-chart g.bar[data-key="${c.code}"]`);
      expect(await aac.getAttribute('aria-label')).toBe(`${c.code}: ${yuan(c.aac)}`);
    }
    // The bars are drawn to scale: the first channel's AAC (¥60) is shorter than the second's (¥110).
    const widths = await Promise.all(
      expected.channels.map((c) =>
        page.locator(`#aac-chart g.bar[data-key="${c.code}"] rect.bar-fill`).getAttribute('width'),
      ),
    );
    expect(Number(widths[0])).toBeLessThan(Number(widths[1]));
    expect(await page.locator('#evaluation-meta').textContent()).toContain('临时');

    // The data table adds click-through from the evaluation: 321 ÷ 12,345 for the channel that
    // reported, and the reason for the one that did not; overall the same as the only reporter.
    await page.locator('#evaluation-table summary').click();
    const clickThrough = await page
      .locator('#evaluation-table td[data-column="clickThrough"]')
      .allTextContents();
    expect(clickThrough).toEqual(['2.60%', '无值（渠道未报送）', '2.60%']);
  });

  it('shows the placement matrix and the timeline (the workflow history until /timeline exists)', async () => {
    const { page } = opened;
    const rows = page.locator('#placement-matrix tbody tr');
    expect(await rows.count()).toBe(2);
    for (const code of channelCodes) {
      const row = page.locator(`#placement-matrix tr[data-channel="${code}"]`);
      expect(await row.getAttribute('data-status')).toBe('verified');
      expect(await row.locator('.badge').textContent()).toBe('已核验');
    }
    expect(await page.locator('#timeline-table tbody tr').count()).toBeGreaterThan(0);
    // The timeline speaks the domain's words, in the console's language (sections/timeline-words.js).
    const timelineText = await page.locator('#timeline-table').textContent();
    expect(timelineText).toMatch(/已发布到Test channel/);
    expect(timelineText).not.toMatch(/publishPlacement|enter phase|record cohort/);
    await screenshot(page, 'campaign-detail');
  });

  it('switches between Chinese and English, and remembers the choice', async () => {
    const { page } = opened;
    expect(await page.locator('#funnel-title').textContent()).toBe('转化漏斗');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.locator('#lang-toggle').click();
    expect(await page.locator('#funnel-title').textContent()).toBe('Funnel');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(
      await page.locator('#funnel-chart g.bar[data-key="registrations.valid"] .bar-label').textContent(),
    ).toBe('Valid registrations');
    expect(await page.locator('#action-pause').textContent()).toBe('Pause');

    await page.reload();
    await page.locator('#funnel-chart g.bar').first().waitFor();
    expect(await page.locator('#funnel-title').textContent()).toBe('Funnel');
    await screenshot(page, 'campaign-detail-en');

    await page.locator('#lang-toggle').click();
    expect(await page.locator('#funnel-title').textContent()).toBe('转化漏斗');
    expect(await page.locator('#action-pause').textContent()).toBe('暂停');
  });

  it('keeps the keyboard inside a dialog and closes it with Escape, doing nothing', async () => {
    const { page } = opened;
    await page.locator('#action-cancel').focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('dialog#confirm-cancel');
    await dialog.waitFor();
    // Focus starts on "back"; Tab moves through the reason and confirm, and wraps back inside.
    const focused = () =>
      page.evaluate<string | null>("document.activeElement?.closest('dialog')?.id ?? null");
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect(await focused()).toBe('confirm-cancel');
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('action-cancel');
    const campaign = await api('GET', `/campaigns/${campaignId}`);
    expect(((campaign.workflow as Json).state as Json).cancelled).toBeNull();
  });

  it('pauses the campaign with a click and a confirmation, as the user named in the header', async () => {
    const { page } = opened;
    await page.locator('#actor').fill('ops-wang');
    await page.locator('#action-pause').click();
    const dialog = page.locator('dialog#confirm-pause');
    await dialog.waitFor();
    await dialog.locator('textarea').fill('渠道素材复核');
    await screenshot(page, 'pause-dialog');
    await dialog.locator('button[data-role="confirm"]').click();
    await dialog.waitFor({ state: 'detached' });

    const campaign = await api('GET', `/campaigns/${campaignId}`);
    expect(((campaign.workflow as Json).state as Json).paused).toBe(true);
    const audit = await ctx.db.auditLog.findFirst({ where: { campaignId, action: 'campaign.pause' } });
    expect(audit).toMatchObject({ actor: 'ops-wang', payload: { reason: '渠道素材复核' } });

    // The page shows it: a paused badge, "resume" enabled, "pause" not.
    await page.locator('#paused-badge').waitFor();
    expect(await page.locator('#action-pause').isDisabled()).toBe(true);
    expect(await page.locator('#action-resume').isEnabled()).toBe(true);
  });

  it('shows progress on its own: a registration that arrives appears without a reload', async () => {
    const { page } = opened;
    const before = await page.locator('[data-testid="last-updated"]').textContent();
    await api('POST', `/campaigns/${campaignId}/registrations`, {
      customerRef: uniq('cust'),
      channelCode: channelCodes[1],
      registeredAt: new Date().toISOString(),
    });
    // The page re-renders every 5 s while the workflow runs: the locator is queried afresh each time.
    await page
      .locator('#funnel-chart g.bar[data-key="registrations.total"] .bar-value', { hasText: /^8$/ })
      .waitFor({ timeout: 20_000 });
    expect(await barValue(page, 'funnel-chart', 'registrations.valid')).toBe('7');
    expect(await page.locator('[data-testid="last-updated"]').textContent()).not.toBe(before);
  });

  it('ran without a script error or a content-security-policy violation', () => {
    expect(opened.errors).toEqual([]);
  });
});
