// The evaluation over real PostgreSQL: facts seeded with Prisma, evaluated through the activity function,
// and every headline figure compared with what this test computes itself from the seeded facts — to the
// cent, and exactly for ratios (cross-multiplied rationals). Then re-runs, late corrections, provisional
// reports and facts that cannot be evaluated.
import request from 'supertest';
import { systemClock } from '../../../activities/deps';
import { createEvaluationActivities } from '../../../activities/evaluation';
import type { SegmentMetrics } from '../../../evaluation';
import type { StoredEvaluationReport } from '../../../evaluation/store';
import { createTestContext, type TestContext } from '../../support/context';
import { expectExact, expectFourSignificant, nearestRank, pooledZ, twoSidedP } from './independent';
import { expectedTotals, seedCampaign, type SeededCampaign } from './seed';

let ctx: TestContext;
let evaluateCampaign: ReturnType<typeof createEvaluationActivities>['evaluateCampaign'];

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  ({ evaluateCampaign } = createEvaluationActivities({ db: ctx.db, clock: systemClock, simulatorUrl: '' }));
});
afterAll(() => ctx.stop());

async function storedReport(reportId: string) {
  const row = await ctx.db.evaluationReport.findUniqueOrThrow({ where: { id: reportId } });
  return { row, report: row.report as unknown as StoredEvaluationReport };
}

function expectSegment(
  row: SegmentMetrics | undefined,
  expected: ReturnType<typeof expectedTotals>,
  currency: string,
) {
  if (!row) throw new Error('missing row');
  expect(row.funnel.registrationsValid).toBe(expected.valid);
  expect(row.funnel.activated).toBe(expected.activated);
  expect(row.costs.acquisition).toEqual({ minor: expected.acquisitionCost, currency });
  expect(row.costs.period).toEqual({ minor: expected.periodCost, currency });
  expect(row.revenue).toEqual({ minor: expected.revenue, currency });
  expectExact(row.cac.defined ? row.cac.exact : undefined, expected.acquisitionCost, expected.valid);
  expectExact(row.aac.defined ? row.aac.exact : undefined, expected.acquisitionCost, expected.activated);
  expectExact(
    row.activationRate.defined ? row.activationRate.exact : undefined,
    expected.activated,
    expected.valid,
  );
  expectExact(row.lroi.defined ? row.lroi.exact : undefined, expected.revenue, expected.periodCost);
  const totalCost = expected.acquisitionCost + expected.periodCost;
  expectExact(row.roi.defined ? row.roi.exact : undefined, expected.revenue - totalCost, totalCost);
  // The rendered money: CAC to 4 decimal places of a fen, i.e. within half a unit of the last place.
  if (!row.cac.defined) throw new Error('CAC undefined');
  expect(Math.abs(Number(row.cac.minor) - expected.acquisitionCost / expected.valid)).toBeLessThanOrEqual(
    0.00005,
  );
}

describe('evaluating a campaign from its facts', () => {
  let seeded: SeededCampaign;
  let first: { reportId: string; version: number; reused: boolean };

  beforeAll(async () => {
    seeded = await seedCampaign(ctx.db, { seed: 7, registrations: 400 });
    first = await evaluateCampaign({ campaignId: seeded.campaignId, provisional: false });
  });

  it('stores a final report whose overall figures equal an independent computation', async () => {
    expect(first).toMatchObject({ version: 1, reused: false });
    const { row, report } = await storedReport(first.reportId);
    expect(row).toMatchObject({ campaignId: seeded.campaignId, provisional: false, planVersion: 1 });
    expect(report.status).toBe('final');
    expect(report.checks.allHold).toBe(true);
    const overall = expectedTotals(seeded);
    expectSegment(report.overall, overall, 'CNY');
    expect(report.overall.funnel.placements).toBe(4); // the failed placement never reached its channel
    expect(report.overall.funnel.flaggedByReason).toEqual(
      [...overall.flaggedByReason.entries()].sort().map(([reason, count]) => ({ reason, count })),
    );
    expect(report.facts.excludedRevenue).toEqual({
      flaggedRegistrationsMinor: 7777,
      withoutRegistrationMinor: 3333,
      withoutRegistrationEntries: 1,
      outsidePeriodMinor: 0,
    });
    expect(report.overall.timeToActivate).toEqual({
      medianSeconds: nearestRank(overall.delays, 0.5),
      p90Seconds: nearestRank(overall.delays, 0.9),
    });
    // Which costs fed which ratio is stated with the report.
    expect(report.definitions.costScopes.acquisition).toMatch(/CAC, AAC/);
    expect(report.facts.sources.periodRevenue).toMatch(/kind=revenue scope=period/);
  });

  it('gives per-channel, per-material and per-cohort rows equal to independent computations', async () => {
    const { report } = await storedReport(first.reportId);
    for (const channelId of seeded.channelIds) {
      const row = report.byChannel.find((r) => r.key === channelId);
      const expected = expectedTotals(seeded, { channelId });
      expectSegment(row, expected, 'CNY');
      expect(row!.timeToActivate).toEqual({
        medianSeconds: nearestRank(expected.delays, 0.5),
        p90Seconds: nearestRank(expected.delays, 0.9),
      });
    }
    for (const variantKey of ['v1', 'v2']) {
      expectSegment(
        report.byMaterial.find((r) => r.key === variantKey),
        expectedTotals(seeded, { variantKey }),
        'CNY',
      );
    }
    for (const cohortKey of seeded.cohortKeys) {
      const row = report.byCohort.find((r) => r.key === cohortKey);
      expectSegment(row, expectedTotals(seeded, { cohortKey }), 'CNY');
      expect(row!.mature).toBe(true);
    }
    // Placement fees have no cohort: they are the cohort dimension's unattributed cost.
    expect(report.unattributedCosts.cohort.acquisition.minor).toBe(4 * 20_000);
  });

  it('reports lift against the control group with an independently computed z-test', async () => {
    const { report } = await storedReport(first.reportId);
    const overall = expectedTotals(seeded);
    const activated = (rs: typeof overall.control) =>
      rs.filter((r) => r.activationDelaySeconds !== null).length;
    const [t, c] = [overall.treatment, overall.control];
    if (!report.lift.defined || !report.lift.pooled.defined) throw new Error('expected lift');
    const pooled = report.lift.pooled;
    expect(report.lift.control).toMatchObject({
      group: 'control',
      registrations: c.length,
      activated: activated(c),
    });
    expect(pooled).toMatchObject({ registrations: t.length, activated: activated(t) });
    expectExact(
      pooled.difference.defined ? pooled.difference.exact : undefined,
      BigInt(activated(t)) * BigInt(c.length) - BigInt(activated(c)) * BigInt(t.length),
      BigInt(t.length) * BigInt(c.length),
    );
    const z = pooledZ(activated(t), t.length, activated(c), c.length);
    if (!pooled.zTest.defined) throw new Error('expected a z-test');
    expectFourSignificant(pooled.zTest.z, z);
    expectFourSignificant(pooled.zTest.pValue, twoSidedP(z));
    const controlRefs = new Set(c.map((r) => r.customerRef));
    expect(report.lift.control.revenue.minor).toBe(overall.revenueOf(controlRefs));
  });

  it('returns the same report when the facts have not changed (activity retry), without a new version', async () => {
    const again = await evaluateCampaign({ campaignId: seeded.campaignId, provisional: false });
    expect(again).toEqual({ ...first, reused: true });
    expect(await ctx.db.evaluationReport.count({ where: { campaignId: seeded.campaignId } })).toBe(1);
  });

  it('makes a new version for a late correction and keeps the old one unchanged', async () => {
    const before = await storedReport(first.reportId);
    const refund = seeded.registrations.find(
      (r) => r.flagReason === null && r.activationDelaySeconds !== null,
    )!;
    await ctx.db.ledgerEntry.create({
      data: {
        id: `${seeded.campaignId}:correction`,
        campaignId: seeded.campaignId,
        kind: 'revenue',
        scope: 'period',
        category: 'revenue',
        channelId: refund.channelId,
        variantKey: refund.variantKey,
        cohortKey: refund.cohortKey,
        customerRef: refund.customerRef,
        amountMinor: -1234n,
        currency: 'CNY',
        occurredAt: new Date(),
      },
    });
    const second = await evaluateCampaign({ campaignId: seeded.campaignId, provisional: false });
    expect(second).toMatchObject({ version: 2, reused: false });
    const after = await storedReport(second.reportId);
    expect(after.report.overall.revenue.minor).toBe(before.report.overall.revenue.minor - 1234);
    expect(after.row.factsDigest).not.toBe(before.row.factsDigest);
    const old = await storedReport(first.reportId);
    expect(old.row).toEqual(before.row);

    const latest = await request(ctx.app).get(`/campaigns/${seeded.campaignId}/evaluation`);
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({ version: 2, provisional: false, status: 'final' });
    const v1 = await request(ctx.app).get(`/campaigns/${seeded.campaignId}/evaluation?version=1`);
    expect(v1.body.report.overall.revenue.minor).toBe(before.report.overall.revenue.minor);
    const versions = await request(ctx.app).get(`/campaigns/${seeded.campaignId}/evaluations`);
    expect(versions.body.items.map((item: { version: number }) => item.version)).toEqual([2, 1]);
  });

  it('exports the per-channel and per-material tables as CSV', async () => {
    const res = await request(ctx.app).get(
      `/campaigns/${seeded.campaignId}/evaluation/channels.csv?version=1`,
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="evaluation-.*-v1-channels\.csv"/,
    );
    const [header, ...lines] = res.text.trimEnd().split('\r\n');
    const columns = header!.split(',');
    expect(lines).toHaveLength(seeded.channelIds.length);
    for (const line of lines) {
      const cells = Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell]));
      const expected = expectedTotals(seeded, { channelId: cells.key });
      expect(cells).toMatchObject({
        dimension: 'channel',
        currency: 'CNY',
        registrationsValid: String(expected.valid),
        activated: String(expected.activated),
        acquisitionCostMinor: String(expected.acquisitionCost),
        periodCostMinor: String(expected.periodCost),
        revenueMinor: String(expected.revenue),
      });
    }
    const materials = await request(ctx.app).get(`/campaigns/${seeded.campaignId}/evaluation/materials.csv`);
    expect(materials.status).toBe(200);
    expect(
      materials.text
        .split('\r\n')
        .filter(Boolean)
        .map((l) => l.split(',')[1]),
    ).toEqual(['key', 'v1', 'v2']);
  });
});

describe('provisional evaluations', () => {
  it('marks immature cohorts and the report provisional, and reuses it while the facts stay the same', async () => {
    const seeded = await seedCampaign(ctx.db, { seed: 11, registrations: 90, lastCohortImmature: true });
    const none = await request(ctx.app).get(`/campaigns/${seeded.campaignId}/evaluation`);
    expect(none.status).toBe(404);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(none.body.detail).toMatch(/has no evaluation yet/);

    const res = await request(ctx.app).post(`/campaigns/${seeded.campaignId}/evaluation`).send({});
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/campaigns/${seeded.campaignId}/evaluation?version=1`);
    expect(res.body).toMatchObject({ version: 1, provisional: true, status: 'provisional', reused: false });
    const mature = Object.fromEntries(
      (res.body.report.byCohort as SegmentMetrics[]).map((row) => [row.key, row.mature]),
    );
    expect(mature).toEqual({ c1: true, c2: true, c3: false });
    expectSegment(res.body.report.overall, expectedTotals(seeded), 'CNY');

    const again = await request(ctx.app).post(`/campaigns/${seeded.campaignId}/evaluation`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: res.body.id, version: 1, reused: true });

    // An evaluation asked for as final while a cohort still runs cannot be final: it is the same
    // provisional report over the same facts, so it is reused rather than stored again.
    const finalRun = await evaluateCampaign({ campaignId: seeded.campaignId, provisional: false });
    expect(finalRun).toEqual({ reportId: res.body.id, version: 1, reused: true });
  });

  it('answers 404 for an unknown campaign or version and 400 for a malformed id', async () => {
    const seeded = await seedCampaign(ctx.db, { seed: 12, registrations: 30 });
    await evaluateCampaign({ campaignId: seeded.campaignId, provisional: false });
    expect((await request(ctx.app).get(`/campaigns/${seeded.campaignId}/evaluation?version=9`)).status).toBe(
      404,
    );
    expect(
      (await request(ctx.app).get(`/campaigns/00000000-0000-4000-8000-000000000000/evaluation`)).status,
    ).toBe(404);
    const bad = await request(ctx.app).get('/campaigns/not-a-uuid/evaluation');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('params.id');
  });
});

describe('a campaign in which nobody activated', () => {
  it('reports AAC and time to activate as undefined with the reason, never 0', async () => {
    const seeded = await seedCampaign(ctx.db, { seed: 14, registrations: 40, activationRate: () => 0 });
    const { reportId } = await evaluateCampaign({ campaignId: seeded.campaignId, provisional: false });
    const { report } = await storedReport(reportId);
    expect(report.overall.funnel.activated).toBe(0);
    expect(report.overall.aac).toEqual({ defined: false, reason: 'no_activations' });
    expect(report.overall.timeToActivate).toBeNull();
    expectExact(
      report.overall.cac.defined ? report.overall.cac.exact : undefined,
      expectedTotals(seeded).acquisitionCost,
      expectedTotals(seeded).valid,
    );
  });
});

describe('facts that cannot be evaluated', () => {
  it('refuses a ledger in another currency: 422 from the API, a non-retryable failure from the activity', async () => {
    const seeded = await seedCampaign(ctx.db, { seed: 13, registrations: 30 });
    await ctx.db.ledgerEntry.create({
      data: {
        id: `${seeded.campaignId}:usd`,
        campaignId: seeded.campaignId,
        kind: 'cost',
        scope: 'acquisition',
        category: 'agency_fee',
        channelId: seeded.channelIds[0]!,
        amountMinor: 100n,
        currency: 'USD',
        occurredAt: new Date(),
      },
    });
    const res = await request(ctx.app).post(`/campaigns/${seeded.campaignId}/evaluation`);
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(
      /1 cost entries in USD \(category agency_fee\); the campaign currency is CNY/,
    );
    await expect(
      evaluateCampaign({ campaignId: seeded.campaignId, provisional: false }),
    ).rejects.toMatchObject({
      nonRetryable: true,
      type: 'EvaluationFactsError',
    });
    expect(await ctx.db.evaluationReport.count({ where: { campaignId: seeded.campaignId } })).toBe(0);
  });
});
