// Where sign-ups drop (the light process, 轻流程): channel systems report sign-ups started beside
// impressions and clicks; ingest stores them (absent = not reported, never 0) and keeps repeats
// idempotent; the funnel view and the evaluation carry impressions → clicks → started → completed per
// channel, with not_reported where a channel does not report starts.
import request from 'supertest';
import { createTestContext, type TestContext } from '../../support/context';
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

function report(campaign: SeededCampaign, channel: number, placementId: string, n: number, more: object) {
  return {
    reportId: `rpt-${n}`,
    channelCode: campaign.channels[channel]!.code,
    placementId,
    periodStart: campaign.at(n * MINUTE),
    periodEnd: campaign.at((n + 1) * MINUTE),
    impressions: 2_000,
    clicks: 50,
    ...more,
  };
}

const post = (campaign: SeededCampaign, body: unknown) =>
  request(ctx.app)
    .post(`/campaigns/${campaign.id}/delivery-reports`)
    .set({ 'X-Role': 'channel-system', 'X-Channels': campaign.channels.map((c) => c.code).join(',') })
    .send(body as object);

describe('registrationsStarted in delivery reports', () => {
  it('is stored when reported and null when not, and is part of what makes a repeat identical', async () => {
    const campaign = await seedCampaign(ctx.db, { channels: 1 });
    const placementId = await seedPlacement(ctx.db, campaign);
    const first = report(campaign, 0, placementId, 0, { registrationsStarted: 20 });
    const second = report(campaign, 0, placementId, 1, {});
    const answer = await post(campaign, { items: [first, second] });
    expect(answer.body.summary).toMatchObject({ accepted: 2, rejected: 0 });
    const rows = await ctx.db.deliveryReport.findMany({
      where: { campaignId: campaign.id },
      orderBy: { periodStart: 'asc' },
    });
    expect(rows.map((r) => r.registrationsStarted)).toEqual([20n, null]);

    expect((await post(campaign, first)).body.status).toBe('duplicate_request');
    const restated = await post(campaign, {
      items: [
        { ...first, registrationsStarted: 21 },
        { ...second, registrationsStarted: 0 },
      ],
    });
    expect(restated.body.items.map((i: { errors: { reason: string }[] }) => i.errors[0]!.reason)).toEqual([
      'report_id_reused',
      'report_id_reused',
    ]);
    const bad = await post(campaign, report(campaign, 0, placementId, 2, { registrationsStarted: -1 }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ field: 'registrationsStarted', reason: 'invalid' }),
    ]);
    expect(await ctx.db.deliveryReport.count({ where: { campaignId: campaign.id } })).toBe(2);
  });

  it('shows the step per channel in the funnel view and the evaluation, not_reported where absent', async () => {
    const campaign = await seedCampaign(ctx.db, { channels: 2 });
    const [hosting, linking] = [
      await seedPlacement(ctx.db, campaign, 0),
      await seedPlacement(ctx.db, campaign, 1),
    ];
    // Channel 0 hosts the form (reports starts); channel 1 links out and reports impressions and clicks only.
    expect(
      (
        await post(campaign, {
          items: [
            report(campaign, 0, hosting, 0, { registrationsStarted: 30 }),
            report(campaign, 0, hosting, 1, { registrationsStarted: 10 }),
            report(campaign, 1, linking, 0, {}),
          ],
        })
      ).body.summary.accepted,
    ).toBe(3);
    const through = (channel: number) =>
      registration(campaign, { channelCode: campaign.channels[channel]!.code });
    const registered = await postRegistrations(ctx.app, campaign.id, {
      items: [through(0), through(0), through(0), through(0), through(1)],
    });
    expect(registered.body.summary.accepted).toBe(5);

    const funnel = await request(ctx.app).get(`/campaigns/${campaign.id}/funnel`).set('X-Role', 'marketer');
    expect(funnel.status).toBe(200);
    const [a, b] = campaign.channels.map((c) => c.code);
    expect(funnel.body.delivery.registrationsStarted).toBe(40);
    expect(funnel.body.delivery.byChannel).toEqual([
      {
        channelCode: a,
        reports: 2,
        impressions: 4_000,
        clicks: 100,
        registrationsStarted: 40,
        registrations: 4,
        activated: 0,
      },
      {
        channelCode: b,
        reports: 1,
        impressions: 2_000,
        clicks: 50,
        registrationsStarted: null,
        registrationsStartedReason: 'not_reported',
        registrations: 1,
        activated: 0,
      },
    ]);

    const evaluated = await request(ctx.app)
      .post(`/campaigns/${campaign.id}/evaluation`)
      .set('X-Role', 'marketer')
      .send({});
    expect(evaluated.status).toBe(201);
    const { report: body } = evaluated.body;
    const row = (id: string) => body.byChannel.find((r: { key: string }) => r.key === id);
    const hostingRow = row(campaign.channels[0]!.id);
    expect(hostingRow.funnel).toMatchObject({
      impressions: 4_000,
      clicks: 100,
      registrationsStarted: 40,
      registrationsValid: 4,
    });
    expect(hostingRow.startsPerClick).toMatchObject({ defined: true, value: '0.400000' });
    expect(hostingRow.registrationsPerStart).toMatchObject({ defined: true, value: '0.100000' });
    const linkingRow = row(campaign.channels[1]!.id);
    expect(linkingRow.funnel.registrationsStarted).toBeNull();
    expect(linkingRow.registrationsPerStart).toEqual({ defined: false, reason: 'not_reported' });
    expect(body.overall.funnel.registrationsStarted).toBe(40);
    expect(body.checks.allHold).toBe(true);

    const csv = await request(ctx.app)
      .get(`/campaigns/${campaign.id}/evaluation/channels.csv`)
      .set('X-Role', 'marketer');
    expect(csv.status).toBe(200);
    const [header, ...lines] = csv.text.trim().split('\r\n');
    const columns = header!.split(',');
    const cells = lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i], v])));
    expect(cells.map((c) => c.registrationsStarted).sort()).toEqual(['', '40']);
    expect(cells.find((c) => c.registrationsStarted === '40')).toMatchObject({
      startsPerClick: '0.400000',
      registrationsPerStart: '0.100000',
    });
  });
});
