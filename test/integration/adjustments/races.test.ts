// Fraud flags racing other writers, on real PostgreSQL through the API: a flag and the event that would
// activate the same customer, sent at the same moment, always end with the customer costing exactly
// nothing (the activation reward is either never written or reversed); two identical flags at once are
// one flag with one set of reversals.
import request from 'supertest';
import { createTestContext, type TestContext } from '../../support/context';
import { uniq } from '../../support/fixtures';
import { postRegistrations, registration, seedCampaign, type SeededCampaign } from '../funnel/fixtures';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
});
afterAll(() => ctx.stop());

const flag = (campaignId: string, customerRef: string) =>
  request(ctx.app)
    .post(`/campaigns/${campaignId}/registrations/${customerRef}/flags`)
    .set({ 'X-Role': 'anti-fraud', 'X-Actor': 'kyc' })
    .send({ reason: 'incentive_abuse' });

const deposit = (campaign: SeededCampaign, customerRef: string) =>
  request(ctx.app)
    .post(`/campaigns/${campaign.id}/events`)
    .send({
      eventId: uniq('evt'),
      customerRef,
      type: 'deposit',
      amountMinor: 50_000,
      revenueMinor: 120,
      currency: 'CNY',
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
    });

/** What a registration costs now: its incentive, fee and activation reward plus every adjustment of them. */
async function netCost(registrationId: string): Promise<bigint> {
  const ids = ['incentive', 'channelfee', 'activation'].map((kind) => `${kind}:${registrationId}`);
  const entries = await ctx.db.ledgerEntry.findMany({
    where: { OR: [{ id: { in: ids } }, { adjustsEntryId: { in: ids } }] },
  });
  return entries.reduce((sum, e) => sum + e.amountMinor, 0n);
}

async function seeded() {
  const campaign = await seedCampaign(ctx.db, {
    channels: 1,
    costModel: { type: 'per_registration', amountMinor: 300, currency: 'CNY' },
    plan: { activationRule: { event: 'deposit', minAmountMinor: 10_000, atLeast: 1 } },
  });
  return campaign;
}

describe('fraud flags racing other writers', () => {
  it('a flag and the activating event at the same moment leave the customer costing nothing', async () => {
    const campaign = await seeded();
    const items = Array.from({ length: 12 }, () => registration(campaign));
    const reg = await postRegistrations(ctx.app, campaign.id, { items });
    expect(reg.body.summary.accepted).toBe(12);
    const ids = new Map<string, string>(
      reg.body.items.map((r: { index: number; registrationId: string }) => [
        items[r.index]!.customerRef,
        r.registrationId,
      ]),
    );
    // Four customers at a time, both requests of each sent together.
    for (let start = 0; start < items.length; start += 4) {
      const round = items.slice(start, start + 4).map((item) => item.customerRef);
      const replies = await Promise.all(
        round.flatMap((customerRef) => [flag(campaign.id, customerRef), deposit(campaign, customerRef)]),
      );
      expect(replies.map((r) => r.status)).toEqual(round.flatMap(() => [201, 201]));
      for (const reply of replies.filter((_, i) => i % 2 === 0))
        expect(reply.body.evaluation.status).toBe('computed');
    }
    for (const [customerRef, registrationId] of ids) {
      expect({ customerRef, net: await netCost(registrationId) }).toEqual({ customerRef, net: 0n });
    }
    // Whichever came first, every customer is out of the funnel and nothing is left to pay.
    const evaluation = await request(ctx.app).get(`/campaigns/${campaign.id}/evaluation`);
    expect(evaluation.body.report.overall.funnel).toMatchObject({
      registrationsValid: 0,
      registrationsFraudFlagged: 12,
      activated: 0,
    });
    expect(evaluation.body.report.overall.costs.acquisition.minor).toBe(0);
    expect(evaluation.body.report.overall.costs.period.minor).toBe(0);
  });

  it('two identical flags at the same moment are one flag with one set of reversals', async () => {
    const campaign = await seeded();
    const item = registration(campaign);
    const reg = await postRegistrations(ctx.app, campaign.id, item);
    expect(reg.status).toBe(201);
    const replies = await Promise.all([
      flag(campaign.id, item.customerRef),
      flag(campaign.id, item.customerRef),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(replies.map((r) => r.body.created).sort()).toEqual([false, true]);
    expect(await ctx.db.fraudFlag.count({ where: { campaignId: campaign.id } })).toBe(1);
    const reversals = await ctx.db.ledgerEntry.findMany({
      where: { campaignId: campaign.id, id: { startsWith: 'reversal:' } },
    });
    expect(reversals.map((e) => e.amountMinor).sort((a, b) => (a < b ? -1 : 1))).toEqual([-500n, -300n]);
    expect(await netCost(reg.body.registrationId as string)).toBe(0n);
  });
});
