// The funnel's read API on real PostgreSQL: the campaign funnel, one customer's journey and the cohorts,
// after registrations, events and a step have been through the real ingest and step code.
import request from 'supertest';
import { createCohortStepActivities } from '../../../activities/cohort-steps';
import { systemClock } from '../../../activities/deps';
import { createTestContext, type TestContext } from '../../support/context';
import { uniq } from '../../support/fixtures';
import { postEvents, postRegistrations, registration, seedCampaign, type SeededCampaign } from './fixtures';

let ctx: TestContext;
let campaign: SeededCampaign;
let activatedRef: string;
let firstCohort: string;
let counts: { treatment: number; control: number; treatmentActivated: number };

const minutes = (m: number) => campaign.at(m * 60_000);

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  campaign = await seedCampaign(ctx.db, {
    plan: { controlGroupShare: 0.5 },
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
    ],
  });
  const existing = uniq('existing');
  await ctx.db.existingCustomer.create({ data: { customerRef: existing, source: 'core-banking' } });
  const contactHash = uniq('contact');
  const items = [
    ...Array.from({ length: 20 }, () => registration(campaign, {}, 10)),
    registration(campaign, { contactHash }, 11),
    registration(campaign, { contactHash }, 12),
    registration(campaign, { customerRef: existing }, 13),
    // A second cohort (30 minutes is the granularity).
    ...Array.from({ length: 5 }, () => registration(campaign, {}, 40)),
  ];
  const res = await postRegistrations(ctx.app, campaign.id, { items });
  expect(res.body.summary).toMatchObject({ accepted: 26, flagged: 2 });

  const rows = await ctx.db.registration.findMany({
    where: { campaignId: campaign.id, flagReason: null },
    orderBy: { customerRef: 'asc' },
  });
  firstCohort = rows.find((r) => r.registeredAt.toISOString() === minutes(10))!.cohortKey;
  const treatment = rows.filter((r) => r.arm === 'treatment');
  const control = rows.filter((r) => r.arm === 'control');
  // One treatment and one control customer activate; the treatment one also brings revenue.
  const activate = [
    treatment.find((r) => r.cohortKey === firstCohort)!,
    control.find((r) => r.cohortKey === firstCohort)!,
  ];
  activatedRef = activate[0]!.customerRef;
  for (const [i, row] of activate.entries()) {
    const events = await postEvents(ctx.app, campaign.id, {
      items: [
        ...[20, 21, 22].map((m) => ({
          eventId: uniq('evt'),
          customerRef: row.customerRef,
          type: 'login',
          occurredAt: minutes(m),
        })),
        {
          eventId: uniq('evt'),
          customerRef: row.customerRef,
          type: 'deposit',
          amountMinor: 100_000,
          revenueMinor: i === 0 ? 300 : 0,
          currency: 'CNY',
          occurredAt: minutes(23),
        },
      ],
    });
    expect(events.body.summary.accepted).toBe(4);
  }
  counts = { treatment: treatment.length, control: control.length, treatmentActivated: 1 };

  const { runCohortStep } = createCohortStepActivities({
    db: ctx.db,
    clock: systemClock,
    simulatorUrl: ctx.simulatorUrl,
  });
  await runCohortStep({ campaignId: campaign.id, cohortKey: firstCohort, stepId: 'welcome' });
});
afterAll(() => ctx.stop());

describe('GET /campaigns/:id/funnel', () => {
  it('counts registrations, flags, activation, the period, the arms, messages and money', async () => {
    const res = await request(ctx.app).get(`/campaigns/${campaign.id}/funnel`);
    expect(res.status).toBe(200);
    const treatmentInFirstCohort = await ctx.db.registration.count({
      where: { campaignId: campaign.id, cohortKey: firstCohort, arm: 'treatment', flagReason: null },
    });
    expect(res.body).toMatchObject({
      campaignId: campaign.id,
      registrations: {
        total: 28,
        valid: 26,
        flagged: {
          total: 2,
          byReason: {
            duplicate_customer: 1,
            existing_customer: 1,
            fingerprint_burst: 0,
            unknown_placement: 0,
          },
        },
      },
      activated: 2,
      inPeriod: 24,
      arms: {
        treatment: { registrations: counts.treatment, activated: 1 },
        control: { registrations: counts.control, activated: 1 },
      },
      messages: {
        total: treatmentInFirstCohort,
        // No contact policy is stored in the shared test database: nothing is withheld.
        withheld: {
          total: 0,
          byReason: { opted_out: 0, quiet_hours: 0, frequency_capped: 0, lower_priority: 0 },
        },
        byStep: [
          {
            stepId: 'welcome',
            delivered: treatmentInFirstCohort,
            costMinor: 8 * treatmentInFirstCohort,
            withheld: { opted_out: 0, quiet_hours: 0, frequency_capped: 0, lower_priority: 0 },
          },
        ],
      },
      ledger: {
        currency: 'CNY',
        costs: { acquisitionMinor: 26 * 500, periodMinor: 2 * 2_000 + 8 * treatmentInFirstCohort },
        revenue: { periodMinor: 300 },
      },
      budget: null,
    });
  });

  it('answers 404 for an unknown campaign', async () => {
    const res = await request(ctx.app).get('/campaigns/00000000-0000-4000-8000-000000000000/funnel');
    expect(res.status).toBe(404);
  });
});

describe('GET /campaigns/:id/customers/:customerRef/journey', () => {
  it('shows the registration, messages, events, activation and ledger of one customer', async () => {
    const res = await request(ctx.app).get(`/campaigns/${campaign.id}/customers/${activatedRef}/journey`);
    expect(res.status).toBe(200);
    expect(res.body.registration).toMatchObject({
      customerRef: activatedRef,
      arm: 'treatment',
      cohortKey: firstCohort,
      channelCode: campaign.channels[0]!.code,
      flagReason: null,
    });
    expect(res.body.activation).toMatchObject({ activatedAt: minutes(23) });
    expect(res.body.activation.explanation).toMatch(/^Activated at/);
    expect(res.body.messages).toEqual([
      expect.objectContaining({ stepId: 'welcome', kind: 'education', costMinor: 8 }),
    ]);
    expect(res.body.events.map((e: { type: string; inPeriod: boolean }) => [e.type, e.inPeriod])).toEqual([
      ['login', true],
      ['login', true],
      ['login', true],
      ['deposit', true],
    ]);
    expect(
      res.body.ledger
        .map((l: { category: string; amountMinor: number }) => [l.category, l.amountMinor])
        .sort(),
    ).toEqual(
      [
        ['activation_reward', 2_000],
        ['message', 8],
        ['registration_incentive', 500],
        ['revenue', 300],
      ].sort(),
    );
  });

  it('answers 404 for a customer not registered in the campaign', async () => {
    const res = await request(ctx.app).get(`/campaigns/${campaign.id}/customers/nobody/journey`);
    expect(res.status).toBe(404);
  });
});

describe('GET /campaigns/:id/cohorts', () => {
  it('lists each cohort with its members and step progress', async () => {
    const res = await request(ctx.app).get(`/campaigns/${campaign.id}/cohorts`);
    expect(res.status).toBe(200);
    const [first, second] = res.body.items;
    expect(res.body.items).toHaveLength(2);
    expect(first).toMatchObject({
      cohortKey: firstCohort,
      status: 'running',
      startsAt: campaign.at(0),
      members: { members: 23, valid: 21 },
      steps: {
        welcome: {
          status: 'completed',
          delivered: first.members.treatment,
          skipped: 23 - first.members.treatment,
        },
      },
    });
    expect(first.members.treatment + first.members.control).toBe(21);
    expect(first.members.activated).toBe(2);
    // No cohort workflow has touched the second cohort yet: pending, with the plan's bounds.
    expect(second).toMatchObject({
      status: 'pending',
      startsAt: campaign.at(30 * 60_000),
      endsAt: campaign.at(60 * 60_000),
      members: { members: 5, valid: 5, activated: 0 },
      steps: {},
    });
  });
});
