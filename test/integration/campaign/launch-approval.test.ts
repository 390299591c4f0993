// Launch approval (maker-checker, issue 12 item 6) on real Temporal, PostgreSQL and the simulator: a
// campaign whose acquisition budget is above the deployment's threshold waits in awaiting_approval with
// nothing published and registrations refused; its author cannot approve; another person's approval
// publishes it and is recorded with its actor; a rejection ends it `rejected` with nothing published;
// a window that ends while waiting expires it. Below the threshold a campaign publishes at once.
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../../api/app';
import { headerAuthenticator } from '../../../api/auth/authenticator';
import { problemTypeUri } from '../../../api/problem-types';
import { createLogger } from '../../../infra/logger';
import { campaignWorkflowId } from '../../../workflows/ids';
import { campaignStateQuery, type CampaignState } from '../../../workflows/messages';
import { createTestContext, eventually, type TestContext } from '../../support/context';
import { campaignRequest, seedChannels, seedMaterial, uniq } from '../../support/fixtures';
import { maybeRecordHistory } from '../../support/record-history';
import { simulatorClient } from '../../support/simulator';

const THRESHOLD = 100_000; // ¥1,000.00

let ctx: TestContext;
let app: Express;
beforeAll(async () => {
  ctx = await createTestContext();
  // The same servers as every test, with the deployment's threshold set (LAUNCH_APPROVAL_ABOVE_MINOR).
  app = createApp({
    db: ctx.db,
    temporal: ctx.temporal,
    log: createLogger('test', 'error'),
    authenticate: headerAuthenticator,
    launchApproval: { aboveMinor: THRESHOLD, currency: 'CNY' },
  });
});
afterAll(() => ctx.stop());

const sim = () => simulatorClient(ctx.simulatorUrl);
const handle = (id: string) => ctx.temporal.client.workflow.getHandle(campaignWorkflowId(id));
const phaseOf = async (id: string) => (await handle(id).query(campaignStateQuery)).phase;
const as = (actor: string, role = 'marketer') => ({ 'X-Actor': actor, 'X-Role': role });

async function create(budgetMinor: number, plan: Record<string, unknown> = {}) {
  const [channel] = await seedChannels(ctx.db, 1, { feeMinor: 0 });
  const { material } = await seedMaterial(ctx.db);
  const res = await request(app)
    .post('/campaigns')
    .set(as('maker-li'))
    .send(campaignRequest([channel!.code], material.id, { acquisitionBudgetMinor: budgetMinor, ...plan }));
  expect(res.status).toBe(201);
  return { id: res.body.id as string, code: channel!.code, created: res.body };
}

const register = (id: string, code: string) =>
  request(app)
    .post(`/campaigns/${id}/registrations`)
    .set(as('channel', 'admin'))
    .send({
      items: [{ customerRef: uniq('cust'), channelCode: code, registeredAt: new Date().toISOString() }],
    });

const auditOf = (campaignId: string, action: string) =>
  ctx.db.auditLog.findMany({ where: { campaignId, action } });

/** Positive signal that a campaign waits: its query says so; only then is "nothing published" meaningful. */
async function awaitingApproval(id: string, code: string) {
  await eventually(async () => (await phaseOf(id)) === 'awaiting_approval');
  expect(await sim().placements(code)).toEqual([]);
  expect((await sim().stats(code)).publishesAccepted).toBe(0);
}

it('the dry run says before launch whether the budget will need approval', async () => {
  const [channel] = await seedChannels(ctx.db, 1, { feeMinor: 0 });
  const { material } = await seedMaterial(ctx.db);
  const check = (budget: number | null) =>
    request(app)
      .post('/campaigns/validate')
      .set(as('maker-li'))
      .send(campaignRequest([channel!.code], material.id, { acquisitionBudgetMinor: budget }));
  const threshold = { amountMinor: THRESHOLD, currency: 'CNY' };
  expect((await check(THRESHOLD)).body.approval).toEqual({ required: false, threshold });
  expect((await check(THRESHOLD + 1)).body.approval).toEqual({ required: true, threshold });
  expect((await check(null)).body.approval).toEqual({ required: true, threshold });
});

it('a budget at or below the threshold publishes at once and cannot be approved', async () => {
  const { id, code, created } = await create(THRESHOLD);
  expect(created.approval).toEqual({
    required: false,
    threshold: { amountMinor: THRESHOLD, currency: 'CNY' },
    state: 'not_required',
    by: null,
    at: null,
    note: null,
  });
  await eventually(async () => (await phaseOf(id)) === 'acquiring');
  expect((await sim().placements(code)).map((p) => p.status)).toEqual(['live']);
  const res = await request(app).post(`/campaigns/${id}/approval`).set(as('checker-wang')).send({});
  expect(res.status).toBe(409);
  expect(res.body.reason).toBe('ApprovalNotRequired');
  expect(await auditOf(id, 'campaign.approve-launch')).toHaveLength(0);
  await handle(id).terminate('test done');
});

it('above the threshold it waits unpublished; the author is refused; another person approves and it publishes', async () => {
  const { id, code, created } = await create(THRESHOLD + 1);
  expect(created.approval).toMatchObject({ required: true, state: 'pending' });
  await awaitingApproval(id, code);

  // Nothing is published, so nobody can have come through it: registrations are refused, with why.
  const early = await register(id, code);
  expect(early.body.items[0].status).toBe('rejected');
  expect(JSON.stringify(early.body.items[0].errors)).toContain('campaign_awaiting_approval');

  // The author may not approve (403 of its own type), ops may not either (the policy); nothing recorded.
  const byAuthor = await request(app).post(`/campaigns/${id}/approval`).set(as('maker-li')).send({});
  expect(byAuthor.status).toBe(403);
  expect(byAuthor.body.type).toBe(problemTypeUri('approval-by-author'));
  const byOps = await request(app).post(`/campaigns/${id}/approval`).set(as('ops-zhou', 'ops')).send({});
  expect(byOps.status).toBe(403);
  expect(byOps.body.type).toBe(problemTypeUri('forbidden'));
  expect(await auditOf(id, 'campaign.approve-launch')).toHaveLength(0);
  expect(await phaseOf(id)).toBe('awaiting_approval');

  const approved = await request(app)
    .post(`/campaigns/${id}/approval`)
    .set(as('checker-wang'))
    .set('Idempotency-Key', `approve-${id}`)
    .send({ note: 'budget agreed with finance' });
  expect(approved.status).toBe(200);
  expect(approved.body.state.approval).toMatchObject({ state: 'approved', by: 'checker-wang' });

  await eventually(async () => (await phaseOf(id)) === 'acquiring');
  expect((await sim().placements(code)).map((p) => p.status)).toEqual(['live']);
  const detail = await request(app).get(`/campaigns/${id}`).set(as('maker-li'));
  expect(detail.body.approval).toMatchObject({
    required: true,
    threshold: { amountMinor: THRESHOLD, currency: 'CNY' },
    state: 'approved',
    by: 'checker-wang',
    note: 'budget agreed with finance',
  });
  expect(Date.parse(detail.body.approval.at)).toBeGreaterThan(0);
  const audit = await auditOf(id, 'campaign.approve-launch');
  expect(audit).toEqual([
    expect.objectContaining({
      actor: 'checker-wang',
      payload: expect.objectContaining({ note: 'budget agreed with finance' }),
    }),
  ]);
  // The timeline shows the wait and the decision.
  const timeline = await request(app).get(`/campaigns/${id}/timeline`).set(as('maker-li'));
  const labels = timeline.body.steps.map((s: { label: string }) => s.label);
  expect(labels).toEqual(
    expect.arrayContaining(['enter phase awaiting_approval', 'record launch approved by checker-wang']),
  );
  expect(timeline.body.actions).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ action: 'campaign.approve-launch', actor: 'checker-wang' }),
    ]),
  );

  expect((await register(id, code)).body.items[0].status).toBe('accepted');
  // Decided once: a second approval, or a rejection now, is a 409 naming why.
  const again = await request(app).post(`/campaigns/${id}/approval`).set(as('checker-zhao')).send({});
  expect(again.status).toBe(409);
  expect(again.body.reason).toBe('LaunchAlreadyDecided');
  const late = await request(app)
    .post(`/campaigns/${id}/rejection`)
    .set(as('checker-zhao'))
    .send({ reason: 'x' });
  expect(late.status).toBe(409);
  expect(await auditOf(id, 'campaign.approve-launch')).toHaveLength(1);

  await maybeRecordHistory(ctx.temporal.client, campaignWorkflowId(id), 'campaign-launch-approved');
  await handle(id).terminate('test done');
});

it('a rejection ends the campaign rejected with nothing ever published', async () => {
  const { id, code } = await create(THRESHOLD * 10);
  await awaitingApproval(id, code);
  const noReason = await request(app).post(`/campaigns/${id}/rejection`).set(as('checker-wang')).send({});
  expect(noReason.status).toBe(400);
  expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
  const byAuthor = await request(app)
    .post(`/campaigns/${id}/rejection`)
    .set(as('maker-li'))
    .send({ reason: 'changed my mind' });
  expect(byAuthor.status).toBe(403);

  const rejected = await request(app)
    .post(`/campaigns/${id}/rejection`)
    .set(as('checker-wang'))
    .send({ reason: 'budget not in this quarter' });
  expect(rejected.status).toBe(200);
  const result: CampaignState = await handle(id).result();
  expect(result.phase).toBe('rejected');
  expect(result.acquisitionClosedReason).toBe('launch_rejected');
  expect(result.approval).toMatchObject({
    state: 'rejected',
    by: 'checker-wang',
    note: 'budget not in this quarter',
  });
  expect((await sim().stats(code)).publishesAccepted).toBe(0);
  const row = await ctx.db.campaign.findUniqueOrThrow({ where: { id } });
  expect(row).toMatchObject({ status: 'rejected', approvalState: 'rejected', approvalBy: 'checker-wang' });
  expect(await auditOf(id, 'campaign.reject-launch')).toEqual([
    expect.objectContaining({
      actor: 'checker-wang',
      payload: expect.objectContaining({ reason: 'budget not in this quarter' }),
    }),
  ]);
  const after = await request(app).post(`/campaigns/${id}/approval`).set(as('checker-zhao')).send({});
  expect(after.status).toBe(409);
  expect(after.body.reason).toBe('LaunchAlreadyDecided');
  expect((await register(id, code)).body.items[0].status).toBe('rejected');
  await maybeRecordHistory(ctx.temporal.client, campaignWorkflowId(id), 'campaign-launch-rejected');
});

it('a window that ends while waiting expires the approval: rejected, nothing published', async () => {
  const now = Date.now();
  const { id, code } = await create(THRESHOLD + 1, {
    registrationWindow: {
      start: new Date(now - 1000).toISOString(),
      end: new Date(now + 3000).toISOString(),
    },
  });
  const result: CampaignState = await handle(id).result();
  expect(result.phase).toBe('rejected');
  expect(result.acquisitionClosedReason).toBe('approval_expired');
  expect(result.approval?.state).toBe('expired');
  expect((await sim().stats(code)).publishesAccepted).toBe(0);
  expect((await ctx.db.campaign.findUniqueOrThrow({ where: { id } })).approvalState).toBe('expired');
});
