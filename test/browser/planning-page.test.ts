// The planning page (#/planning) in headless Chromium against the real API and PostgreSQL, on the
// imported UCI Bank Marketing history (three contact channels) plus one registered channel with no
// history. A marketer types a budget, picks the channels, caps one, plans: the split the page shows
// (the table's exact amounts) is the API's own answer for the same request, the no-history channel
// says so, the totals carry their intervals; the slider re-plans on release. "Create a campaign from
// this plan" pre-fills the builder, whose request then carries plan.pacing = { mode, channelCaps } with
// the plan's per-channel spend. Screenshots in both languages: test-artifacts/console/planning-*.png.
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { importBankMarketing } from '../../importers/bank-marketing';
import { createTestContext, type TestContext } from '../support/context';
import { seedChannels } from '../support/fixtures';
import { sharedDataFile } from '../support/shared-data';
import { launchChromium, openConsolePage, screenshot, type ConsolePage } from './support/browser';
import { serve } from './support/serve';
import { stopBrowserTest } from './support/teardown';

let ctx: TestContext;
let server: Server;
let baseUrl: string;
let browser: Browser;
let marketer: ConsolePage;
let page: Page;
let freshChannel: string;
const BANK_CHANNELS = ['bank-phone-cellular', 'bank-phone-telephone', 'bank-phone-unknown'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, read field by field
type Json = Record<string, any>;

async function planViaApi(body: unknown): Promise<Json> {
  const res = await fetch(`${baseUrl}/planning/allocations`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Actor': 'api-user',
      'X-Role': 'marketer',
      'Idempotency-Key': `planning-page-${Date.now()}`,
    },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

/** The plan these tests ask the page for: all four channels, cellular capped at €150,000.00. */
const askedPlan = (budgetMinor: number) => ({
  budget: { minor: budgetMinor, currency: 'EUR' },
  objective: { type: 'max_activations' },
  channels: [
    { channelCode: 'bank-phone-cellular', maximumSpend: { minor: 15_000_000, currency: 'EUR' } },
    { channelCode: 'bank-phone-telephone' },
    { channelCode: 'bank-phone-unknown' },
    { channelCode: freshChannel },
  ],
});

/** The split the page shows: channel code → exact minor units (the table's data-minor). */
async function shownSplit(): Promise<Record<string, number>> {
  const rows = page.locator('#plan-table tbody tr');
  const split: Record<string, number> = {};
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    split[(await row.getAttribute('data-channel'))!] = Number(
      await row.locator('td.plan-spend').getAttribute('data-minor'),
    );
  }
  return split;
}

const splitOf = (plan: Json) =>
  Object.fromEntries((plan.channels as Json[]).map((c) => [c.channelCode, c.spend.minor]));

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  await importBankMarketing(ctx.db, sharedDataFile('bank-full.csv'), { unitCostMinor: 500 });
  // The imported phone channels as placements the builder offers (it lists channels that show material).
  await ctx.db.channel.updateMany({
    where: { code: { in: BANK_CHANNELS } },
    data: { canShowMaterial: true },
  });
  freshChannel = (await seedChannels(ctx.db, 1, { prefix: 'fresh' }))[0]!.code;
  ({ server, baseUrl } = await serve(ctx.app));
  browser = await launchChromium();
  marketer = await openConsolePage(browser);
  await marketer.context.setExtraHTTPHeaders({ 'X-Role': 'marketer' });
  await marketer.context.addInitScript(`localStorage.setItem('console.actor', 'li.wei');`);
  page = marketer.page;
}, 600_000);

afterAll(async () => {
  await marketer?.context.close();
  await stopBrowserTest({ browser, server, ctx });
});

describe('planning page', () => {
  it('shows the split the API answers, the no-history channel and the intervals', async () => {
    await page.goto(`${baseUrl}/console/#/planning`);
    await page.locator('#plan-channels').waitFor();
    await page.locator('#plan-currency').selectOption('EUR');
    await page.locator('#plan-budget').fill('250000');
    await page.locator('#plan-budget').dispatchEvent('change');
    for (const code of [...BANK_CHANNELS, freshChannel]) await page.locator(`#plan-channel-${code}`).check();
    await page.locator('#plan-max-bank-phone-cellular').fill('150000');
    await page.locator('#plan-max-bank-phone-cellular').dispatchEvent('change');
    await page.locator('#run-plan').click();
    await page.locator('#plan-table').waitFor();

    const answer = await planViaApi(askedPlan(25_000_000));
    const shown = await shownSplit();
    expect(shown).toEqual(splitOf(answer));
    expect(shown['bank-phone-cellular']).toBe(15_000_000);
    expect(Object.values(shown).reduce((n, v) => n + v, 0) + answer.unallocated.minor).toBe(25_000_000);

    const fresh = page.locator(`#plan-table tr[data-channel="${freshChannel}"]`);
    await expect(fresh.getAttribute('data-bound')).resolves.toBe('exploration_floor');
    expect(await fresh.locator('.badge').textContent()).toBe('无历史');
    const cellular = page.locator('#plan-table tr[data-channel="bank-phone-cellular"]');
    expect(await cellular.locator('.plan-reason').textContent()).toBe(
      (answer.channels as Json[]).find((c) => c.channelCode === 'bank-phone-cellular')!.reason,
    );
    const activations = answer.totals.activations as Json;
    expect(await page.locator('#plan-total-activations').textContent()).toContain(
      `${activations.estimate.toFixed(1)}（95% 区间 ${activations.low.toFixed(1)} – ${activations.high.toFixed(1)}）`,
    );
    await expect(page.locator('#plan-total-aac').textContent()).resolves.toMatch(
      /预期 AAC：€[\d,.]+（95% 区间/,
    );
    await page.locator('#plan-chart[data-ready="true"]').waitFor();
    expect(marketer.errors).toEqual([]);

    await screenshot(page, 'planning-zh');
    await page.locator('#lang-toggle').click();
    await page.locator('html[lang="en"]').waitFor();
    await page.locator('#plan-chart[data-ready="true"]').waitFor();
    expect(await fresh.locator('.badge').textContent()).toBe('no history');
    await screenshot(page, 'planning-en');
    await page.locator('#lang-toggle').click();
    await page.locator('html[lang="zh-CN"]').waitFor();
  });

  it('re-plans when the slider is released, and the split is again the API’s', async () => {
    const slider = page.locator('#plan-budget-slider');
    // fill() on a range input sets its value and fires input and change, as a release of the thumb does.
    await slider.fill('40000000');
    await expect(page.locator('#plan-budget').inputValue()).resolves.toBe('400000.00');
    const answer = await planViaApi(askedPlan(40_000_000));
    const expected = splitOf(answer);
    await page
      .locator(
        `#plan-table tr[data-channel="bank-phone-telephone"] td.plan-spend[data-minor="${expected['bank-phone-telephone']}"]`,
      )
      .waitFor();
    expect(await shownSplit()).toEqual(expected);
  });

  it('with no history on any chosen channel says so, and shows the floors the API answers', async () => {
    // Away and back: a fresh page, nothing chosen.
    await page.goto(`${baseUrl}/console/#/`);
    await page.goto(`${baseUrl}/console/#/planning`);
    await page.locator('#plan-channels').waitFor();
    await page.locator('#plan-currency').selectOption('EUR');
    await page.locator(`#plan-channel-${freshChannel}`).check();
    await page.locator('#run-plan').click();
    await page.locator('#plan-no-history').waitFor();
    const answer = await planViaApi({
      budget: { minor: 10_000_000, currency: 'EUR' },
      objective: { type: 'max_activations' },
      channels: [{ channelCode: freshChannel }],
    });
    expect(await shownSplit()).toEqual(splitOf(answer));
    expect(answer.unallocated.minor).toBe(9_500_000);
    expect(await page.locator('#plan-totals').textContent()).toContain('未分配 €95,000.00');
    await expect(page.locator('#plan-total-activations').count()).resolves.toBe(0);
  });

  it('tells a role that may not plan so, and shows no form', async () => {
    const ops = await openConsolePage(browser);
    try {
      await ops.context.setExtraHTTPHeaders({ 'X-Role': 'ops' });
      await ops.context.addInitScript(`localStorage.setItem('console.actor', 'wang.ops');`);
      await ops.page.goto(`${baseUrl}/console/#/planning`);
      await ops.page.locator('#whoami', { hasText: 'wang.ops' }).waitFor();
      await expect(ops.page.locator('#planning-not-allowed').textContent()).resolves.toContain('无权');
      expect(await ops.page.locator('#planning-form').count()).toBe(0);
    } finally {
      await ops.context.close();
    }
  });

  it('hands the plan to the builder, whose request carries the per-channel caps', async () => {
    // Back to the four-channel plan at €400,000.
    await page.locator('#plan-budget').fill('400000');
    await page.locator('#plan-budget').dispatchEvent('change');
    for (const code of BANK_CHANNELS) await page.locator(`#plan-channel-${code}`).check();
    await page.locator('#plan-max-bank-phone-cellular').fill('150000');
    await page.locator('#plan-max-bank-phone-cellular').dispatchEvent('change');
    await page.locator('#run-plan').click();
    await page.locator('#plan-table tr[data-channel="bank-phone-cellular"]').waitFor();
    const planned = await shownSplit();
    await page.locator('#use-plan-in-builder').click();
    await page.waitForURL('**/#/campaigns/new?fromPlan=1');
    await page.locator('#pacing-caps').waitFor();
    const caps = Object.fromEntries(Object.entries(planned).filter(([, minor]) => minor > 0));
    const shownCaps = await page
      .locator('#pacing-caps tr')
      .evaluateAll((rows) =>
        rows.map((r) => [r.getAttribute('data-channel'), Number(r.querySelector('td')!.dataset.minor)]),
      );
    expect(Object.fromEntries(shownCaps)).toEqual(caps);
    expect(await page.locator('#budget').inputValue()).toBe('400000.00');
    await expect(page.locator('#use-plan').isChecked()).resolves.toBe(true);
    await page.locator('#pacing-mode').selectOption('adaptive');
    await screenshot(page, 'planning-builder-zh');

    const sent = page.waitForRequest((r) => r.url().endsWith('/campaigns/validate') && r.method() === 'POST');
    await page.locator('#check-draft').click();
    const body = (await sent).postDataJSON() as Json;
    expect(body.plan.pacing).toEqual({ mode: 'adaptive', channelCaps: caps });
    expect(body.plan.currency).toBe('EUR');
    expect(body.plan.acquisitionBudgetMinor).toBe(40_000_000);
    expect([...body.channels].sort()).toEqual(Object.keys(caps).sort());

    await page.locator('#lang-toggle').click();
    await page.locator('html[lang="en"]').waitFor();
    await page.locator('#pacing-caps').waitFor();
    await screenshot(page, 'planning-builder-en');
    await page.locator('#lang-toggle').click();
    await page.locator('html[lang="zh-CN"]').waitFor();

    // Unticked, the request carries no caps.
    await page.locator('#use-plan').uncheck();
    const again = page.waitForRequest(
      (r) => r.url().endsWith('/campaigns/validate') && r.method() === 'POST',
    );
    await page.locator('#check-draft').click();
    expect(((await again).postDataJSON() as Json).plan.pacing).toBeUndefined();
  });
});
