// Per-channel acquisition caps (plan.pacing) at registration ingest, on real PostgreSQL: a channel whose
// cap is spent refuses with channel_budget_exhausted while the others go on, and under parallel batches
// no channel ever spends more than its cap and the campaign never more than its budget.
import { createTestContext, type TestContext } from '../../support/context';
import {
  postRegistrations,
  registration,
  seedCampaign,
  type SeededCampaign,
  bookPlacementFee,
} from './fixtures';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
});
afterAll(() => ctx.stop());

async function spentPerChannel(seeded: SeededCampaign): Promise<Map<string, bigint>> {
  const rows = await ctx.db.ledgerEntry.groupBy({
    by: ['channelId'],
    where: { campaignId: seeded.id, kind: 'cost', scope: 'acquisition' },
    _sum: { amountMinor: true },
  });
  return new Map(rows.map((r) => [r.channelId, r._sum.amountMinor ?? 0n]));
}

const through = (seeded: SeededCampaign, i: number) =>
  registration(seeded, { channelCode: seeded.channels[i]!.code });

describe('per-channel caps at registration ingest', () => {
  it('closes the channel whose cap is spent and keeps the others', async () => {
    // 500 per registration (the incentive): channel 0 may take 2, channel 1 is capped far above.
    const seeded = await seedCampaign(ctx.db, {
      plan: { acquisitionBudgetMinor: 100_000 },
      pacing: ([a, b]) => ({ mode: 'fixed', channelCaps: { [a!]: 1_000, [b!]: 50_000 } }),
    });
    const res = await postRegistrations(ctx.app, seeded.id, {
      items: [through(seeded, 0), through(seeded, 0), through(seeded, 0), through(seeded, 1)],
    });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { status: string }) => i.status)).toEqual([
      'accepted',
      'accepted',
      'rejected',
      'accepted',
    ]);
    expect(res.body.items[2].errors).toEqual([
      expect.objectContaining({ field: 'channelCode', reason: 'channel_budget_exhausted' }),
    ]);
    // The other channel goes on in a later batch; the closed one stays closed.
    const later = await postRegistrations(ctx.app, seeded.id, {
      items: [through(seeded, 1), through(seeded, 0)],
    });
    expect(later.body.items.map((i: { status: string }) => i.status)).toEqual(['accepted', 'rejected']);
    const spent = await spentPerChannel(seeded);
    expect(spent.get(seeded.channels[0]!.id)).toBe(1_000n);
    expect(spent.get(seeded.channels[1]!.id)).toBe(1_000n);
    // Recorded once for the channel (the timeline's fact), and the campaign budget was not signalled.
    const audit = await ctx.db.auditLog.findMany({ where: { campaignId: seeded.id } });
    expect(audit.map((a) => a.action)).toEqual(['funnel.channel_budget_exhausted']);
    expect(audit[0]!.payload).toMatchObject({ channelCode: seeded.channels[0]!.code, capMinor: '1000' });
  });

  it('a channel without a cap of its own is limited by the campaign budget only', async () => {
    const seeded = await seedCampaign(ctx.db, {
      plan: { acquisitionBudgetMinor: 2_000 },
      pacing: ([a]) => ({ mode: 'fixed', channelCaps: { [a!]: 500 } }),
    });
    const res = await postRegistrations(ctx.app, seeded.id, {
      items: [
        through(seeded, 1),
        through(seeded, 1),
        through(seeded, 0),
        through(seeded, 1),
        through(seeded, 1),
      ],
    });
    expect(
      res.body.items.map((i: { errors?: { reason: string }[] }) => i.errors?.[0]?.reason ?? 'ok'),
    ).toEqual(['ok', 'ok', 'ok', 'ok', 'budget_exhausted']);
  });

  it('counts placement fees charged to the channel against its cap', async () => {
    const seeded = await seedCampaign(ctx.db, {
      pacing: ([a]) => ({ mode: 'fixed', channelCaps: { [a!]: 10_000 } }),
    });
    await bookPlacementFee(ctx.db, seeded, 9_600n);
    const res = await postRegistrations(ctx.app, seeded.id, {
      items: [through(seeded, 0), through(seeded, 1)],
    });
    expect(res.body.items[0].errors[0].reason).toBe('channel_budget_exhausted');
    expect(res.body.items[1].status).toBe('accepted');
  });

  it('never lets a channel pass its cap nor the campaign its budget under parallel batches', async () => {
    // Caps 20, 30 and 40 registrations; budget 80: the caps alone would allow 90.
    const seeded = await seedCampaign(ctx.db, {
      channels: 3,
      plan: { acquisitionBudgetMinor: 40_000 },
      pacing: ([a, b, c]) => ({ mode: 'fixed', channelCaps: { [a!]: 10_000, [b!]: 15_000, [c!]: 20_000 } }),
    });
    const batches = Array.from({ length: 6 }, () => ({
      items: Array.from({ length: 60 }, (_, i) => through(seeded, i % 3)),
    }));
    const responses = await Promise.all(batches.map((b) => postRegistrations(ctx.app, seeded.id, b)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const reasons = responses
      .flatMap((r) => r.body.items)
      .flatMap((i: { errors?: { reason: string }[] }) => i.errors?.map((e) => e.reason) ?? []);
    expect(new Set(reasons)).toEqual(new Set(['channel_budget_exhausted', 'budget_exhausted']));

    const spent = await spentPerChannel(seeded);
    const caps = [10_000n, 15_000n, 20_000n];
    seeded.channels.forEach((c, i) => expect(spent.get(c.id)! <= caps[i]!).toBe(true));
    const total = [...spent.values()].reduce((a, b) => a + b, 0n);
    expect(total).toBe(40_000n);
    // Channel 0 filled its cap exactly (20 registrations); the budget closed the rest.
    expect(spent.get(seeded.channels[0]!.id)).toBe(10_000n);
    expect(await ctx.db.registration.count({ where: { campaignId: seeded.id } })).toBe(80);
  });
});
