// Delivery reports on real PostgreSQL through the API: CPM and CPC costs booked exactly on the running
// totals, facts kept for other cost models, idempotent repeats, every refusal, channel scoping, two
// concurrent batches for one placement, and the costs counting towards the acquisition budget.
import request from 'supertest';
import { createTestContext, type TestContext } from '../../support/context';
import { uniq } from '../../support/fixtures';
import {
  postRegistrations,
  registration,
  seedCampaign,
  seedPlacement,
  type SeededCampaign,
} from './fixtures';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
});
afterAll(() => ctx.stop());

const MINUTE = 60_000;
const cpm = { type: 'cpm' as const, amountMinor: 235, currency: 'CNY' }; // ¥2.35 per 1,000 impressions
const cpc = { type: 'cpc' as const, amountMinor: 120, currency: 'CNY' }; // ¥1.20 per click

/** A report of `placementId` for minute `n` after the window opened (an hour ago). */
function report(campaign: SeededCampaign, placementId: string, n: number, figures: Record<string, unknown>) {
  return {
    reportId: `rpt-${n}`,
    channelCode: campaign.channels[0]!.code,
    placementId,
    periodStart: campaign.at(n * MINUTE),
    periodEnd: campaign.at((n + 1) * MINUTE),
    impressions: 0,
    clicks: 0,
    ...figures,
  };
}

/** As the campaign's channel system (a key for all its channels), unless `headers` say otherwise. */
const post = (campaign: SeededCampaign, body: unknown, headers: Record<string, string> = {}) =>
  request(ctx.app)
    .post(`/campaigns/${campaign.id}/delivery-reports`)
    .set({
      'X-Role': 'channel-system',
      'X-Channels': campaign.channels.map((c) => c.code).join(','),
      ...headers,
    })
    .send(body as object);

async function deliveryCosts(campaignId: string) {
  const entries = await ctx.db.ledgerEntry.findMany({
    where: { campaignId, category: { in: ['channel_cpm', 'channel_cpc'] } },
  });
  return {
    entries,
    total: entries.reduce((sum, e) => sum + e.amountMinor, 0n),
  };
}

describe('POST /campaigns/:id/delivery-reports', () => {
  it('bills a CPM channel on the running impressions, rounding once', async () => {
    const campaign = await seedCampaign(ctx.db, { channels: 1, costModel: cpm });
    const placementId = await seedPlacement(ctx.db, campaign);

    const items = Array.from({ length: 10 }, (_, n) =>
      report(campaign, placementId, n, { impressions: 150 }),
    );
    const res = await post(campaign, { items });
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ accepted: 10, flagged: 0, duplicate_request: 0, rejected: 0 });
    // Running totals 150, 300, …, 1,500 impressions at 2.35 per mille: floor(n × 150 × 235 / 1000).
    const expected = Array.from(
      { length: 10 },
      (_, n) => Math.floor(((n + 1) * 150 * 235) / 1000) - Math.floor((n * 150 * 235) / 1000),
    );
    expect(res.body.items.map((r: { costMinor: number }) => r.costMinor)).toEqual(expected);
    const { entries, total } = await deliveryCosts(campaign.id);
    expect(total).toBe(352n); // floor(1,500 × 2.35) = 352.5 → 352, never ten roundings
    expect(entries.every((e) => e.scope === 'acquisition' && e.category === 'channel_cpm')).toBe(true);
    expect(entries[0]).toMatchObject({
      channelId: campaign.channels[0]!.id,
      variantKey: 'default',
      cohortKey: null,
      customerRef: null,
      currency: 'CNY',
    });
    expect(await ctx.db.deliveryReport.count({ where: { placementId } })).toBe(10);
  });

  it('bills a CPC channel per click, and keeps reports of other cost models without billing', async () => {
    const clicks = await seedCampaign(ctx.db, { channels: 1, costModel: cpc });
    const clicked = await seedPlacement(ctx.db, clicks);
    const res = await post(clicks, report(clicks, clicked, 0, { impressions: 9_000, clicks: 37 }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'accepted', costMinor: 37 * 120, currency: 'CNY' });
    expect((await deliveryCosts(clicks.id)).total).toBe(4_440n);

    const fixed = await seedCampaign(ctx.db, { channels: 1 }); // fixed fee per placement
    const shown = await seedPlacement(ctx.db, fixed);
    const kept = await post(fixed, report(fixed, shown, 0, { impressions: 9_000, clicks: 37 }));
    expect(kept.status).toBe(201);
    expect(kept.body).toMatchObject({ status: 'accepted', costMinor: 0 });
    expect((await deliveryCosts(fixed.id)).entries).toHaveLength(0);
    expect(
      await ctx.db.deliveryReport.findUnique({
        where: { placementId_reportId: { placementId: shown, reportId: 'rpt-0' } },
      }),
    ).toMatchObject({ impressions: 9_000n, clicks: 37n, costMinor: 0n });
  });

  it('answers a repeat as duplicate_request and refuses every kind of bad report, changing nothing', async () => {
    const campaign = await seedCampaign(ctx.db, { channels: 2, costModel: cpm });
    const placementId = await seedPlacement(ctx.db, campaign, 0);
    const first = report(campaign, placementId, 0, { impressions: 10_000 });
    expect((await post(campaign, first)).status).toBe(201);
    const before = await deliveryCosts(campaign.id);

    const repeat = await post(campaign, first);
    expect(repeat.status).toBe(200);
    expect(repeat.body.status).toBe('duplicate_request');

    const items = [
      { ...first, impressions: 10_001 },
      report(campaign, placementId, 0, { reportId: 'rpt-overlap', impressions: 5 }),
      report(campaign, 'pl-no-such-placement', 3, { impressions: 5 }),
      report(campaign, placementId, 4, { channelCode: campaign.channels[1]!.code, impressions: 5 }),
      {
        ...report(campaign, placementId, 5, { impressions: 5 }),
        periodStart: new Date(Date.now() + 60 * MINUTE).toISOString(),
        periodEnd: new Date(Date.now() + 120 * MINUTE).toISOString(),
      },
      { ...report(campaign, placementId, 6, { impressions: 5 }), periodEnd: campaign.at(6 * MINUTE) },
      report(campaign, placementId, 7, { impressions: -1 }),
    ];
    const res = await post(campaign, { items });
    expect(res.status).toBe(200);
    expect(
      res.body.items.map((r: { status: string; errors?: { field: string; reason: string }[] }) => [
        r.status,
        r.errors?.map((e) => `${e.field}:${e.reason}`),
      ]),
    ).toEqual([
      ['rejected', ['reportId:report_id_reused']],
      ['rejected', ['periodStart:overlapping_period']],
      ['rejected', ['placementId:unknown_placement']],
      ['rejected', ['channelCode:channel_mismatch']],
      ['rejected', ['periodEnd:in_future']],
      ['rejected', ['periodEnd:invalid']],
      ['rejected', ['impressions:invalid']],
    ]);
    const after = await deliveryCosts(campaign.id);
    expect(after.total).toBe(before.total);
    expect(await ctx.db.deliveryReport.count({ where: { placementId } })).toBe(1);

    // A single malformed report is a 400 naming the field; a well-formed refused one a 422.
    const malformed = await post(campaign, { ...first, reportId: 'x', clicks: 'many' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'clicks' })]);
    const refused = await post(campaign, { ...first, impressions: 3 });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ reason: 'report_id_reused' })]);
  });

  it("refuses a channel system's report for another channel with 403, storing nothing", async () => {
    const campaign = await seedCampaign(ctx.db, { channels: 2, costModel: cpm });
    const placementId = await seedPlacement(ctx.db, campaign, 0);
    const res = await post(campaign, report(campaign, placementId, 0, { impressions: 1_000 }), {
      'X-Channels': campaign.channels[1]!.code,
    });
    expect(res.status).toBe(403);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'channelCode' })]);
    expect(await ctx.db.deliveryReport.count({ where: { placementId } })).toBe(0);
    expect((await post(campaign, {}, { 'X-Role': 'marketer' })).status).toBe(403);
  });

  it('bills concurrent batches for one placement exactly once on their combined totals', async () => {
    const campaign = await seedCampaign(ctx.db, { channels: 1, costModel: cpm });
    const placementId = await seedPlacement(ctx.db, campaign);
    const batch = (from: number) => ({
      items: Array.from({ length: 10 }, (_, n) =>
        report(campaign, placementId, from + n, { impressions: 17 }),
      ),
    });
    const replies = await Promise.all([0, 10, 20, 30].map((from) => post(campaign, batch(from))));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(replies.reduce((sum, r) => sum + r.body.summary.accepted, 0)).toBe(40);
    // 40 × 17 = 680 impressions at 2.35 per mille = 159.8 → 159, whatever the interleaving. Billed
    // without seeing each other, each batch's 170 would round to 39 (39.95): as little as 156 in all.
    expect((await deliveryCosts(campaign.id)).total).toBe(159n);
  });

  it('shows impressions and clicks per channel beside the registrations they brought, in the funnel', async () => {
    const campaign = await seedCampaign(ctx.db, { channels: 2, costModel: cpc });
    const placementId = await seedPlacement(ctx.db, campaign, 0);
    const reports = [
      report(campaign, placementId, 0, { impressions: 1_000, clicks: 40 }),
      report(campaign, placementId, 1, { impressions: 500, clicks: 10 }),
    ];
    expect((await post(campaign, { items: reports })).status).toBe(200);
    const registered = await postRegistrations(ctx.app, campaign.id, {
      items: [registration(campaign), registration(campaign)],
    });
    expect(registered.body.summary.accepted).toBe(2);

    const funnel = await request(ctx.app).get(`/campaigns/${campaign.id}/funnel`).set('X-Role', 'marketer');
    expect(funnel.status).toBe(200);
    const [first, second] = campaign.channels.map((c) => c.code);
    // These reports carry no sign-ups started: not reported (null, with the reason), never 0.
    const notReported = { registrationsStarted: null, registrationsStartedReason: 'not_reported' };
    expect(funnel.body.delivery).toEqual({
      reports: 2,
      impressions: 1_500,
      clicks: 50,
      registrationsStarted: null,
      byChannel: [
        {
          channelCode: first,
          reports: 2,
          impressions: 1_500,
          clicks: 50,
          ...notReported,
          registrations: 2,
          activated: 0,
        },
        {
          channelCode: second,
          reports: 0,
          impressions: null,
          clicks: null,
          ...notReported,
          registrations: 0,
          activated: 0,
        },
      ],
    });
    // 50 clicks at 1.20 plus two 5.00 registration incentives.
    expect(funnel.body.ledger.costs.acquisitionMinor).toBe(50 * 120 + 2 * 500);

    // The evaluation carries the same top of the funnel, with click-through and registrations per click.
    const evaluated = await request(ctx.app)
      .post(`/campaigns/${campaign.id}/evaluation`)
      .set('X-Role', 'marketer')
      .send({});
    expect(evaluated.status).toBe(201);
    const byChannel = evaluated.body.report.byChannel as {
      key: string;
      funnel: { impressions: number | null; clicks: number | null };
      clickThroughRate: { defined: boolean; value?: string; reason?: string };
      registrationsPerClick: { defined: boolean; value?: string };
    }[];
    const reported = byChannel.find((r) => r.key === campaign.channels[0]!.id)!;
    expect(reported.funnel).toMatchObject({ impressions: 1_500, clicks: 50 });
    expect(reported.clickThroughRate).toMatchObject({ defined: true, value: '0.033333' }); // 50 ÷ 1,500
    expect(reported.registrationsPerClick).toMatchObject({ defined: true, value: '0.040000' }); // 2 ÷ 50
    expect(evaluated.body.report.overall.funnel).toMatchObject({ impressions: 1_500, clicks: 50 });
    expect(evaluated.body.report.checks.allHold).toBe(true);
  });

  it('counts the costs towards the acquisition budget: registrations stop once reports spent it', async () => {
    // 50,000 budget; one registration costs its 500 incentive. A CPM report then spends the rest.
    const campaign = await seedCampaign(ctx.db, {
      channels: 1,
      costModel: cpm,
      plan: { acquisitionBudgetMinor: 50_000 },
    });
    const placementId = await seedPlacement(ctx.db, campaign);
    expect((await postRegistrations(ctx.app, campaign.id, registration(campaign))).status).toBe(201);
    // 208,520 impressions × 2.35 per mille = 49,002.2 → 49,002: 49,502 spent, 498 left < 500.
    const billed = await post(campaign, report(campaign, placementId, 0, { impressions: 208_520 }));
    expect(billed.body.costMinor).toBe(49_002);
    const refused = await postRegistrations(
      ctx.app,
      campaign.id,
      registration(campaign, { customerRef: uniq('late') }),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ reason: 'budget_exhausted' })]);
  });
});
