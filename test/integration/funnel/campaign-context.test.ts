// The funnel ingest's campaign context (funnel/ingest/campaign-context.ts): one statement through the pg
// pool, and the stored plan's parse remembered by its text. A plan stored anew (another text) is read anew;
// a row edited by hand into an invalid plan is refused, never answered from memory; the channels come with
// their cost model and pinned windows.
import { loadFunnelCampaign, InvalidStoredPlanError } from '../../../funnel/ingest/campaign-context';
import { createTestContext, type TestContext } from '../../support/context';
import { seedCampaign } from '../evaluation/seed';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
});
afterAll(async () => {
  await ctx.stop();
});

describe('the funnel ingest’s campaign context', () => {
  it('reads the row, its channels and its plan; a plan stored anew is read anew', async () => {
    const seeded = await seedCampaign(ctx.db, { seed: 21, registrations: 60 });
    const first = await loadFunnelCampaign(ctx.db, seeded.campaignId);
    expect(first).not.toBeNull();
    expect(first!.id).toBe(seeded.campaignId);
    expect(first!.status).toBe('completed');
    expect(first!.approvalState).toBe('not_required');
    const channels = await ctx.db.channel.findMany({ where: { id: { in: seeded.channelIds } } });
    expect([...first!.channels.keys()].sort()).toEqual(channels.map((c) => c.code).sort());
    for (const channel of channels) {
      expect(first!.channels.get(channel.code)).toMatchObject({
        channelId: channel.id,
        channelCode: channel.code,
        costModel: channel.costModel,
        clickThroughWindow: 'P7D',
        viewThroughWindow: 'PT24H',
      });
    }
    // The same text: the same plan object (remembered), equal to a fresh read.
    const again = await loadFunnelCampaign(ctx.db, seeded.campaignId);
    expect(again!.plan).toBe(first!.plan);

    const stored = await ctx.db.campaign.findUniqueOrThrow({ where: { id: seeded.campaignId } });
    const plan = stored.plan as Record<string, unknown>;
    await ctx.db.campaign.update({
      where: { id: seeded.campaignId },
      data: { plan: { ...plan, acquisitionBudgetMinor: 123_456 } },
    });
    const changed = await loadFunnelCampaign(ctx.db, seeded.campaignId);
    expect(changed!.plan.acquisitionBudgetMinor).toBe(123_456);
    expect(first!.plan.acquisitionBudgetMinor).not.toBe(123_456);

    // Edited by hand into an invalid plan: refused, although a valid parse of the campaign is remembered.
    await ctx.db.campaign.update({
      where: { id: seeded.campaignId },
      data: { plan: { ...plan, newCustomerPeriod: 'soon' } },
    });
    await expect(loadFunnelCampaign(ctx.db, seeded.campaignId)).rejects.toThrow(InvalidStoredPlanError);
  });

  it('is null for a campaign that does not exist', async () => {
    expect(await loadFunnelCampaign(ctx.db, '00000000-0000-4000-8000-000000000000')).toBeNull();
  });
});
