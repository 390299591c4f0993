// The operations views on real Temporal + PostgreSQL: a campaign is created, publishes to its channels
// and is cancelled; its timeline shows the publish and withdrawal steps per channel with their times,
// the cancel with its actor (from the workflow's history and from the audit log), the cohorts with
// their own steps and the pending timer; /ops/campaigns shows the workflow status from visibility; the
// audit log pages newest first.
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { createTestContext, eventually, type TestContext } from '../../support/context';
import { campaignRequest, seedChannels, seedMaterial, storedPlan } from '../../support/fixtures';
import { campaignWorkflowId, cohortWorkflowId } from '../../../workflows/ids';

let ctx: TestContext;
let channelCodes: string[];
let materialId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  channelCodes = (await seedChannels(ctx.db, 2)).map((c) => c.code);
  materialId = (await seedMaterial(ctx.db)).material.id;
});
afterAll(() => ctx.stop());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, read field by field
type Json = Record<string, any>;

const get = (path: string) => request(ctx.app).get(path).set('X-Role', 'ops').set('X-Actor', 'ops-wang');

async function visibleWorkflow(id: string, until: (workflow: Json) => boolean): Promise<Json> {
  return eventually(async () => {
    const res = await get('/ops/campaigns?limit=200');
    expect(res.status).toBe(200);
    const item = (res.body.items as Json[]).find((c) => c.id === id);
    return item && until(item.workflow) ? item : null;
  }, 20_000);
}

describe('a campaign published, then cancelled', () => {
  let id: string;
  let windowEnd: string;
  let createdAt: number;

  beforeAll(async () => {
    const body = campaignRequest(channelCodes, materialId, { cohortGranularity: 'PT30S' });
    windowEnd = body.plan.registrationWindow.end;
    createdAt = Date.now();
    const created = await request(ctx.app).post('/campaigns').set('X-Actor', 'marketer-li').send(body);
    expect(created.status).toBe(201);
    id = created.body.id;
    await eventually(async () => (await get(`/campaigns/${id}`)).body.workflow?.state?.phase === 'acquiring');
  });

  it('while acquiring: the list shows the running workflow from visibility, the timeline its published channels and the window timer', async () => {
    const listed = await visibleWorkflow(id, (w) => w.status === 'RUNNING' && w.phase === 'acquiring');
    expect(listed.workflow).toMatchObject({
      workflowId: campaignWorkflowId(id),
      runId: expect.any(String),
      closeTime: null,
    });
    expect(listed.plan).toBeUndefined();

    // The acquisition loop waits on a timer until the window's end (verifyEvery is an hour here); it is
    // started just after the phase changes, so wait for it.
    const timeline = await eventually(async () => {
      const res = await get(`/campaigns/${id}/timeline`);
      expect(res.status).toBe(200);
      const timers = res.body.pendingTimers as Json[];
      return timers.some((t) => t.workflowId === campaignWorkflowId(id)) ? (res.body as Json) : null;
    });
    expect(timeline.workflow).toMatchObject({ status: 'running', workflowType: 'campaignWorkflow' });
    const publishes = (timeline.steps as Json[]).filter((s) => s.kind === 'publish');
    expect(publishes.map((s) => s.channelCode).sort()).toEqual([...channelCodes].sort());
    const campaignTimer = (timeline.pendingTimers as Json[]).find(
      (t) => t.workflowId === campaignWorkflowId(id),
    )!;
    expect(Date.parse(campaignTimer.firesAt)).toBeGreaterThan(createdAt);
    expect(Date.parse(campaignTimer.firesAt)).toBeLessThanOrEqual(Date.parse(windowEnd) + 1000);
    // Each cohort sleeps until its new-customer period ends: a pending timer in the cohort's own history.
    const cohortTimers = (timeline.pendingTimers as Json[]).filter((t) => t.workflowId.includes('-cohort-'));
    expect(cohortTimers.length).toBeGreaterThanOrEqual(1);
  });

  it('after the cancel: publish and withdrawal steps per channel, the cancel with its actor, the cohorts', async () => {
    const cancel = await request(ctx.app)
      .post(`/campaigns/${id}/cancel`)
      .set('X-Role', 'ops')
      .set('X-Actor', 'ops-wang')
      .send({ reason: 'wrong audience' });
    expect(cancel.status).toBe(200);
    await ctx.temporal.client.workflow.getHandle(campaignWorkflowId(id)).result();

    const res = await get(`/campaigns/${id}/timeline`);
    expect(res.status).toBe(200);
    const t = res.body as Json;
    const steps = t.steps as Json[];
    expect(t.workflow).toMatchObject({ status: 'completed', closedAt: expect.any(String) });

    for (const kind of ['publish', 'withdraw']) {
      const perChannel = steps.filter((s) => s.kind === kind);
      expect(perChannel.map((s) => s.channelCode).sort()).toEqual([...channelCodes].sort());
      for (const step of perChannel) {
        expect(step).toMatchObject({ status: 'completed', attempts: 1, failures: [] });
        expect(step.label).toBe(`${kind === 'publish' ? 'publish to' : 'withdraw from'} ${step.channelCode}`);
        expect(Date.parse(step.startedAt)).toBeLessThanOrEqual(Date.parse(step.endedAt));
      }
    }
    const lastPublishEnd = Math.max(
      ...steps.filter((s) => s.kind === 'publish').map((s) => Date.parse(s.endedAt)),
    );
    const firstWithdrawStart = Math.min(
      ...steps.filter((s) => s.kind === 'withdraw').map((s) => Date.parse(s.startedAt)),
    );
    expect(firstWithdrawStart).toBeGreaterThan(lastPublishEnd);
    expect(steps.filter((s) => s.kind === 'phase').map((s) => s.phase)).toEqual([
      'launching',
      'acquiring',
      'withdrawing',
      'cancelled',
    ]);

    // The cancel, from the workflow's history and from the audit log.
    expect(t.messages).toContainEqual(
      expect.objectContaining({
        kind: 'update',
        name: 'cancelCampaign',
        actor: 'ops-wang',
        reason: 'wrong audience',
        outcome: 'completed',
      }),
    );
    const actions = t.actions as Json[];
    expect(actions.map((a) => [a.action, a.actor])).toEqual([
      ['campaign.create', 'marketer-li'],
      ['campaign.cancel', 'ops-wang'],
    ]);
    expect(actions[1]).toMatchObject({ reason: 'wrong audience', at: expect.any(String) });

    // Each cohort child workflow, with the steps read from its own history: the cohorts that had begun
    // (a cohort is started when it begins; the later ones never were, and have no child to show).
    const cohorts = steps.filter((s) => s.kind === 'cohort');
    expect(cohorts.length).toBeGreaterThanOrEqual(1);
    const begun = (
      await ctx.temporal.client.workflow.getHandle(campaignWorkflowId(id)).result()
    ).cohorts.filter((c: { status: string }) => c.status === 'cancelled').length;
    expect(begun).toBeGreaterThan(cohorts.length);
    for (const cohort of cohorts) {
      expect(cohort.id).toBe(cohortWorkflowId(id, cohort.cohortKey));
      expect(cohort.status).toBe('cancelled');
      expect(cohort.detail.workflowStatus).toBe('cancelled');
      expect((cohort.steps as Json[]).map((s) => [s.kind, s.detail.status])).toEqual([
        ['cohort_status', 'running'],
        ['cohort_status', 'cancelled'],
      ]);
    }
    expect(t.pendingTimers).toEqual([]);
    expect(t.history).toMatchObject({
      truncated: false,
      cohortHistoriesRead: cohorts.length,
      cohortHistoriesNotRead: 0,
    });
    expect(t.history.eventsRead).toBeGreaterThan(50);
  });

  it('the list shows the closed workflow and its last phase from visibility', async () => {
    const listed = await visibleWorkflow(id, (w) => w.status === 'COMPLETED');
    expect(listed.workflow).toMatchObject({ phase: 'cancelled', closeTime: expect.any(String) });
    expect(listed.status).toBe('cancelled');
  });

  it('the audit log pages newest first', async () => {
    const first = await get(`/campaigns/${id}/audit?limit=1`);
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      expect.objectContaining({ action: 'campaign.cancel', actor: 'ops-wang' }),
    ]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await get(`/campaigns/${id}/audit?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toEqual([
      expect.objectContaining({ action: 'campaign.create', actor: 'marketer-li' }),
    ]);
    expect(second.body.nextCursor).toBeNull();
    const filtered = await get(`/campaigns/${id}/audit?action=campaign.create`);
    expect(filtered.body.items.map((a: Json) => a.action)).toEqual(['campaign.create']);
  });
});

describe('a campaign run to its evaluation', () => {
  it("shows each cohort's education step with what it delivered, the steering updates, and the evaluation", async () => {
    const now = Date.now();
    const { version } = await seedMaterial(ctx.db);
    const steps = [
      {
        id: 'welcome',
        offset: 'PT1S',
        kind: 'education',
        materialVersionId: version.id,
        channelCode: channelCodes[0],
        audience: 'treatment_all',
        costPerMessageMinor: 1,
      },
    ];
    const body = campaignRequest(channelCodes, version.materialId, {
      registrationWindow: {
        start: new Date(now - 1000).toISOString(),
        end: new Date(now + 2000).toISOString(),
      },
      cohortGranularity: 'PT3S',
      newCustomerPeriod: 'PT3S',
      engagementPlan: { steps },
    });
    const created = await request(ctx.app).post('/campaigns').set('X-Actor', 'marketer-li').send(body);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await eventually(async () => (await get(`/campaigns/${id}`)).body.workflow?.state?.phase === 'acquiring');
    const registered = await request(ctx.app)
      .post(`/campaigns/${id}/registrations`)
      .set('X-Role', 'channel-system')
      .set('X-Channels', channelCodes[0]!)
      .send({
        items: [0, 1, 2].map((i) => ({
          customerRef: `tl-${id.slice(0, 8)}-${i}`,
          channelCode: channelCodes[0],
          registeredAt: new Date().toISOString(),
        })),
      });
    expect(registered.status).toBe(200);
    for (const action of ['pause', 'resume']) {
      const res = await request(ctx.app)
        .post(`/campaigns/${id}/${action}`)
        .set('X-Role', 'ops')
        .set('X-Actor', 'ops-wang')
        .send({ reason: `${action} for the test` });
      expect(res.status).toBe(200);
    }
    const result = await ctx.temporal.client.workflow.getHandle(campaignWorkflowId(id)).result();
    expect(result.phase).toBe('completed');

    const t = (await get(`/campaigns/${id}/timeline`)).body as Json;
    const all = t.steps as Json[];
    expect(all.filter((s) => s.kind === 'phase').map((s) => s.phase)).toEqual([
      'launching',
      'acquiring',
      'withdrawing',
      'in_period',
      'evaluating',
      'completed',
    ]);
    const evaluate = all.find((s) => s.kind === 'evaluate');
    expect(evaluate).toMatchObject({
      status: 'completed',
      attempts: 1,
      detail: { reportId: result.evaluationReportId },
    });
    const cohortSteps = all
      .filter((s) => s.kind === 'cohort')
      .flatMap((c) => (c.steps as Json[]).filter((s) => s.kind === 'cohort_step'));
    expect(cohortSteps.length).toBeGreaterThanOrEqual(1);
    for (const step of cohortSteps) {
      expect(step).toMatchObject({
        stepId: 'welcome',
        status: 'completed',
        label: expect.stringMatching(/^run step welcome/),
      });
      expect(Date.parse(step.startedAt)).toBeLessThanOrEqual(Date.parse(step.endedAt));
    }
    const delivered = cohortSteps.reduce((sum, s) => sum + (s.detail.delivered as number), 0);
    const treatment = await ctx.db.registration.count({
      where: { campaignId: id, arm: 'treatment', flagReason: null },
    });
    expect(delivered).toBe(treatment);
    expect(
      (t.messages as Json[]).filter((m) => m.kind === 'update').map((m) => [m.name, m.actor, m.outcome]),
    ).toEqual([
      ['pauseCampaign', 'ops-wang', 'completed'],
      ['resumeCampaign', 'ops-wang', 'completed'],
    ]);
    expect((t.actions as Json[]).map((a) => a.action)).toEqual(
      expect.arrayContaining(['campaign.create', 'campaign.pause', 'campaign.resume']),
    );
    expect(t.pendingTimers).toEqual([]);
  });
});

describe('refusals and campaigns without a workflow', () => {
  it('answers 404 for an unknown campaign and 400 for a malformed id, cursor or filter', async () => {
    for (const path of ['timeline', 'audit']) {
      expect((await get(`/campaigns/${randomUUID()}/${path}`)).status).toBe(404);
      const bad = await get(`/campaigns/not-a-uuid/${path}`);
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('params.id');
    }
    expect((await get('/ops/campaigns?cursor=nonsense')).status).toBe(400);
    const misspelt = await get('/ops/campaigns?statuss=acquiring');
    expect(misspelt.status).toBe(400);
  });

  it('shows a campaign whose workflow has not started as START_PENDING, with its audit trail', async () => {
    const id = randomUUID();
    // Imported, so that no reconciler of another test file starts a workflow for this bare row.
    await ctx.db.campaign.create({
      data: {
        id,
        name: 'not started',
        plan: storedPlan(),
        currency: 'CNY',
        workflowId: campaignWorkflowId(id),
        createdBy: 'marketer-li',
        status: 'created',
        origin: 'imported',
      },
    });
    await ctx.db.auditLog.create({
      data: { campaignId: id, actor: 'marketer-li', action: 'campaign.create', payload: {} },
    });
    const timeline = await get(`/campaigns/${id}/timeline`);
    expect(timeline.status).toBe(200);
    expect(timeline.body).toMatchObject({
      workflow: { status: 'START_PENDING' },
      steps: [],
      actions: [expect.objectContaining({ actor: 'marketer-li' })],
    });
    const listed = await get('/ops/campaigns?status=created&limit=200');
    const item = (listed.body.items as Json[]).find((c) => c.id === id);
    expect(item?.workflow).toMatchObject({ status: 'START_PENDING', runId: null });
    await ctx.db.auditLog.deleteMany({ where: { campaignId: id } });
    await ctx.db.campaign.delete({ where: { id } });
  });
});
