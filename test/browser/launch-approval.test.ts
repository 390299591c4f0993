// Launch approval (maker-checker) in the console, against the real API, Temporal and PostgreSQL: a
// campaign above the deployment's threshold shows "awaiting approval" on its page and in the list; its
// author sees Approve / Reject disabled with why; another marketer approves through the dialog (with a
// note) and the page shows who approved; a rejection needs its reason. Screenshots in both languages go
// to test-artifacts/console/launch-approval-*.png.
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { createApp } from '../../api/app';
import { headerAuthenticator } from '../../api/auth/authenticator';
import { createLogger } from '../../infra/logger';
import { createTestContext, eventually, type TestContext } from '../support/context';
import { campaignRequest, seedChannels, seedMaterial } from '../support/fixtures';
import { launchChromium, screenshot, screenshotBothLanguages, signedInPage } from './support/browser';
import { serve } from './support/serve';
import { stopBrowserTest } from './support/teardown';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let server: Server;
let baseUrl: string;
let browser: Browser;
const started: string[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp({
    db: ctx.db,
    temporal: ctx.temporal,
    log: createLogger('test', 'error'),
    authenticate: headerAuthenticator,
    launchApproval: { aboveMinor: 100_000, currency: 'CNY' },
  });
  ({ server, baseUrl } = await serve(app));
  browser = await launchChromium();
});

afterAll(() => stopBrowserTest({ browser, server, ctx, campaignIds: started }));

/** A campaign by li.wei with a ¥5,000.00 budget (above the ¥1,000.00 threshold), awaiting approval. */
async function awaitingCampaign(): Promise<string> {
  const channels = await seedChannels(ctx.db, 1, { feeMinor: 0 });
  const { material } = await seedMaterial(ctx.db);
  const res = await request(app)
    .post('/campaigns')
    .set({ 'X-Actor': 'li.wei', 'X-Role': 'marketer' })
    .send(
      campaignRequest(
        channels.map((c) => c.code),
        material.id,
        { acquisitionBudgetMinor: 500_000 },
      ),
    );
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  started.push(id);
  await eventually(
    async () => (await ctx.db.campaign.findUnique({ where: { id } }))?.status === 'awaiting_approval',
  );
  return id;
}

it('the author sees the campaign awaiting approval, with Approve / Reject disabled and why', async () => {
  const id = await awaitingCampaign();
  const { page, context, errors } = await signedInPage(browser, 'li.wei', 'marketer');
  await page.goto(`${baseUrl}/console/#/campaigns/${id}`);
  const section = page.locator('#launch-approval');
  await section.locator('#approve-launch').waitFor();
  expect(await page.locator('#campaign-phase').textContent()).toContain('待上线审批');
  expect(await section.locator('#launch-approval-state').textContent()).toContain('待上线审批');
  expect(await section.locator('#launch-approval-text').textContent()).toContain('¥5,000.00');
  expect(await page.locator('#approve-launch').isDisabled()).toBe(true);
  expect(await page.locator('#reject-launch').isDisabled()).toBe(true);
  expect(await page.locator('#launch-approval-hint').textContent()).toContain('您（li.wei）是本活动的创建人');
  await screenshotBothLanguages(page, 'launch-approval-author', '#launch-approval-hint:not([hidden])');

  // The list shows the state, and its filter offers it.
  await page.goto(`${baseUrl}/console/#/`);
  const row = page.locator(`tr[data-campaign-id="${id}"]`);
  await row.waitFor();
  expect(await row.locator('.badge').textContent()).toBe('待上线审批');
  expect(await page.locator('#status-filter option[value="awaiting_approval"]').textContent()).toBe(
    '待上线审批',
  );
  await screenshot(page, 'launch-approval-list-zh');
  expect(errors).toEqual([]);
  await context.close();
});

it('another marketer approves through the dialog; the page then shows who approved, and it publishes', async () => {
  const id = await awaitingCampaign();
  const { page, context, errors } = await signedInPage(browser, 'wang.checker', 'marketer');
  await page.goto(`${baseUrl}/console/#/campaigns/${id}`);
  await page.locator('#approve-launch:not([disabled])').waitFor();
  expect(await page.locator('#launch-approval-hint').isHidden()).toBe(true);
  await screenshotBothLanguages(page, 'launch-approval-checker', '#approve-launch:not([disabled])');

  // A rejection without a reason is not sent.
  await page.locator('#reject-launch').click();
  const reject = page.locator('dialog#confirm-reject-launch');
  await reject.waitFor();
  await reject.locator('[data-role="confirm"]').click();
  await reject.locator('.dialog-error:not([hidden])').waitFor();
  expect(await reject.locator('.dialog-error').textContent()).toContain('请填写驳回原因');
  await reject.locator('[data-role="dismiss"]').click();

  await page.locator('#approve-launch').click();
  const approve = page.locator('dialog#confirm-approve-launch');
  await approve.waitFor();
  await approve.locator('textarea').fill('预算已与财务确认');
  await approve.locator('[data-role="confirm"]').click();
  await approve.waitFor({ state: 'detached' });
  await page.locator('#launch-approval-state', { hasText: 'wang.checker' }).waitFor();
  expect(await page.locator('#launch-approval-note').textContent()).toContain('预算已与财务确认');
  await page.locator('#campaign-phase', { hasText: '获客中' }).waitFor({ timeout: 20_000 });
  expect(await page.locator('#approve-launch').isVisible()).toBe(false);
  const row = await ctx.db.campaign.findUniqueOrThrow({ where: { id } });
  expect(row).toMatchObject({ approvalState: 'approved', approvalBy: 'wang.checker' });
  await screenshotBothLanguages(page, 'launch-approval-approved', '#launch-approval-note:not([hidden])');
  expect(errors).toEqual([]);
  await context.close();
});

it("the builder's check says that the budget will need another person's approval", async () => {
  const channels = await seedChannels(ctx.db, 1, { feeMinor: 0 });
  const { material } = await seedMaterial(ctx.db);
  const shanghaiLocal = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);
  const { page, context, errors } = await signedInPage(browser, 'li.wei', 'marketer');
  await page.goto(`${baseUrl}/console/#/campaigns/new`);
  await page.locator('#campaign-builder').waitFor();
  await page.locator('#campaign-name').fill('春季开户（大额）');
  await page.locator(`#pick-${channels[0]!.code}`).check();
  await page.locator('#material').selectOption(material.id);
  const now = Date.now();
  await page.locator('#window-start').fill(shanghaiLocal(now + 3_600_000));
  await page.locator('#window-end').fill(shanghaiLocal(now + 7 * 86_400_000));
  await page.locator('#budget').fill('5000');
  await page.locator('#check-draft').click();
  await page.locator('#draft-approval').waitFor();
  expect(await page.locator('#draft-approval').textContent()).toContain('¥1,000.00');
  await screenshotBothLanguages(page, 'launch-approval-builder', '#draft-approval');
  expect(errors).toEqual([]);
  await context.close();
});
