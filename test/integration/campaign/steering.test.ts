// The new-customer period under steering, through the real workflows: quiet hours defer a step,
// pause stops sending and resume restarts it, cancel ends everything, the budget cap closes
// acquisition, and a worker restart in the middle of a step delivers no message twice and skips none.
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import request from 'supertest';
import { MAX_CLOCK_SKEW_MS } from '../../../domain/clock-skew';
import { cohortsOfWindow } from '../../../domain/cohort';
import { campaignWorkflowId, cohortWorkflowId } from '../../../workflows/ids';
import { campaignStateQuery, cohortProgressQuery, type CampaignState } from '../../../workflows/messages';
import { createTestContext, eventually, type TestContext } from '../../support/context';
import { campaignRequest, seedChannels, seedMaterial, uniq } from '../../support/fixtures';
import { maybeRecordHistory } from '../../support/record-history';
import { simulatorClient } from '../../support/simulator';

let ctx: TestContext;
let sim: ReturnType<typeof simulatorClient>;

beforeAll(async () => {
  ctx = await createTestContext();
  sim = simulatorClient(ctx.simulatorUrl);
});
afterAll(async () => {
  await sim.clearFaults();
  await ctx.stop();
});

const handle = (id: string) => ctx.temporal.client.workflow.getHandle(campaignWorkflowId(id));
const cohortHandle = (id: string, cohortKey: string) =>
  ctx.temporal.client.workflow.getHandle(cohortWorkflowId(id, cohortKey));

/**
 * What a cohort workflow has done so far, read from its history: the only way it sends is the step
 * activity, so "no activity scheduled" positively proves that nothing was sent, however slow the run.
 */
async function cohortHistory(cohort: WorkflowHandle) {
  const events = (await cohort.fetchHistory()).events ?? [];
  return {
    stepsScheduled: events.filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'runCohortStep',
    ).length,
    timersFired: events.filter((e) => e.timerFiredEventAttributes).length,
    timersMs: events
      .map((e) => e.timerStartedEventAttributes?.startToFireTimeout)
      .filter((d) => d != null)
      .map((d) => Number(d!.seconds ?? 0) * 1000 + Math.round((d!.nanos ?? 0) / 1e6)),
  };
}
const stateOf = async (id: string) => (await request(ctx.app).get(`/campaigns/${id}`)).body.workflow?.state;

async function launch(
  plan: Record<string, unknown>,
  opts: { feeMinor?: number; deliveryBatchSize?: number } = {},
) {
  const channels = await seedChannels(ctx.db, 2, {
    feeMinor: opts.feeMinor ?? 0,
    adapter: { type: 'simulator', deliveryBatchSize: opts.deliveryBatchSize },
  });
  const codes = channels.map((c) => c.code);
  const { material, version } = await seedMaterial(ctx.db);
  const steps = [
    {
      id: 'welcome',
      offset: 'PT1S',
      kind: 'education',
      materialVersionId: version.id,
      channelCode: codes[0],
      audience: 'treatment_all',
      costPerMessageMinor: 1,
    },
  ];
  const body = campaignRequest(codes, material.id, { engagementPlan: { steps }, ...plan });
  const res = await request(ctx.app).post('/campaigns').set('X-Actor', 'marketer').send(body);
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  await eventually(async () => (await stateOf(id))?.phase === 'acquiring');
  return { id, codes };
}

async function register(
  id: string,
  channelCode: string,
  count: number,
  registeredAt = new Date().toISOString(),
) {
  const prefix = uniq('c');
  const items = Array.from({ length: count }, (_, i) => ({
    customerRef: `${prefix}-${i}`,
    channelCode,
    registeredAt,
  }));
  const res = await request(ctx.app).post(`/campaigns/${id}/registrations`).send({ items });
  expect(res.status).toBe(200);
  return res.body.items as {
    index: number;
    status: string;
    arm: string;
    cohortKey: string;
    reason?: string;
    errors?: { reason: string }[];
  }[];
}

const delivered = async (code: string, id: string) =>
  (
    (await sim.messages(code, `?campaignId=${id}&limit=1000`)) as {
      messages: { customerRef: string; stepId: string }[];
    }
  ).messages;

const window = (seconds: number) => {
  const now = Date.now();
  return { start: new Date(now - 1000).toISOString(), end: new Date(now + seconds * 1000).toISOString() };
};

describe('sending hours', () => {
  it('defers a step that falls in quiet hours to the next allowed time, and sends nothing before', async () => {
    // Allowed hours start two hours from now (Shanghai time), so now is quiet.
    const hour = Number(
      new Intl.DateTimeFormat('en-GB', {
        hour: '2-digit',
        hourCycle: 'h23',
        timeZone: 'Asia/Shanghai',
      }).format(new Date()),
    );
    const pad = (h: number) => String(h % 24).padStart(2, '0');
    // (A window long enough to outlast the launch's own setup on a loaded machine: it is computed first.)
    const { id, codes } = await launch({
      registrationWindow: window(15),
      cohortGranularity: 'PT5S',
      sendingHours: { start: `${pad(hour + 2)}:00`, end: `${pad(hour + 3)}:00` },
    });
    const [first] = await register(id, codes[0]!, 3);
    const cohort = ctx.temporal.client.workflow.getHandle(cohortWorkflowId(id, first!.cohortKey));
    const progress = await eventually(async () => {
      const p = await cohort.query(cohortProgressQuery);
      return p.nextStep && Date.parse(p.nextStep.dueAt) > Date.now() + 30 * 60_000 ? p : null;
    });
    const due = new Date(progress.nextStep!.dueAt);
    expect(due.getUTCMinutes()).toBe(0);
    expect(
      Number(
        new Intl.DateTimeFormat('en-GB', {
          hour: '2-digit',
          hourCycle: 'h23',
          timeZone: 'Asia/Shanghai',
        }).format(due),
      ),
    ).toBe((hour + 2) % 24);
    // Absence is asserted only once the step's nominal time (cohort end + its 1 s offset; a sub-day
    // cohort's key is its start) has passed, and the cohort's own history says its only timer runs to
    // the deferred time and no step was scheduled: a slow run cannot pass without testing.
    const nominal = Date.parse(first!.cohortKey) + 5000 + 1000;
    await eventually(async () => Date.now() > nominal + 500, 30_000);
    const seen = await cohortHistory(cohort);
    expect(seen.stepsScheduled).toBe(0);
    expect(seen.timersFired).toBe(0);
    expect(Math.min(...seen.timersMs)).toBeGreaterThan(30 * 60_000);
    expect(await delivered(codes[0]!, id)).toHaveLength(0);
    await handle(id).terminate('test done');
  });
});

describe('pause, resume and cancel', () => {
  it('pause stops sending and resume restarts it', async () => {
    // (A window long enough to outlast the launch's own setup on a loaded machine: it is computed first.)
    const { id, codes } = await launch({ registrationWindow: window(6), cohortGranularity: 'PT3S' });
    const regs = await register(id, codes[0]!, 6);
    expect(regs.every((r) => r.status === 'accepted')).toBe(true);
    const treatment = regs.filter((r) => r.arm === 'treatment').length;
    const paused = await request(ctx.app)
      .post(`/campaigns/${id}/pause`)
      .set('X-Actor', 'ops')
      .send({ reason: 'compliance check' });
    expect(paused.status).toBe(200);
    expect(paused.body.state.paused).toBe(true);
    const cohort = cohortHandle(id, regs[0]!.cohortKey);
    // The positive signal before asserting absence: the cohort says it is paused, the step's due time
    // has passed, and its history shows the due-time timer fired (the workflow is past the point where
    // it would have sent) with no step activity scheduled.
    const progress = await eventually(async () => {
      const p = await cohort.query(cohortProgressQuery);
      return p.status === 'paused' && p.nextStep ? p : null;
    });
    await eventually(async () => {
      if (Date.now() <= Date.parse(progress.nextStep!.dueAt)) return false;
      return (await cohortHistory(cohort)).timersFired >= 1;
    }, 60_000);
    expect((await cohort.query(cohortProgressQuery)).status).toBe('paused');
    expect((await cohortHistory(cohort)).stepsScheduled).toBe(0);
    expect(await delivered(codes[0]!, id)).toHaveLength(0);

    const resumed = await request(ctx.app).post(`/campaigns/${id}/resume`).set('X-Actor', 'ops').send({});
    expect(resumed.status).toBe(200);
    await eventually(async () => (await delivered(codes[0]!, id)).length === treatment);
    await eventually(async () => (await cohort.query(cohortProgressQuery)).steps.length === 1);
    // Replay fixtures: the campaign's pause and resume updates, the cohort's setCohortPaused signals.
    await maybeRecordHistory(ctx.temporal.client, campaignWorkflowId(id), 'campaign-paused-and-resumed');
    await maybeRecordHistory(
      ctx.temporal.client,
      campaignWorkflowId(id),
      'campaign-paused-cohorts-started-as-they-begin',
    );
    await maybeRecordHistory(ctx.temporal.client, cohort.workflowId, 'cohort-paused-and-resumed');
    await handle(id).terminate('test done');
  });

  it('cancel withdraws everything, ends the cohorts and refuses later registrations', async () => {
    const { id, codes } = await launch({ registrationWindow: window(30), cohortGranularity: 'PT10S' });
    await register(id, codes[0]!, 2);
    const cancel = await request(ctx.app)
      .post(`/campaigns/${id}/cancel`)
      .set('X-Actor', 'ops')
      .send({ reason: 'stop' });
    expect(cancel.status).toBe(200);
    const result = await handle(id).result();
    expect(result.phase).toBe('cancelled');
    expect(result.cohorts.every((c: { status: string }) => c.status === 'cancelled')).toBe(true);
    const shown = await Promise.all(codes.map((c) => sim.placements(c)));
    expect(shown.flat().every((p) => p.status === 'withdrawn')).toBe(true);
    const late = await register(id, codes[0]!, 1);
    expect(late[0]!.status).toBe('rejected');
    expect(JSON.stringify(late[0])).toContain('campaign_cancelled');
    expect(await delivered(codes[0]!, id)).toHaveLength(0);
    // Cohorts that had not begun when the cancel came were never started (and are cancelled above).
    const events = (await handle(id).fetchHistory()).events ?? [];
    const startedChildren = events.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes);
    expect(startedChildren.length).toBeGreaterThan(0);
    expect(startedChildren.length).toBeLessThan(result.cohorts.length);
    await maybeRecordHistory(ctx.temporal.client, campaignWorkflowId(id), 'campaign-cancelled-with-cohorts');
    await maybeRecordHistory(
      ctx.temporal.client,
      campaignWorkflowId(id),
      'campaign-cancelled-before-cohorts-began',
    );
  });

  it('cancel in the new-customer period ends the cohorts and skips the evaluation', async () => {
    const { id, codes } = await launch({
      registrationWindow: window(6),
      cohortGranularity: 'PT3S',
      newCustomerPeriod: 'PT5M',
    });
    const [first] = await register(id, codes[0]!, 2);
    expect(first!.status).toBe('accepted');
    await eventually(async () => (await handle(id).query(campaignStateQuery)).phase === 'in_period', 60_000);
    const cohort = cohortHandle(id, first!.cohortKey);
    const cancel = await request(ctx.app)
      .post(`/campaigns/${id}/cancel`)
      .set('X-Actor', 'ops')
      .send({ reason: 'period stopped' });
    expect(cancel.status).toBe(200);
    const result = await handle(id).result();
    expect(result.phase).toBe('cancelled');
    expect(result.evaluationReportId).toBeNull();
    expect(result.cohorts.every((c: { status: string }) => c.status === 'cancelled')).toBe(true);
    expect((await cohort.query(cohortProgressQuery)).status).toBe('cancelled');
    await maybeRecordHistory(ctx.temporal.client, campaignWorkflowId(id), 'campaign-cancelled-in-period');
    await maybeRecordHistory(ctx.temporal.client, cohort.workflowId, 'cohort-cancelled-in-period');
  });
});

describe('late members', () => {
  it('a registration stored after its cohort’s step ran gets that step too, and nobody gets it twice', async () => {
    const { id, codes } = await launch({
      registrationWindow: window(30),
      cohortGranularity: 'PT4S',
      newCustomerPeriod: 'PT3M',
    });
    const registeredAt = new Date().toISOString();
    const first = await register(id, codes[0]!, 4, registeredAt);
    const cohort = cohortHandle(id, first[0]!.cohortKey);
    const onTime = first.filter((r) => r.arm === 'treatment').length;
    // The positive signal that the step has run for the cohort: its result is in the cohort's progress.
    await eventually(async () => (await cohort.query(cohortProgressQuery)).steps.length === 1, 60_000);
    expect(await delivered(codes[0]!, id)).toHaveLength(onTime);

    // A late report of registrations made in that cohort (same registeredAt), after the step ran.
    const late = await register(id, codes[0]!, 6, registeredAt);
    expect(late.every((r) => r.status === 'accepted' && r.cohortKey === first[0]!.cohortKey)).toBe(true);
    const lateTreatment = late.filter((r) => r.arm === 'treatment').length;
    expect(lateTreatment).toBeGreaterThan(0);
    await eventually(async () => (await delivered(codes[0]!, id)).length === onTime + lateTreatment, 60_000);
    const messages = await delivered(codes[0]!, id);
    expect(new Set(messages.map((m) => m.customerRef)).size).toBe(messages.length);
    expect(messages.every((m) => m.stepId === 'welcome')).toBe(true);
    const progress = await cohort.query(cohortProgressQuery);
    expect(progress.steps[0]!.delivered).toBe(onTime + lateTreatment);
    await maybeRecordHistory(ctx.temporal.client, cohort.workflowId, 'cohort-late-member-caught-up');
    await handle(id).terminate('test done');
  });
});

describe('budget cap', () => {
  it('closes acquisition once the budget is spent, and the workflow withdraws the material', async () => {
    // Two placements at 1,000 plus two incentives of 500 exhaust a 3,000 budget.
    const registrationWindow = window(60);
    const windowEnd = Date.parse(registrationWindow.end);
    const { id, codes } = await launch(
      {
        registrationWindow,
        acquisitionBudgetMinor: 3000,
        incentive: { perRegistrationMinor: 500, perActivationMinor: 0 },
      },
      { feeMinor: 1000 },
    );
    // The batch that spends the last of the budget closes acquisition: no refusal is needed.
    const regs = await register(id, codes[1]!, 2);
    expect(regs.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const state = await eventually(async () => {
      const s = await stateOf(id);
      return s?.acquisitionClosedReason === 'budget_exhausted' &&
        s.phase !== 'withdrawing' &&
        s.phase !== 'acquiring'
        ? s
        : null;
    });
    expect(state.acquisitionOpen).toBe(false);
    const shown = await Promise.all(codes.map((c) => sim.placements(c)));
    expect(shown.flat().every((p) => p.status === 'withdrawn')).toBe(true);
    // Cohorts that would have begun after the close are empty: the campaign ends without waiting
    // for the rest of its 60 s window, evaluated.
    const result = await handle(id).result();
    expect(result.phase).toBe('completed');
    expect(Date.now()).toBeLessThan(windowEnd);
    expect(result.evaluationReportId).toEqual(expect.any(String));
    const late = await register(id, codes[1]!, 1);
    expect(late[0]!.status).toBe('rejected');
    // Replay fixtures: the budgetExhausted signal, and the last cohort, which began after the close
    // and was told closeEmptyCohort.
    const lastCohort = result.cohorts[result.cohorts.length - 1] as { key: string };
    await maybeRecordHistory(ctx.temporal.client, campaignWorkflowId(id), 'campaign-budget-closed');
    await maybeRecordHistory(
      ctx.temporal.client,
      cohortWorkflowId(id, lastCohort.key),
      'cohort-closed-empty-after-budget',
    );
  });
});

describe('cohorts that would begin after an early close', () => {
  it('are never started: the campaign ends with the cohorts that could have members', async () => {
    // A 20-minute window of 10 s cohorts (120 cohorts); the budget closes acquisition with the first
    // batch. Only cohorts beginning within the clock-skew bound after the close can hold a registration
    // (one dated ahead of the server's clock), so only those are started (and told closeEmptyCohort).
    const registrationWindow = window(20 * 60);
    const { id, codes } = await launch(
      {
        registrationWindow,
        cohortGranularity: 'PT10S',
        acquisitionBudgetMinor: 3000,
        incentive: { perRegistrationMinor: 500, perActivationMinor: 0 },
      },
      { feeMinor: 1000 },
    );
    const beforeClose = Date.now();
    const regs = await register(id, codes[1]!, 2);
    expect(regs.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const result = (await handle(id).result()) as CampaignState;
    const afterEnd = Date.now();
    expect(result.phase).toBe('completed');
    expect(result.acquisitionClosedReason).toBe('budget_exhausted');
    expect(result.evaluationReportId).toEqual(expect.any(String));

    const plan = cohortsOfWindow(registrationWindow, 'PT10S', 'Asia/Shanghai');
    const startOf = new Map(plan.map((c) => [c.key, Date.parse(c.start)]));
    expect(result.cohorts).toHaveLength(plan.length);
    const skipped = result.cohorts.filter((c) => c.status === 'skipped');
    const started = result.cohorts.filter((c) => c.status !== 'skipped');
    // About 5 min of 10 s cohorts started, the other ~90 of 120 skipped.
    expect(skipped.length).toBeGreaterThan(plan.length / 2);
    expect(started.every((c) => c.status === 'completed')).toBe(true);
    for (const c of skipped) expect(startOf.get(c.key)!).toBeGreaterThan(beforeClose + MAX_CLOCK_SKEW_MS);
    for (const c of started) expect(startOf.get(c.key)!).toBeLessThanOrEqual(afterEnd + MAX_CLOCK_SKEW_MS);
    // The registrations' cohort ran its step for its treatment members.
    const treatment = regs.filter((r) => r.arm === 'treatment').length;
    expect(await delivered(codes[0]!, id)).toHaveLength(treatment);

    // The campaign started a child for each started cohort and none for a skipped one.
    const events = (await handle(id).fetchHistory()).events ?? [];
    const startedChildren = events
      .map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId)
      .filter((w): w is string => typeof w === 'string');
    expect(startedChildren.sort()).toEqual(started.map((c) => cohortWorkflowId(id, c.key)).sort());
    await expect(cohortHandle(id, skipped[0]!.key).describe()).rejects.toThrow(WorkflowNotFoundError);
    await maybeRecordHistory(
      ctx.temporal.client,
      campaignWorkflowId(id),
      'campaign-cohorts-skipped-after-budget',
    );
  });
});

describe('restart during a step', () => {
  it('delivers every message exactly once when the worker stops in the middle of a step', async () => {
    // Batch calls of 10 messages, each 150 ms: the step takes long enough to be stopped in the middle.
    const { id, codes } = await launch(
      { registrationWindow: window(2), cohortGranularity: 'PT3S', controlGroupShare: 0 },
      { deliveryBatchSize: 10 },
    );
    await sim.fault({ channelCode: codes[0], operations: ['deliver'], latencyMs: 150 });
    const regs = await register(id, codes[0]!, 400);
    expect(regs.every((r) => r.status === 'accepted')).toBe(true);
    // Wait until the step has started delivering, then stop and restart the worker.
    await eventually(async () => (await delivered(codes[0]!, id)).length > 20, 30_000, 50);
    await ctx.stopWorker();
    const before = (await delivered(codes[0]!, id)).length;
    expect(before).toBeLessThan(400);
    await ctx.startWorker();
    await eventually(async () => (await delivered(codes[0]!, id)).length === 400, 90_000);
    const messages = await delivered(codes[0]!, id);
    expect(new Set(messages.map((m) => m.customerRef)).size).toBe(400);
    expect((await sim.stats(codes[0]!)).duplicateMessages).toBe(0);
    // Message rows are written after each page's deliveries: wait for the last page's.
    await eventually(async () => (await ctx.db.message.count({ where: { campaignId: id } })) === 400);
    await sim.clearFaults(codes[0]);
    await handle(id).terminate('test done');
  });
});
