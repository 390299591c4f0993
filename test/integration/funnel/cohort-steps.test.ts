// The cohort step activity against real PostgreSQL and the channel simulator over HTTP, called directly
// (the cohort workflow's own tests run it inside Temporal): who receives a step (treatment only, the
// audience at send time), idempotency across reruns, failures mid-page, and cancellation between pages.
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { COHORT_PAGE_SIZE, createCohortStepActivities, messageIdFor } from '../../../activities/cohort-steps';
import { systemClock } from '../../../activities/deps';
import { createSlots } from '../../../activities/slots';
import { createTestContext, type TestContext } from '../../support/context';
import { sampleContent, uniq } from '../../support/fixtures';
import { simulatorClient } from '../../support/simulator';
import { postRegistrations, registration, seedCampaign, type SeededCampaign } from './fixtures';

let ctx: TestContext;
let sim: ReturnType<typeof simulatorClient>;
let runCohortStep: ReturnType<typeof createCohortStepActivities>['runCohortStep'];

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  sim = simulatorClient(ctx.simulatorUrl);
  ({ runCohortStep } = createCohortStepActivities({
    db: ctx.db,
    clock: systemClock,
    simulatorUrl: ctx.simulatorUrl,
  }));
});
afterAll(() => ctx.stop());

/** A campaign whose plan sends through channel 0 while customers register through channel 1. */
async function campaignWithSteps(controlGroupShare: number, adapter?: object) {
  return seedCampaign(ctx.db, {
    adapter,
    plan: { controlGroupShare },
    steps: ({ channelCodes, materialVersionId }) => [
      {
        id: 'welcome',
        offset: 'PT1M',
        kind: 'education',
        materialVersionId,
        channelCode: channelCodes[0]!,
        audience: 'treatment_all',
        costPerMessageMinor: 8,
      },
      {
        id: 'nudge',
        offset: 'PT2M',
        kind: 'engagement',
        materialVersionId,
        channelCode: channelCodes[0]!,
        audience: 'not_activated',
        costPerMessageMinor: 5,
      },
      {
        id: 'next-product',
        offset: 'PT3M',
        kind: 'education',
        materialVersionId,
        channelCode: channelCodes[0]!,
        audience: 'activated',
        costPerMessageMinor: 0,
      },
    ],
  });
}

/** Registers `count` customers in the first cohort (10 minutes into the window), through channel 1. */
async function registerCohort(
  campaign: SeededCampaign,
  count: number,
  extra: (i: number) => Record<string, unknown> = () => ({}),
) {
  const items = Array.from({ length: count }, (_, i) =>
    registration(campaign, { channelCode: campaign.channels[1]!.code, ...extra(i) }),
  );
  for (let i = 0; i < items.length; i += 1000) {
    const res = await postRegistrations(ctx.app, campaign.id, { items: items.slice(i, i + 1000) });
    expect(res.status).toBe(200);
  }
  const rows = await ctx.db.registration.findMany({ where: { campaignId: campaign.id } });
  return { rows, cohortKey: rows[0]!.cohortKey };
}

async function simulatorMessages(campaign: SeededCampaign, stepId: string) {
  const result = (await sim.messages(
    campaign.channels[0]!.code,
    `?campaignId=${campaign.id}&stepId=${stepId}&limit=100000`,
  )) as {
    count: number;
    messages: { customerRef: string }[];
  };
  return result.messages.map((m) => m.customerRef).sort();
}

/** No contact policy is stored in the shared test database: nothing is withheld. */
const NONE_WITHHELD = { opted_out: 0, quiet_hours: 0, frequency_capped: 0, lower_priority: 0 };

const sorted = (refs: string[]) => [...refs].sort();

describe('runCohortStep', () => {
  it('sends to valid treatment customers only; control and flagged ones receive nothing', async () => {
    const campaign = await campaignWithSteps(0.5);
    const contactHash = uniq('contact');
    // Customers 0 and 1 share a contact: 1 is flagged duplicate_customer.
    const { rows, cohortKey } = await registerCohort(campaign, 40, (i) => (i < 2 ? { contactHash } : {}));
    const treatment = rows.filter((r) => r.arm === 'treatment' && r.flagReason === null);
    const control = rows.filter((r) => r.arm === 'control' && r.flagReason === null);
    expect(treatment.length).toBeGreaterThan(5);
    expect(control.length).toBeGreaterThan(5);
    expect(rows.filter((r) => r.flagReason === 'duplicate_customer')).toHaveLength(1);

    const result = await runCohortStep({ campaignId: campaign.id, cohortKey, stepId: 'welcome' });

    expect(result).toEqual({
      delivered: treatment.length,
      skipped: 40 - treatment.length,
      alreadyDelivered: 0,
      withheld: NONE_WITHHELD,
    });
    expect(await simulatorMessages(campaign, 'welcome')).toEqual(sorted(treatment.map((r) => r.customerRef)));
    const messages = await ctx.db.message.findMany({ where: { campaignId: campaign.id } });
    expect(sorted(messages.map((m) => m.customerRef))).toEqual(sorted(treatment.map((r) => r.customerRef)));
    expect(messages[0]).toMatchObject({
      stepId: 'welcome',
      kind: 'education',
      channelId: campaign.channels[0]!.id,
      costMinor: 8n,
    });
    expect(messages[0]!.id).toBe(messageIdFor(campaign.id, 'welcome', messages[0]!.customerRef));

    // Message costs are the acquiring channel's (channel 1), not the delivering one's.
    const costs = await ctx.db.ledgerEntry.findMany({
      where: { campaignId: campaign.id, category: 'message' },
    });
    expect(costs).toHaveLength(treatment.length);
    expect(new Set(costs.map((c) => c.channelId))).toEqual(new Set([campaign.channels[1]!.id]));
    expect(costs[0]).toMatchObject({
      kind: 'cost',
      scope: 'period',
      amountMinor: 8n,
      cohortKey,
      variantKey: 'default',
    });

    const cohort = await ctx.db.cohort.findUniqueOrThrow({
      where: { campaignId_cohortKey: { campaignId: campaign.id, cohortKey } },
    });
    expect(cohort.steps).toMatchObject({
      welcome: { status: 'completed', delivered: treatment.length, skipped: 40 - treatment.length },
    });
  });

  it('honours the audience at send time: not yet activated, activated', async () => {
    const campaign = await campaignWithSteps(0);
    const { rows, cohortKey } = await registerCohort(campaign, 20);
    const activated = rows.slice(0, 7);
    await ctx.db.registration.updateMany({
      where: { id: { in: activated.map((r) => r.id) } },
      data: { activatedAt: new Date() },
    });
    const notActivated = rows.slice(7);

    const nudge = await runCohortStep({ campaignId: campaign.id, cohortKey, stepId: 'nudge' });
    const next = await runCohortStep({ campaignId: campaign.id, cohortKey, stepId: 'next-product' });

    expect(nudge).toEqual({ delivered: 13, skipped: 7, alreadyDelivered: 0, withheld: NONE_WITHHELD });
    expect(next).toEqual({ delivered: 7, skipped: 13, alreadyDelivered: 0, withheld: NONE_WITHHELD });
    expect(await simulatorMessages(campaign, 'nudge')).toEqual(
      sorted(notActivated.map((r) => r.customerRef)),
    );
    expect(await simulatorMessages(campaign, 'next-product')).toEqual(
      sorted(activated.map((r) => r.customerRef)),
    );
    // A free step books no costs.
    expect(await ctx.db.ledgerEntry.count({ where: { campaignId: campaign.id, category: 'message' } })).toBe(
      13,
    );
  });

  it('delivers nothing twice when the step is run again', async () => {
    const campaign = await campaignWithSteps(0);
    const { cohortKey } = await registerCohort(campaign, 15);
    const input = { campaignId: campaign.id, cohortKey, stepId: 'welcome' };

    expect(await runCohortStep(input)).toEqual({
      delivered: 15,
      skipped: 0,
      alreadyDelivered: 0,
      withheld: NONE_WITHHELD,
    });
    expect(await runCohortStep(input)).toEqual({
      delivered: 0,
      skipped: 0,
      alreadyDelivered: 15,
      withheld: NONE_WITHHELD,
    });

    const stats = await sim.stats(campaign.channels[0]!.code);
    expect(stats.messagesDelivered).toBe(15);
    expect(stats.duplicateMessages).toBe(0);
    expect(await ctx.db.message.count({ where: { campaignId: campaign.id } })).toBe(15);
    expect(await ctx.db.ledgerEntry.count({ where: { campaignId: campaign.id, category: 'message' } })).toBe(
      15,
    );
  });

  // A channel taking one message per call fails some calls (1%); one taking batches of 50 fails whole
  // batches (10% of calls). Either way the retry completes the step with one message per customer.
  it.each([
    ['one call per message', undefined, 0.01],
    ['batch calls', 50, 0.1],
  ])(
    'after a channel failure mid-page (%s), a retry sends exactly one message per customer across pages',
    async (_mode, deliveryBatchSize, errorRate) => {
      const campaign = await campaignWithSteps(0, {
        type: deliveryBatchSize ? 'simulator' : 'http',
        ...(deliveryBatchSize ? { deliveryBatchSize } : { baseUrl: ctx.simulatorUrl }),
      });
      const count = 2 * COHORT_PAGE_SIZE + 100;
      const { rows, cohortKey } = await registerCohort(campaign, count);
      const input = { campaignId: campaign.id, cohortKey, stepId: 'welcome' };
      const code = campaign.channels[0]!.code;
      await sim.fault({ channelCode: code, operations: ['deliver'], errorRate, seed: 7 });

      const failure = await runCohortStep(input).then(
        () => null,
        (err: unknown) => err,
      );
      await sim.clearFaults(code);

      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({ type: 'ChannelUnavailable', nonRetryable: false });
      const sentBefore = await ctx.db.message.count({ where: { campaignId: campaign.id } });
      expect(sentBefore).toBeGreaterThan(0);
      expect(sentBefore).toBeLessThan(count);

      const retry = await runCohortStep(input);
      expect(retry.delivered + retry.alreadyDelivered).toBe(count);
      expect(retry.alreadyDelivered).toBeGreaterThanOrEqual(sentBefore);
      expect(await simulatorMessages(campaign, 'welcome')).toEqual(sorted(rows.map((r) => r.customerRef)));
      expect((await sim.stats(code)).duplicateMessages).toBe(0);
      expect(await ctx.db.message.count({ where: { campaignId: campaign.id } })).toBe(count);
      expect(
        await ctx.db.ledgerEntry.count({ where: { campaignId: campaign.id, category: 'message' } }),
      ).toBe(count);
      const stats = await sim.stats(code);
      if (deliveryBatchSize) expect(stats.deliveryBatches).toBeGreaterThan(0);
      else expect(stats.deliveryBatches).toBe(0);
    },
  );

  it('fails without retrying when the channel refuses, and marks the step failed', async () => {
    const campaign = await campaignWithSteps(0);
    const { cohortKey } = await registerCohort(campaign, 5);
    const code = campaign.channels[0]!.code;
    await sim.fault({ channelCode: code, operations: ['deliver'], rejectNext: 1 });

    await expect(
      runCohortStep({ campaignId: campaign.id, cohortKey, stepId: 'welcome' }),
    ).rejects.toMatchObject({
      type: 'ChannelRejected',
      nonRetryable: true,
    });
    await sim.clearFaults(code);
    const cohort = await ctx.db.cohort.findUniqueOrThrow({
      where: { campaignId_cohortKey: { campaignId: campaign.id, cohortKey } },
    });
    expect(cohort.steps).toMatchObject({ welcome: { status: 'failed' } });
  });

  it('records the rest of a batch when the channel refuses one of its messages, and fails the step', async () => {
    const campaign = await campaignWithSteps(0); // the simulator: batch calls of 100
    const { rows, cohortKey } = await registerCohort(campaign, 30);
    const code = campaign.channels[0]!.code;
    const refused = rows[7]!;
    // The channel already holds this customer's message id with other content: it refuses that item
    // alone (409), and answers the other 29 as delivered.
    const taken = await fetch(`${ctx.simulatorUrl}/channels/${code}/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': messageIdFor(campaign.id, 'welcome', refused.customerRef),
      },
      body: JSON.stringify({
        campaignId: campaign.id,
        customerRef: refused.customerRef,
        stepId: 'welcome',
        kind: 'education',
        content: sampleContent('Something else entirely'),
      }),
    });
    expect(taken.status).toBe(201);

    await expect(
      runCohortStep({ campaignId: campaign.id, cohortKey, stepId: 'welcome' }),
    ).rejects.toMatchObject({
      type: 'ChannelRejected',
      nonRetryable: true,
    });
    const recorded = await ctx.db.message.findMany({ where: { campaignId: campaign.id } });
    expect(sorted(recorded.map((m) => m.customerRef))).toEqual(
      sorted(rows.filter((r) => r !== refused).map((r) => r.customerRef)),
    );
    expect(await sim.stats(code)).toMatchObject({
      deliveryBatches: 1,
      messagesDelivered: 30,
      duplicateMessages: 0,
    });
    const cohort = await ctx.db.cohort.findUniqueOrThrow({
      where: { campaignId_cohortKey: { campaignId: campaign.id, cohortKey } },
    });
    expect(cohort.steps).toMatchObject({ welcome: { status: 'failed' } });
  });

  it('stops between pages when cancelled (a pause), and a later run sends only the rest', async () => {
    const campaign = await campaignWithSteps(0);
    const count = COHORT_PAGE_SIZE + 60;
    const { cohortKey } = await registerCohort(campaign, count);
    const input = { campaignId: campaign.id, cohortKey, stepId: 'welcome' };
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (details: { after?: string }) => {
      // The first whole page is done: cancel, as the cohort workflow does on a pause.
      if (details?.after) env.cancel();
    });

    await expect(env.run(runCohortStep, input)).rejects.toBeInstanceOf(CancelledFailure);
    expect(await ctx.db.message.count({ where: { campaignId: campaign.id } })).toBe(COHORT_PAGE_SIZE);
    const cohort = await ctx.db.cohort.findUniqueOrThrow({
      where: { campaignId_cohortKey: { campaignId: campaign.id, cohortKey } },
    });
    expect(cohort.steps).toMatchObject({ welcome: { status: 'cancelled' } });

    expect(await runCohortStep(input)).toEqual({
      delivered: 60,
      skipped: 0,
      alreadyDelivered: COHORT_PAGE_SIZE,
      withheld: NONE_WITHHELD,
    });
    expect((await sim.stats(campaign.channels[0]!.code)).messagesDelivered).toBe(count);
  });

  it('waits for a page slot before it reads a page, heartbeating, and sends once it has one', async () => {
    const pageSlots = createSlots(1);
    const steps = createCohortStepActivities({
      db: ctx.db,
      clock: systemClock,
      simulatorUrl: ctx.simulatorUrl,
      pageSlots,
    });
    const campaign = await campaignWithSteps(0);
    const { cohortKey } = await registerCohort(campaign, 12);
    // Another step of this worker holds the only page slot until `release`.
    let release!: () => void;
    const held = pageSlots.run(() => new Promise<void>((resolve) => (release = resolve)));
    const env = new MockActivityEnvironment();
    const heartbeat = new Promise<void>((resolve) => env.once('heartbeat', () => resolve()));
    const run = env.run(steps.runCohortStep, { campaignId: campaign.id, cohortKey, stepId: 'welcome' });

    await heartbeat; // the waiting step stays alive for Temporal (its ticker, every 3 s)
    expect((await sim.stats(campaign.channels[0]!.code)).messagesDelivered).toBe(0);
    expect(await ctx.db.message.count({ where: { campaignId: campaign.id } })).toBe(0);

    release();
    await held;
    expect(await run).toMatchObject({ delivered: 12, alreadyDelivered: 0 });
    expect((await sim.stats(campaign.channels[0]!.code)).messagesDelivered).toBe(12);
  });

  it('runs the pages of two steps one after the other when the worker has one page slot', async () => {
    const inOrder = async (pages: number) => {
      const steps = createCohortStepActivities({
        db: ctx.db,
        clock: systemClock,
        simulatorUrl: ctx.simulatorUrl,
        pageSlots: createSlots(pages),
      });
      // One call per message (the simulator's default is one batch call per page).
      const campaign = await campaignWithSteps(0, { type: 'simulator', deliveryBatchSize: 1 });
      const code = campaign.channels[0]!.code;
      const { cohortKey } = await registerCohort(campaign, 64);
      // Slow calls (two rounds of 32 per page), so that two pages in flight at once would interleave.
      await sim.fault({ channelCode: code, operations: ['deliver'], latencyMs: 60 });
      try {
        await Promise.all(
          ['welcome', 'nudge'].map((stepId) =>
            steps.runCohortStep({ campaignId: campaign.id, cohortKey, stepId }),
          ),
        );
      } finally {
        await sim.clearFaults(code);
      }
      const { messages } = (await sim.messages(code, `?campaignId=${campaign.id}&limit=1000`)) as {
        messages: { stepId: string }[];
      };
      expect(messages).toHaveLength(128);
      // How often the delivery order switches from one step to the other.
      return messages.filter((m, i) => i > 0 && m.stepId !== messages[i - 1]!.stepId).length;
    };
    expect(await inOrder(1)).toBe(1);
    // The same with two slots does interleave: the order above is the slot's doing, not chance.
    expect(await inOrder(2)).toBeGreaterThan(1);
  });

  it('refuses a step the plan does not have, without retrying', async () => {
    const campaign = await campaignWithSteps(0);
    const { cohortKey } = await registerCohort(campaign, 1);
    await expect(
      runCohortStep({ campaignId: campaign.id, cohortKey, stepId: 'no-such-step' }),
    ).rejects.toMatchObject({
      type: 'UnknownPlanStep',
      nonRetryable: true,
    });
  });
});
