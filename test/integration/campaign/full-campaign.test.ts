// A whole campaign, with compressed durations, on real Temporal + PostgreSQL + the simulator:
// publish, registrations and events through the API, the cohorts' education/engagement steps
// (control group receives nothing, audiences honoured), activation, withdrawal, and the automatic
// evaluation at the end — whose numbers must equal what this test computes from its own inputs.
import request from 'supertest';
import { createTestContext, type TestContext, untilPhase } from '../../support/context';
import { campaignRequest, seedChannels, seedMaterial, uniq } from '../../support/fixtures';
import { maybeRecordHistory } from '../../support/record-history';
import { simulatorClient } from '../../support/simulator';
import { campaignWorkflowId, cohortWorkflowId } from '../../../workflows/ids';

let ctx: TestContext;
let sim: ReturnType<typeof simulatorClient>;

beforeAll(async () => {
  ctx = await createTestContext();
  sim = simulatorClient(ctx.simulatorUrl);
});
afterAll(() => ctx.stop());

const FEE = 10_000; // fixed fee per placement, fen
const INCENTIVE = 500;
const ACTIVATION_REWARD = 1_000;
const STEP_COST = { welcome: 7, reward: 11 };

interface SimMessage {
  customerRef: string;
  stepId: string;
}

async function messagesOf(channelCode: string, campaignId: string): Promise<SimMessage[]> {
  const body = (await sim.messages(channelCode, `?campaignId=${campaignId}&limit=1000`)) as {
    messages: SimMessage[];
  };
  return body.messages;
}

describe('a full campaign', () => {
  it('runs from launch to a stored evaluation that matches an independent computation', async () => {
    const channels = await seedChannels(ctx.db, 3, { feeMinor: FEE });
    const codes = channels.map((c) => c.code);
    const { material, version } = await seedMaterial(ctx.db);
    const now = Date.now();
    const body = campaignRequest(codes, material.id, {
      registrationWindow: {
        start: new Date(now - 1000).toISOString(),
        end: new Date(now + 6000).toISOString(),
      },
      cohortGranularity: 'PT10S',
      newCustomerPeriod: 'PT6S',
      controlGroupShare: 0.3,
      incentive: { perRegistrationMinor: INCENTIVE, perActivationMinor: ACTIVATION_REWARD },
      activationRule: { event: 'transaction', minAmountMinor: 10_000, atLeast: 1 },
      engagementPlan: {
        steps: [
          {
            id: 'welcome',
            offset: 'PT2S',
            kind: 'education',
            materialVersionId: version.id,
            channelCode: codes[0],
            audience: 'not_activated',
            costPerMessageMinor: STEP_COST.welcome,
          },
          {
            id: 'reward',
            offset: 'PT3S',
            kind: 'engagement',
            materialVersionId: version.id,
            channelCode: codes[0],
            audience: 'activated',
            costPerMessageMinor: STEP_COST.reward,
          },
        ],
      },
    });
    const created = await request(ctx.app).post('/campaigns').set('X-Actor', 'marketer').send(body);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await untilPhase(ctx.app, id, 'acquiring');

    // 24 registrations across the three channels, plus one duplicate contact (flagged).
    const prefix = uniq('cust');
    const items = Array.from({ length: 24 }, (_, i) => ({
      customerRef: `${prefix}-${i}`,
      channelCode: codes[i % 3],
      registeredAt: new Date().toISOString(),
      contactHash: `contact-${prefix}-${i}`,
    }));
    items.push({
      customerRef: `${prefix}-dup`,
      channelCode: codes[0],
      registeredAt: new Date().toISOString(),
      contactHash: `contact-${prefix}-0`,
    });
    const reg = await request(ctx.app).post(`/campaigns/${id}/registrations`).send({ items });
    expect(reg.status).toBe(200);
    expect(reg.body.summary).toMatchObject({ accepted: 24, flagged: 1 });
    const arms = new Map<string, string>(
      reg.body.items
        .filter((r: { status: string }) => r.status === 'accepted')
        .map((r: { index: number; arm: string }) => [items[r.index]!.customerRef, r.arm]),
    );

    // Every third customer makes a qualifying transaction (activates); the next one a too-small one.
    const activated = new Set<string>();
    const events: object[] = [];
    let revenue = 0;
    items.slice(0, 24).forEach((item, i) => {
      if (i % 3 === 0) {
        activated.add(item.customerRef);
        events.push({
          eventId: `${item.customerRef}-tx`,
          customerRef: item.customerRef,
          type: 'transaction',
          amountMinor: 20_000,
          revenueMinor: 300 + i,
          currency: 'CNY',
          occurredAt: new Date().toISOString(),
        });
        revenue += 300 + i;
      } else if (i % 3 === 1) {
        events.push({
          eventId: `${item.customerRef}-small`,
          customerRef: item.customerRef,
          type: 'transaction',
          amountMinor: 5_000,
          revenueMinor: 50,
          currency: 'CNY',
          occurredAt: new Date().toISOString(),
        });
        revenue += 50;
      }
    });
    const ev = await request(ctx.app).post(`/campaigns/${id}/events`).send({ items: events });
    expect(ev.status).toBe(200);
    expect(ev.body.summary.accepted).toBe(events.length);

    const result = await ctx.temporal.client.workflow.getHandle(campaignWorkflowId(id)).result();
    expect(result.phase).toBe('completed');
    expect(result.acquisitionClosedReason).toBe('window_ended');
    expect(result.evaluationReportId).toEqual(expect.any(String));

    // Messages, as the channel saw them: control customers got nothing; audiences honoured.
    const messages = await messagesOf(codes[0]!, id);
    const valid = items.slice(0, 24).map((i) => i.customerRef);
    const treatment = valid.filter((c) => arms.get(c) === 'treatment');
    const control = valid.filter((c) => arms.get(c) === 'control');
    expect(control.length).toBeGreaterThan(0);
    expect(messages.filter((m) => control.includes(m.customerRef))).toHaveLength(0);
    const welcome = messages
      .filter((m) => m.stepId === 'welcome')
      .map((m) => m.customerRef)
      .sort();
    const reward = messages
      .filter((m) => m.stepId === 'reward')
      .map((m) => m.customerRef)
      .sort();
    expect(welcome).toEqual(treatment.filter((c) => !activated.has(c)).sort());
    expect(reward).toEqual(treatment.filter((c) => activated.has(c)).sort());
    expect((await sim.totals(codes)).duplicateMessages).toBe(0);

    // Placements withdrawn at the end of the window.
    const placements = (await request(ctx.app).get(`/campaigns/${id}/placements`)).body;
    expect(placements.summary).toEqual({ withdrawn: 3 });

    // The stored evaluation against the test's own arithmetic.
    const evaluation = await request(ctx.app).get(`/campaigns/${id}/evaluation`);
    expect(evaluation.status).toBe(200);
    const overall = evaluation.body.report.overall;
    const registrations = 24;
    const activations = activated.size;
    const acquisition = 3 * FEE + registrations * INCENTIVE;
    const period =
      welcome.length * STEP_COST.welcome + reward.length * STEP_COST.reward + activations * ACTIVATION_REWARD;
    expect(overall.funnel).toMatchObject({
      placements: 3,
      registrationsValid: registrations,
      registrationsFlagged: 1,
      activated: activations,
      controlRegistrations: control.length,
      treatmentRegistrations: treatment.length,
    });
    expect(overall.costs.acquisition).toEqual({ minor: acquisition, currency: 'CNY' });
    expect(overall.costs.period).toEqual({ minor: period, currency: 'CNY' });
    expect(overall.revenue).toEqual({ minor: revenue, currency: 'CNY' });
    const fraction = (n: number, d: number) => (n / d).toFixed(4);
    expect(overall.cac.minor).toBe(fraction(acquisition, registrations));
    expect(overall.aac.minor).toBe(fraction(acquisition, activations));
    expect(Number(overall.lroi.value)).toBeCloseTo(revenue / period, 6);
    expect(Number(overall.activationRate.value)).toBeCloseTo(activations / registrations, 6);
    expect(evaluation.body.provisional).toBe(false);
    await maybeRecordHistory(
      ctx.temporal.client,
      campaignWorkflowId(id),
      'campaign-completed-with-evaluation',
    );
    const cohortKey = reg.body.items[0].cohortKey as string;
    await maybeRecordHistory(ctx.temporal.client, cohortWorkflowId(id, cohortKey), 'cohort-with-two-steps');
  });
});
