// Which channels bring active customers cheapest over the last N evaluated campaigns: AAC per channel
// from exact sums over the campaigns (Σ cost ÷ Σ activated), checked against the test's own sums. The
// campaigns use NOK so that no other test's campaigns enter the comparison.
import request from 'supertest';
import { systemClock } from '../../../activities/deps';
import { createEvaluationActivities } from '../../../activities/evaluation';
import type { ChannelComparison } from '../../../evaluation/db-comparison';
import { seedChannels, uniq } from '../../support/fixtures';
import { createTestContext, type TestContext } from '../../support/context';
import { expectExact } from './independent';
import { expectedTotals, seedCampaign, type SeededCampaign } from './seed';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
});
afterAll(() => ctx.stop());

describe('GET /evaluations/channels', () => {
  const campaigns: SeededCampaign[] = [];
  let channelIds: string[];

  beforeAll(async () => {
    const { evaluateCampaign } = createEvaluationActivities({
      db: ctx.db,
      clock: systemClock,
      simulatorUrl: '',
    });
    channelIds = (await seedChannels(ctx.db, 3, { prefix: uniq('cmp') })).map((channel) => channel.id);
    // Channel 0 activates often, channel 1 rarely, channel 2 never (its AAC is undefined).
    const rates = [0.6, 0.15, 0];
    for (const seed of [21, 22, 23]) {
      const seeded = await seedCampaign(ctx.db, {
        seed,
        registrations: 150 + seed,
        currency: 'NOK',
        channelIds,
        activationRate: (index) => rates[index]!,
      });
      campaigns.push(seeded);
      // In order, so that the third campaign is the most recently evaluated.
      await evaluateCampaign({ campaignId: seeded.campaignId, provisional: false });
    }
  });

  function expectedFor(channelId: string, over: SeededCampaign[]) {
    let cost = 0;
    let activated = 0;
    let registrations = 0;
    for (const seeded of over) {
      const totals = expectedTotals(seeded, { channelId });
      cost += totals.acquisitionCost;
      activated += totals.activated;
      registrations += totals.valid;
    }
    return { cost, activated, registrations };
  }

  it('ranks channels by AAC from summed cost and activations, undefined AAC last with its reason', async () => {
    const res = await request(ctx.app).get('/evaluations/channels?lastCampaigns=3&currency=NOK');
    expect(res.status).toBe(200);
    const body = res.body as ChannelComparison;
    expect(body.campaigns.map((c) => c.campaignId)).toEqual(campaigns.map((c) => c.campaignId).reverse());
    expect(body.channels.map((row) => row.channelId)).toEqual(channelIds);
    for (const row of body.channels.slice(0, 2)) {
      const expected = expectedFor(row.channelId, campaigns);
      expect(row).toMatchObject({
        campaigns: 3,
        registrations: expected.registrations,
        activated: expected.activated,
        acquisitionCost: { minor: expected.cost, currency: 'NOK' },
      });
      expectExact(row.aac.defined ? row.aac.exact : undefined, expected.cost, expected.activated);
    }
    expect(body.channels.map((row) => row.rank)).toEqual([1, 2, null]);
    expect(body.channels[2]!.aac).toEqual({ defined: false, reason: 'no_activations' });
  });

  it('is not an average of per-campaign ratios', async () => {
    const res = await request(ctx.app).get('/evaluations/channels?lastCampaigns=3&currency=NOK');
    const row = (res.body as ChannelComparison).channels[1]!;
    const perCampaign = campaigns.map((seeded) => {
      const totals = expectedTotals(seeded, { channelId: row.channelId });
      return totals.acquisitionCost / totals.activated;
    });
    const average = perCampaign.reduce((a, b) => a + b, 0) / perCampaign.length;
    expect(Math.abs(Number(row.aac.defined ? row.aac.minor : NaN) - average)).toBeGreaterThan(0.01);
  });

  it('compares only the last N campaigns', async () => {
    const res = await request(ctx.app).get('/evaluations/channels?lastCampaigns=2&currency=NOK');
    const body = res.body as ChannelComparison;
    expect(body.campaigns.map((c) => c.campaignId)).toEqual([
      campaigns[2]!.campaignId,
      campaigns[1]!.campaignId,
    ]);
    const expected = expectedFor(channelIds[0]!, campaigns.slice(1));
    expect(body.channels[0]).toMatchObject({
      channelId: channelIds[0],
      campaigns: 2,
      activated: expected.activated,
    });
  });

  it('refuses a malformed query with the fields named', async () => {
    const res = await request(ctx.app).get('/evaluations/channels?lastCampaigns=0&currency=nok&extra=1');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['query.currency', 'query.extra', 'query.lastCampaigns'].sort(),
    );
  });
});
