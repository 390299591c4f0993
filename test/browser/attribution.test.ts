// Attribution in the console, in headless Chromium against the real API, worker, Temporal and PostgreSQL:
// the campaign page states the rule and the pinned windows and counts the unattributed registrations (and
// the evaluation names their row and the rule it used); the builder offers the rule; the channel page shows
// the windows and the channel form edits them. Screenshots (zh and en) go to test-artifacts/console/.
import type { Server } from 'node:http';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { createTestContext, eventually, type TestContext } from '../support/context';
import { campaignRequest, seedChannels, seedMaterial, uniq } from '../support/fixtures';
import { callJson } from './support/api';
import {
  ARTIFACTS,
  launchChromium,
  pageForBlock,
  screenshotBothLanguages,
  signedInPage,
} from './support/browser';
import { serve } from './support/serve';
import { stopBrowserTest } from './support/teardown';

let ctx: TestContext;
let server: Server;
let baseUrl: string;
let browser: Browser;
let campaignId: string;
let codes: string[];

const api = (method: string, url: string, body?: unknown) =>
  callJson(baseUrl, method, url, body, { 'X-Actor': 'marketer-li' });

beforeAll(async () => {
  ctx = await createTestContext();
  ({ server, baseUrl } = await serve(ctx.app));
  const channels = await seedChannels(ctx.db, 2, { feeMinor: 0 });
  codes = channels.map((c) => c.code);
  await ctx.db.channel.update({
    where: { id: channels[1]!.id },
    data: { clickThroughWindow: 'PT12H', viewThroughWindow: 'PT1H' },
  });
  const { material } = await seedMaterial(ctx.db);
  const now = Date.now();
  const created = await api(
    'POST',
    '/campaigns',
    campaignRequest(codes, material.id, {
      registrationWindow: {
        start: new Date(now - 60_000).toISOString(),
        end: new Date(now + 30 * 60_000).toISOString(),
      },
      newCustomerPeriod: 'PT2H',
      cohortGranularity: 'PT1H',
      incentive: { perRegistrationMinor: 500, perActivationMinor: 0 },
      attribution: { rule: 'first_touch' },
    }),
  );
  campaignId = created.id as string;
  await eventually(async () => {
    const c = await api('GET', `/campaigns/${campaignId}`);
    return (c.workflow as { state?: { phase?: string } }).state?.phase === 'acquiring';
  });
  const at = Date.now() - 5_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const item = (touches: object[] | undefined, direct?: boolean) => ({
    customerRef: uniq('cust'),
    channelCode: codes[0],
    registeredAt: iso(at),
    ...(touches ? { touches } : {}),
    ...(direct === undefined ? {} : { direct }),
  });
  await api('POST', `/campaigns/${campaignId}/registrations`, {
    items: [
      item(undefined),
      item([{ kind: 'click', channelCode: codes[1], at: iso(at - 60_000) }]),
      item([{ kind: 'impression', channelCode: codes[1], at: iso(at - 2 * 3_600_000) }]),
      item([{ kind: 'impression', channelCode: codes[1], at: iso(at - 2 * 3_600_000) }]),
      item([], true),
    ],
  });
  await api('POST', `/campaigns/${campaignId}/evaluation`, {});
  browser = await launchChromium();
});

afterAll(() => stopBrowserTest({ browser, server, ctx }));

describe('attribution in the console', () => {
  const opened = pageForBlock(() => signedInPage(browser, 'marketer-li', 'admin'));

  it('shows the rule, the pinned windows and the unattributed count on the campaign page', async () => {
    const { page } = opened;
    await page.goto(`${baseUrl}/console/#/campaigns/${campaignId}`);
    await page.locator('#attribution').waitFor();
    expect(await page.locator('#attribution-rule').textContent()).toBe('归因规则：首次触点');
    expect(await page.locator('#unattributed-count').textContent()).toContain('未归因注册 2 个');
    expect(await page.locator('#attribution-bases').textContent()).toContain(
      '按上报渠道 1 · 点击 1 · 直接访问 1 · 未归因 2',
    );
    const windows = await page
      .locator('#attribution-windows tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    expect(windows).toEqual([
      [codes[0], 'P7D', 'PT24H'],
      [codes[1], 'PT12H', 'PT1H'],
    ]);
    // The evaluation states the rule it used and names the unattributed row.
    expect(await page.locator('#evaluation-attribution').textContent()).toContain('首次触点');
    await page.locator('#evaluation-table summary').click();
    const rowHeads = await page.locator('#evaluation-table tbody th').allTextContents();
    expect(rowHeads).toContain('未归因');
    await page.locator('#attribution').scrollIntoViewIfNeeded();
    await screenshotBothLanguages(page, 'campaign-attribution', '#attribution');
    await page
      .locator('#attribution')
      .screenshot({ path: path.join(ARTIFACTS, 'attribution-section-zh.png') });
    await page.locator('#lang-toggle').click();
    await page.locator('html[lang="en"]').waitFor();
    expect(await page.locator('#attribution-rule').textContent()).toBe('Attribution rule: first touch');
    await page
      .locator('#attribution')
      .screenshot({ path: path.join(ARTIFACTS, 'attribution-section-en.png') });
    await page.locator('#lang-toggle').click();
  });

  it('offers the rule in the campaign builder', async () => {
    const { page } = opened;
    await page.goto(`${baseUrl}/console/#/campaigns/new`);
    const rule = page.locator('#attribution-rule');
    await rule.waitFor();
    expect(await page.locator('#attribution-last_touch').isChecked()).toBe(true);
    await page.locator('#attribution-first_touch').check();
    expect(await page.locator('#attribution-first_touch').isChecked()).toBe(true);
    await rule.scrollIntoViewIfNeeded();
    await rule.screenshot({ path: path.join(ARTIFACTS, 'builder-attribution-zh.png') });
    await page.locator('#lang-toggle').click();
    await page.locator('html[lang="en"]').waitFor();
    await rule.screenshot({ path: path.join(ARTIFACTS, 'builder-attribution-en.png') });
    await page.locator('#lang-toggle').click();
  });

  it('shows and edits the windows of a channel', async () => {
    const { page } = opened;
    await page.goto(`${baseUrl}/console/#/channels/${codes[1]}`);
    await page.locator('#click-through-window').waitFor();
    expect(await page.locator('#click-through-window dd').textContent()).toBe('PT12H');
    expect(await page.locator('#view-through-window dd').textContent()).toBe('PT1H');
    await screenshotBothLanguages(page, 'channel-attribution-windows', '#view-through-window');
    await page.goto(`${baseUrl}/console/#/channels/${codes[1]}/edit`);
    const click = page.locator('input[name="clickThroughWindow"]');
    await eventually(async () => (await click.inputValue()) === 'PT12H');
    await click.fill('P3D');
    await page.locator('#save-channel').click();
    await eventually(
      async () =>
        (await ctx.db.channel.findUniqueOrThrow({ where: { code: codes[1]! } })).clickThroughWindow === 'P3D',
    );
    // The campaign keeps the window pinned at its creation.
    const funnel = await api('GET', `/campaigns/${campaignId}/funnel`);
    expect(
      (funnel.attribution as { windows: { clickThroughWindow: string }[] }).windows[1]!.clickThroughWindow,
    ).toBe('PT12H');
  });

  it('ran without a script error', () => {
    expect(opened.errors).toEqual([]);
  });
});
