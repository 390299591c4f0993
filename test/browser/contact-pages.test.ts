// The contact-policy and customer pages of the console in headless Chromium against the real API and
// PostgreSQL (a database of the file's own: the contact policy is deployment-wide). A marketer sees the
// unrestricted policy, saves a contradictory one (the API's refusal is shown, nothing is stored), then a
// valid one (version 1, its caps in words); ops opens a customer, sees their journey and a message the
// quiet hours withheld, opts them out of all marketing; a marketer cannot read the customer.
// Screenshots in both languages go to test-artifacts/console/contact-*.png.
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { createCohortStepActivities } from '../../activities/cohort-steps';
import { createTestContext, type TestContext } from '../support/context';
import { createOwnDatabase, type OwnDatabase } from '../support/own-database';
import { postRegistrations, registration, seedCampaign } from '../integration/funnel/fixtures';
import { launchChromium, screenshotBothLanguages, signedInPage } from './support/browser';
import { serve } from './support/serve';
import { stopBrowserTest } from './support/teardown';

let own: OwnDatabase;
let ctx: TestContext;
let server: Server;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  own = await createOwnDatabase();
  ctx = await createTestContext({ worker: false, databaseUrl: own.url });
  ({ server, baseUrl } = await serve(ctx.app));
  browser = await launchChromium();
});

afterAll(async () => {
  await stopBrowserTest({ browser, server, ctx });
  await own?.drop();
});

const signedIn = (actor: string, role: string) => signedInPage(browser, actor, role);

const shootBoth = (page: Page, name: string, ready: string) =>
  screenshotBothLanguages(page, `contact-${name}`, ready);

const POLICY = {
  timeZone: 'Asia/Shanghai',
  frequencyCaps: [
    { scope: 'overall', max: 2, per: 'P7D' },
    { scope: 'per_channel', max: 1, per: 'P1D' },
  ],
  exemptKinds: ['education'],
  quietHours: { start: '21:00', end: '08:00' },
  priorities: { default: 0, campaigns: [] },
};

it('a marketer edits the contact policy: a contradiction is refused and nothing stored, then version 1', async () => {
  const { page, context, errors } = await signedIn('li.wei', 'marketer');
  await page.goto(`${baseUrl}/console/#/contact-policy`);
  await page.locator('#policy-json').waitFor();
  expect(await page.locator('#policy-current').textContent()).toContain('0');

  const contradictory = {
    ...POLICY,
    frequencyCaps: [...POLICY.frequencyCaps, { scope: 'per_channel', max: 5, per: 'P1D' }],
  };
  await page.locator('#policy-json').fill(JSON.stringify(contradictory, null, 2));
  await page.locator('#save-policy').click();
  const problem = page.locator('#policy-form .field-error, #policy-form .form-problem:not([hidden])');
  await problem.first().waitFor();
  expect(await page.locator('#policy-form').textContent()).toContain('frequencyCaps.2.max');
  expect(await ctx.db.contactPolicyVersion.count()).toBe(0);

  await page.locator('#policy-json').fill(JSON.stringify(POLICY, null, 2));
  await page.locator('#save-policy').click();
  await page.locator('#policy-versions li').first().waitFor();
  expect(await ctx.db.contactPolicyVersion.count()).toBe(1);
  expect(await page.locator('#policy-facts').textContent()).toContain('21:00–08:00');
  await shootBoth(page, 'policy', '#policy-facts');
  // The refused save is the one failed request the browser logs.
  expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
  await context.close();
});

it('ops opens a customer: journey, a withheld message, opt-out; a marketer cannot read the person', async () => {
  const campaign = await seedCampaign(ctx.db, {
    steps: ({ channelCodes, materialVersionId }) => [
      {
        id: 'night-nudge',
        offset: 'PT1M',
        kind: 'engagement',
        materialVersionId,
        channelCode: channelCodes[0]!,
        audience: 'treatment_all',
        costPerMessageMinor: 5,
      },
    ],
  });
  const ref = `cust-browser-${Date.now()}`;
  const item = registration(campaign, {
    customerRef: ref,
    channelCode: campaign.channels[1]!.code,
    attributes: { age: 31, cityTier: 'tier2' },
  });
  expect((await postRegistrations(ctx.app, campaign.id, { items: [item] })).status).toBe(200);
  const reg = await ctx.db.registration.findFirstOrThrow({ where: { campaignId: campaign.id } });
  // 23:00 in Shanghai: the policy's quiet hours withhold the step's message.
  const night = { now: () => new Date(new Date().toISOString().slice(0, 10) + 'T15:00:00Z') };
  const { runCohortStep } = createCohortStepActivities({
    db: ctx.db,
    clock: night,
    simulatorUrl: ctx.simulatorUrl,
  });
  const result = await runCohortStep({
    campaignId: campaign.id,
    cohortKey: reg.cohortKey,
    stepId: 'night-nudge',
  });
  expect(result.withheld.quiet_hours).toBe(1);

  const ops = await signedIn('zhao.ops', 'ops');
  await ops.page.goto(`${baseUrl}/console/#/customers/${encodeURIComponent(ref)}`);
  await ops.page.locator('#customer-withheld').waitFor();
  expect(await ops.page.locator('#customer-withheld').textContent()).toContain('免打扰时段');
  await ops.page.locator('#opt-out-all').click();
  await ops.page.locator('#opt-in-all').waitFor();
  const consent = await ctx.db.consentRecord.findFirstOrThrow({ where: { customerRef: ref } });
  expect(consent).toMatchObject({ scope: 'all', decision: 'opt_out', actor: 'zhao.ops', source: 'bank' });
  await shootBoth(ops.page, 'customer', '#customer-journey');
  expect(ops.errors).toEqual([]);
  await ops.context.close();

  const marketer = await signedIn('li.wei', 'marketer');
  await marketer.page.goto(`${baseUrl}/console/#/customers/${encodeURIComponent(ref)}`);
  await marketer.page.locator('#customer-body .error').waitFor();
  expect(await marketer.page.locator('#customer-journey').count()).toBe(0);
  await marketer.context.close();
});
