// The prospect traffic generator against the real API over HTTP (PostgreSQL, real API keys) and the real
// channel simulator: what it reports is what the database holds; lost answers and failed requests are
// retried with the same items and never stored twice; it stops when the campaign ends or acquisition
// closes; the channel brief it works from shows a key its own channels only.
import request from 'supertest';
import { existingCustomerRefs } from '../../../traffic/planner';
import { startTraffic, type TrafficOptions, type TrafficSummary } from '../../../traffic/generator';
import { createTestContext, eventually, type TestContext } from '../../support/context';
import { seedCampaign, seedPlacement, type SeededCampaign } from '../funnel/fixtures';
import { channelSystemKey, flakyProxy, serveApi, type Served } from './harness';

let ctx: TestContext;
let api: Served;
beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  api = await serveApi(ctx);
});
afterAll(async () => {
  await api.close();
  await ctx.stop();
});

async function campaignWithPlacements(opts: Parameters<typeof seedCampaign>[1] = {}) {
  const campaign = await seedCampaign(ctx.db, { channels: 3, ...opts });
  for (let i = 0; i < campaign.channels.length; i++) await seedPlacement(ctx.db, campaign, i);
  const key = await channelSystemKey(
    ctx,
    campaign.channels.map((c) => c.code),
  );
  return { campaign, key };
}

function options(campaign: SeededCampaign, key: string, more: Partial<TrafficOptions> = {}): TrafficOptions {
  return {
    apiUrl: api.url,
    apiKey: key,
    campaignId: campaign.id,
    seed: 11,
    rate: 80,
    simulatorUrl: ctx.simulatorUrl,
    deliveryPeriodMs: 1_000,
    maxDurationMs: 60_000,
    retry: { firstDelayMs: 20, maxDelayMs: 200, timeoutMs: 5_000 },
    ...more,
  };
}

/** What the database holds for the campaign, to compare with the generator's summary. */
async function stored(campaignId: string) {
  const [registrations, flags, events, reports] = await Promise.all([
    ctx.db.registration.count({ where: { campaignId } }),
    ctx.db.registration.groupBy({ by: ['flagReason'], where: { campaignId }, _count: { _all: true } }),
    ctx.db.customerEvent.count({ where: { campaignId } }),
    ctx.db.deliveryReport.aggregate({
      where: { campaignId },
      _count: { _all: true },
      _sum: { clicks: true, registrationsStarted: true },
    }),
  ]);
  const flagged = Object.fromEntries(
    flags.filter((f) => f.flagReason !== null).map((f) => [f.flagReason, f._count._all]),
  );
  return {
    registrations,
    flagged,
    events,
    reports: reports._count._all,
    clicks: Number(reports._sum.clicks ?? 0n),
    started: Number(reports._sum.registrationsStarted ?? 0n),
  };
}

function expectSummaryMatches(summary: TrafficSummary, facts: Awaited<ReturnType<typeof stored>>) {
  expect(facts.registrations).toBe(summary.accepted);
  expect(facts.flagged).toEqual(summary.flagged);
  expect(facts.events).toBe(summary.eventsAccepted);
  expect(facts.reports).toBe(summary.deliveryReportsSent);
  // Every channel here reports (ecosystem e-commerce): each prospect is one click, and is counted once.
  expect(facts.clicks).toBe(summary.prospects);
  expect(facts.started).toBe(summary.registrationsStarted);
}

describe('startTraffic', () => {
  it('registers, reports and plays the new-customer period through the API, as its summary says', async () => {
    const { campaign, key } = await campaignWithPlacements({ plan: { newCustomerPeriod: 'PT5S' } });
    const existing = existingCustomerRefs(11, 40);
    await ctx.db.existingCustomer.createMany({
      data: existing.map((customerRef) => ({ customerRef, source: 'core-banking' })),
      skipDuplicates: true,
    });
    const summary = await startTraffic(
      options(campaign, key, { maxProspects: 240, badShare: 0.25, existingCustomerRefs: existing }),
    ).done;

    expect(summary.stoppedBecause).toBe('max_prospects');
    expect(summary.prospects).toBe(240);
    expect(summary.refused).toEqual({});
    expect(summary.accepted).toBe(summary.registrationsSent);
    expect(summary.eventsSent).toBe(summary.eventsAccepted);
    expect(summary.eventsRefused).toEqual({});
    expect(summary.deliveryReportsRefused).toEqual({});
    expect(summary.flagged.duplicate_customer).toBeGreaterThan(0);
    expect(summary.flagged.existing_customer).toBeGreaterThan(0);
    expect(summary.eventsAccepted).toBeGreaterThan(0);
    expectSummaryMatches(summary, await stored(campaign.id));

    // Every event falls inside its customer's new-customer period, and some customers activated.
    const outside = await ctx.db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "CustomerEvent" e JOIN "Registration" r
        ON r."campaignId" = e."campaignId" AND r."customerRef" = e."customerRef"
       WHERE e."campaignId" = ${campaign.id}
         AND (e."occurredAt" < r."registeredAt" OR e."occurredAt" >= r."periodEndsAt")`;
    expect(Number(outside[0]?.n)).toBe(0);
    const funnel = await request(ctx.app).get(`/campaigns/${campaign.id}/funnel`).set('X-Role', 'marketer');
    expect(funnel.status).toBe(200);
    expect(funnel.body.activated).toBeGreaterThan(0);
    expect(funnel.body.delivery.registrationsStarted).toBe(summary.registrationsStarted);
    for (const row of funnel.body.delivery.byChannel) {
      expect(row.registrationsStarted).toBeGreaterThanOrEqual(row.registrations);
      expect(row.clicks).toBeGreaterThanOrEqual(row.registrationsStarted);
      expect(row.impressions).toBeGreaterThan(row.clicks);
    }
  });

  it('retries lost answers and failed requests with the same items: nothing is stored twice', async () => {
    const { campaign, key } = await campaignWithPlacements({ plan: { newCustomerPeriod: 'PT4S' } });
    // Every third POST's answer is lost after the API committed it; every fifth fails before it.
    const proxy = await flakyProxy(api.url, (n) => (n % 3 === 0 ? 'lose' : n % 5 === 0 ? 'fail' : null));
    try {
      const summary = await startTraffic(
        options(campaign, key, { apiUrl: proxy.url, maxProspects: 150, badShare: 0.1, seed: 12 }),
      ).done;
      expect(summary.stoppedBecause).toBe('max_prospects');
      expect(proxy.faultsDone).toBeGreaterThan(3);
      expect(summary.retries).toBeGreaterThanOrEqual(proxy.faultsDone);
      expect(summary.refused).toEqual({});
      expect(summary.eventsRefused).toEqual({});
      expect(summary.deliveryReportsRefused).toEqual({});
      expectSummaryMatches(summary, await stored(campaign.id));
    } finally {
      await proxy.close();
    }
  });

  it('stops for a campaign that ends, without crashing', async () => {
    const { campaign, key } = await campaignWithPlacements();
    const traffic = startTraffic(options(campaign, key, { rate: 30, newCustomerPeriod: false }));
    await eventually(
      async () => (await ctx.db.registration.count({ where: { campaignId: campaign.id } })) > 5,
    );
    await ctx.db.campaign.update({ where: { id: campaign.id }, data: { status: 'cancelled' } });
    const summary = await traffic.done;
    expect(summary.stoppedBecause).toBe('campaign_cancelled');
    expect(summary.accepted).toBe(await ctx.db.registration.count({ where: { campaignId: campaign.id } }));
  });

  it('stops acquiring when the budget closes acquisition', async () => {
    // ¥5 incentive per registration, a ¥50 cap: ten registrations, then acquisition is closed.
    const { campaign, key } = await campaignWithPlacements({ plan: { acquisitionBudgetMinor: 5_000 } });
    const summary = await startTraffic(
      options(campaign, key, { rate: 40, badShare: 0, newCustomerPeriod: false }),
    ).done;
    expect(['budget_exhausted', 'acquisition_closed']).toContain(summary.stoppedBecause);
    const registrations = await ctx.db.registration.count({ where: { campaignId: campaign.id } });
    expect(registrations).toBe(10);
    expect(summary.accepted).toBe(10);
  });

  it('does nothing for a campaign whose acquisition is over, and says why', async () => {
    const { campaign, key } = await campaignWithPlacements({ status: 'in_period' });
    const summary = await startTraffic(options(campaign, key)).done;
    expect(summary).toMatchObject({
      stoppedBecause: 'acquisition_closed',
      prospects: 0,
      registrationsSent: 0,
    });
  });

  it('fails at once for an unknown campaign or a key that is not a channel system', async () => {
    const { campaign, key } = await campaignWithPlacements();
    await expect(
      startTraffic(options(campaign, key, { campaignId: '4a1c2b3d-0000-4000-8000-00000000dead' })).done,
    ).rejects.toThrow(/404/);
    await expect(startTraffic(options(campaign, 'ck_not_a_key')).done).rejects.toThrow(/401/);
  });
});

describe('GET /campaigns/:id/channel-brief', () => {
  it("shows a channel-system key the campaign's terms and its own channels only", async () => {
    const { campaign } = await campaignWithPlacements();
    const own = campaign.channels[1]!.code;
    const key = await channelSystemKey(ctx, [own]);
    const brief = await request(api.url)
      .get(`/campaigns/${campaign.id}/channel-brief`)
      .set('Authorization', `Bearer ${key}`);
    expect(brief.status).toBe(200);
    expect(brief.body).toMatchObject({
      campaignId: campaign.id,
      status: 'acquiring',
      acquisitionOpen: true,
      newCustomerPeriod: 'PT2H',
      currency: 'CNY',
    });
    expect(brief.body.channels).toHaveLength(1);
    expect(brief.body.channels[0]).toMatchObject({
      channelCode: own,
      kind: 'ecosystem_scenario',
      onlineType: 'ecommerce',
      placements: [expect.objectContaining({ status: 'verified' })],
    });
    // Nothing about the control group or the engagement plan.
    expect(JSON.stringify(brief.body)).not.toMatch(/control|engagementPlan|arm/i);
    const marketer = await request(ctx.app)
      .get(`/campaigns/${campaign.id}/channel-brief`)
      .set('X-Role', 'marketer');
    expect(marketer.status).toBe(403);
  });
});
