// A campaign whose evaluation failed, in the console (issue 14, build 2): the campaign page names the
// phase `evaluation_failed` and the workflow's reason in both languages; an operator (ops key) sees a
// "re-run evaluation" button that calls POST /campaigns/:id/rerun-evaluation and shows what it gave; a
// marketer sees why they cannot; the campaign list's status filter offers the phase. The failure is made
// the way extreme-facts.test.ts makes it: a fact written behind the API's back that no sum can carry.
// Screenshots go to test-artifacts/console/evaluation-failed-*.png.
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { createTestContext, eventually, type TestContext } from '../support/context';
import { createCampaign } from '../support/campaigns';
import { uniq } from '../support/fixtures';
import { launchChromium, openConsolePage, screenshot, type ConsolePage } from './support/browser';
import { issueKey, serveWithApiKeys, signInWithKey } from './support/api-keys';
import { stopBrowserTest } from './support/teardown';

let ctx: TestContext;
let server: Server;
let baseUrl: string;
let browser: Browser;
let campaignId: string;
const badEntryId = `revenue:bad-${uniq('entry')}`;
const run = uniq('run');
const keys = { ops: '', marketer: '' };

beforeAll(async () => {
  ctx = await createTestContext();
  ({ server, baseUrl } = await serveWithApiKeys(ctx));
  keys.ops = await issueKey(ctx, `wang.ops-${run}`, 'ops');
  keys.marketer = await issueKey(ctx, `li.wei-${run}`, 'marketer');

  const now = Date.now();
  const created = await createCampaign(ctx, {
    feeMinor: 0,
    actor: 'marketer',
    plan: {
      registrationWindow: {
        start: new Date(now - 1000).toISOString(),
        end: new Date(now + 3000).toISOString(),
      },
      newCustomerPeriod: 'PT2S',
      cohortGranularity: 'PT5S',
    },
  });
  const { channels } = created;
  campaignId = created.id;
  await eventually(
    async () => (await ctx.db.campaign.findUnique({ where: { id: campaignId } }))?.status === 'acquiring',
  );
  await ctx.db.ledgerEntry.create({
    data: {
      id: badEntryId,
      campaignId,
      kind: 'revenue',
      scope: 'period',
      category: 'revenue',
      channelId: channels[0]!.id,
      amountMinor: 2n ** 60n,
      currency: 'CNY',
      occurredAt: new Date(),
    },
  });
  await eventually(
    async () =>
      (await ctx.db.campaign.findUnique({ where: { id: campaignId } }))?.status === 'evaluation_failed',
    60_000,
  );
  browser = await launchChromium();
});

afterAll(() => stopBrowserTest({ browser, server, ctx, campaignIds: [campaignId] }));

const signIn = (page: Page, key: string, name: string) => signInWithKey(page, baseUrl, key, name);

/**
 * 401/403 of the header's own session probing are not script errors; nor is the funnel's 500 while the
 * unsummable fact is in place (it is no fact the API would accept: see `serverErrors`).
 */
const scriptErrors = (errors: string[]) =>
  errors.filter(
    (e) => !/Failed to load resource: the server responded with a status of (40[01]|500)/.test(e),
  );

/** The paths of every 5xx the page received. */
function serverErrors(page: Page): string[] {
  const paths: string[] = [];
  page.on('response', (res) => {
    if (res.status() >= 500) paths.push(new URL(res.url()).pathname);
  });
  return paths;
}

describe('a campaign whose evaluation failed', () => {
  let marketer: ConsolePage;
  let ops: ConsolePage;
  let marketerServerErrors: string[] = [];
  afterAll(async () => {
    await marketer?.context.close();
    await ops?.context.close();
  });

  it('the list offers the phase in its status filter and shows it on the row', async () => {
    marketer = await openConsolePage(browser);
    marketerServerErrors = serverErrors(marketer.page);
    await signIn(marketer.page, keys.marketer, `li.wei-${run}`);
    const page = marketer.page;
    expect(await page.locator('#status-filter option[value="evaluation_failed"]').textContent()).toBe(
      '评估失败',
    );
    await page.locator('#status-filter').selectOption('evaluation_failed');
    const row = page.locator(`tr[data-campaign-id="${campaignId}"]`);
    await row.waitFor();
    expect(await row.locator('.badge').textContent()).toBe('评估失败');
    await screenshot(page, 'evaluation-failed-list-zh');
  });

  it('shows the phase and the reason to a marketer, without the re-run button', async () => {
    const page = marketer.page;
    await page.goto(`${baseUrl}/console/#/campaigns/${campaignId}`);
    const section = page.locator('#evaluation-failure');
    await section.waitFor();
    expect(await page.locator('#campaign-phase').textContent()).toContain('评估失败');
    expect(await section.locator('h2').textContent()).toBe('评估失败');
    expect(await page.locator('#evaluation-failure-reason').textContent()).toMatch(
      /^原因：evaluation failed: /,
    );
    expect(await page.locator('#rerun-evaluation').count()).toBe(0);
    expect(await section.textContent()).toContain('只有运营人员（ops）或管理员可以重新运行评估');
    await screenshot(page, 'evaluation-failed-marketer-zh');
    expect(scriptErrors(marketer.errors)).toEqual([]);
    expect([...new Set(marketerServerErrors)]).toEqual([`/campaigns/${campaignId}/funnel`]);
  });

  it('gives an operator the re-run, in both languages, and shows its result', async () => {
    ops = await openConsolePage(browser);
    const opsServerErrors = serverErrors(ops.page);
    await signIn(ops.page, keys.ops, `wang.ops-${run}`);
    const page = ops.page;
    await page.goto(`${baseUrl}/console/#/campaigns/${campaignId}`);
    await page.locator('#rerun-evaluation').waitFor();
    expect(await page.locator('#rerun-evaluation').textContent()).toBe('重新运行评估');
    await screenshot(page, 'evaluation-failed-ops-zh');

    await page.locator('#lang-toggle').click();
    await page.locator('#rerun-evaluation', { hasText: 'Re-run evaluation' }).waitFor();
    expect(await page.locator('#campaign-phase').textContent()).toContain('evaluation failed');
    expect(await page.locator('#evaluation-failure h2').textContent()).toBe('Evaluation failed');
    expect(await page.locator('#evaluation-failure-reason').textContent()).toMatch(
      /^Reason: evaluation failed: /,
    );
    await screenshot(page, 'evaluation-failed-ops-en');

    // The correction, then the re-run through the button and its confirmation.
    await ctx.db.ledgerEntry.delete({ where: { id: badEntryId } });
    const funnelErrorsBefore = opsServerErrors.length;
    await page.locator('#rerun-evaluation').click();
    const dialog = page.locator('dialog#confirm-rerun-evaluation');
    await dialog.waitFor();
    expect(await dialog.locator('h2').textContent()).toBe('Re-run the evaluation?');
    await dialog.locator('textarea').fill('bad revenue fact removed');
    await dialog.locator('[data-role="confirm"]').click();
    await page
      .locator('#rerun-result', { hasText: 'The evaluation ran again: the campaign is now "completed".' })
      .waitFor({
        timeout: 60_000,
      });
    // The phase moved on: the failure text and the button are gone, the result stays.
    await page.locator('#campaign-phase', { hasText: 'completed' }).waitFor();
    expect(await page.locator('#rerun-evaluation').count()).toBe(0);
    expect(await page.locator('#evaluation-failure-reason').isHidden()).toBe(true);
    expect(await page.locator('#evaluation-failure h2').textContent()).toBe('Evaluation re-run');
    // The timeline names the phase and the audit entry in words, not by their keys.
    await page.locator('#timeline', { hasText: 'Evaluation failed: waiting for an operator' }).waitFor();
    expect(await page.locator('#timeline').textContent()).not.toMatch(/tl_phase_|audit_campaign/);
    await screenshot(page, 'evaluation-failed-rerun-done-en');

    await page.locator('#lang-toggle').click();
    await page.locator('#rerun-result', { hasText: '重新评估已完成：活动状态为“已完成”。' }).waitFor();
    await screenshot(page, 'evaluation-failed-rerun-done-zh');
    expect(scriptErrors(ops.errors)).toEqual([]);
    expect([...new Set(opsServerErrors)]).toEqual([`/campaigns/${campaignId}/funnel`]);
    // After the correction, the funnel answers again.
    expect(opsServerErrors.length).toBeLessThanOrEqual(funnelErrorsBefore + 1);

    const audit = await ctx.db.auditLog.findMany({
      where: { campaignId, action: 'campaign.rerun-evaluation' },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe(`wang.ops-${run}`);
    expect(audit[0]!.payload).toMatchObject({ reason: 'bad revenue fact removed' });
  });
});
