// buildEvaluation over a small hand-computed campaign: every figure below was worked out by hand
// from the buckets (see the comments), so the report is checked against arithmetic done elsewhere.
import { buildEvaluation, EvaluationInputError } from '../../../evaluation';
import type { EvaluationInput, SegmentMetrics } from '../../../evaluation';
import { checkAacIdentity, checkSums } from '../../../evaluation/checks';
import { rational } from '../../../evaluation/rational';
import type { BuiltSegment } from '../../../evaluation/segment';

function campaign(): EvaluationInput {
  return {
    currency: 'CNY',
    controlGroup: 'control',
    registrations: [
      reg('app', 'discount', 'd1', 'treatment', 40, 10, 20_000),
      reg('app', 'discount', 'd1', 'control', 10, 1, 1_000),
      reg('wechat', 'must-eat', 'd2', 'treatment', 30, 6, 9_000),
      reg('wechat', 'discount', 'd2', 'control', 5, 0, 0),
    ],
    flagged: [
      { channelId: 'app', materialVariant: 'discount', cohortKey: 'd1', reason: 'fraud', count: 3 },
      { channelId: 'wechat', materialVariant: 'must-eat', cohortKey: 'd2', reason: 'duplicate', count: 2 },
      { channelId: 'app', materialVariant: 'discount', cohortKey: 'd2', reason: 'duplicate', count: 1 },
    ],
    costs: [
      cost('acquisition', 'placement_fee', 'app', 'discount', null, 30_000),
      cost('acquisition', 'placement_fee', 'wechat', 'must-eat', null, 20_000),
      cost('acquisition', 'incentive', 'app', 'discount', 'd1', 5_000),
      cost('acquisition', 'incentive', 'wechat', 'must-eat', 'd2', 3_000),
      cost('period', 'messages', 'wechat', null, null, 1_000),
      cost('period', 'activation_reward', 'app', 'discount', 'd1', 2_000),
      cost('acquisition', 'agency_fee', null, null, null, 6_000),
    ],
    placements: [
      { channelId: 'app', materialVariant: 'discount', placements: 2 },
      { channelId: 'wechat', materialVariant: 'must-eat', placements: 1 },
      { channelId: 'wechat', materialVariant: 'discount', placements: 1 },
    ],
    timeToActivate: [
      { dimension: 'overall', key: '', medianSeconds: 3600, p90Seconds: 86_400 },
      { dimension: 'channel', key: 'app', medianSeconds: 1800, p90Seconds: 7200 },
      { dimension: 'cohort', key: 'd2', medianSeconds: 100, p90Seconds: 200 },
    ],
  };
}

function reg(
  channelId: string,
  materialVariant: string,
  cohortKey: string,
  group: string,
  registrations: number,
  activated: number,
  periodRevenueMinor: number,
) {
  return { channelId, materialVariant, cohortKey, group, registrations, activated, periodRevenueMinor };
}

function cost(
  scope: 'acquisition' | 'period',
  category: string,
  channelId: string | null,
  materialVariant: string | null,
  cohortKey: string | null,
  amountMinor: number,
) {
  return { scope, category, channelId, materialVariant, cohortKey, amountMinor };
}

function row(rows: readonly SegmentMetrics[], key: string): SegmentMetrics {
  const found = rows.find((candidate) => candidate.key === key);
  if (!found) throw new Error(`no row ${key}`);
  return found;
}

describe('fraud found after the fact', () => {
  // app/discount/d1 had 40 + 10 valid; 2 of its 3 'fraud' exclusions were flagged after the fact.
  const input = {
    ...campaign(),
    fraudFlagged: [
      { channelId: 'app', materialVariant: 'discount', cohortKey: 'd1', reason: 'device_farm', count: 2 },
    ],
  };
  const flagged = buildEvaluation(input);

  it('reports the fraud rate per channel as flagged-later ÷ (valid + flagged-later), exactly', () => {
    const app = row(flagged.byChannel, 'app');
    expect(app.funnel.registrationsFraudFlagged).toBe(2);
    // app: 40 + 10 valid in d1, 0 in d2 → 2 ÷ 52.
    expect(app.fraudRate).toMatchObject({ defined: true, exact: { numerator: '1', denominator: '26' } });
    expect(row(flagged.byChannel, 'wechat').fraudRate).toMatchObject({ defined: true, value: '0.000000' });
    // Overall: 85 valid → 2 ÷ 87.
    expect(flagged.overall.fraudRate).toMatchObject({
      defined: true,
      exact: { numerator: '2', denominator: '87' },
    });
  });

  it('leaves every other figure as it was (the flagged registrations are already out of the funnel)', () => {
    const plain = buildEvaluation(campaign());
    expect(flagged.overall.cac).toEqual(plain.overall.cac);
    expect(flagged.overall.funnel.registrationsValid).toBe(plain.overall.funnel.registrationsValid);
  });
});

describe('buildEvaluation', () => {
  const report = buildEvaluation(campaign());

  it('computes the overall funnel, costs and ratios', () => {
    const { overall } = report;
    expect(overall.funnel).toEqual({
      placements: 4,
      // No channel sent a delivery report: no figures, rather than zeros.
      impressions: null,
      clicks: null,
      registrationsStarted: null,
      registrationsValid: 85,
      registrationsFlagged: 6,
      flaggedByReason: [
        { reason: 'duplicate', count: 3 },
        { reason: 'fraud', count: 3 },
      ],
      registrationsFraudFlagged: 0,
      activated: 17,
      controlRegistrations: 15,
      controlActivated: 1,
      treatmentRegistrations: 70,
      treatmentActivated: 16,
    });
    expect(overall.costs.acquisition).toEqual({ minor: 64_000, currency: 'CNY' });
    expect(overall.costs.period.minor).toBe(3_000);
    expect(overall.costs.total.minor).toBe(67_000);
    expect(overall.costs.byCategory.map((c) => `${c.scope}/${c.category}=${c.amount.minor}`)).toEqual([
      'acquisition/agency_fee=6000',
      'acquisition/incentive=8000',
      'acquisition/placement_fee=50000',
      'period/activation_reward=2000',
      'period/messages=1000',
    ]);
    // CAC = 64000 / 85 = 752.94117…; AAC = 64000 / 17 = 3764.70588…
    expect(overall.cac).toEqual({
      defined: true,
      currency: 'CNY',
      minor: '752.9412',
      major: '7.529412',
      exact: { numerator: '12800', denominator: '17' },
    });
    expect(overall.aac).toMatchObject({ minor: '3764.7059', major: '37.647059' });
    expect(overall.activationRate).toEqual({
      defined: true,
      value: '0.200000',
      exact: { numerator: '1', denominator: '5' },
    });
    expect(overall.registrationsPerPlacement).toMatchObject({ value: '21.250000' });
    expect(overall.revenuePerCustomer).toMatchObject({ minor: '352.9412' });
    expect(overall.lroi).toMatchObject({ value: '10.000000' }); // 30000 / 3000 (period scope)
    expect(overall.roi).toEqual({
      defined: true,
      value: '-0.552239',
      exact: { numerator: '-37', denominator: '67' }, // (30000 − 67000) / 67000
    });
    expect(overall.timeToActivate).toEqual({ medianSeconds: 3600, p90Seconds: 86_400 });
    expect(overall.arms.map((arm) => [arm.group, arm.role, arm.registrations, arm.activated])).toEqual([
      ['control', 'control', 15, 1],
      ['treatment', 'treatment', 70, 16],
    ]);
  });

  it('computes per-channel rows, with unattributed costs kept apart', () => {
    expect(report.byChannel.map((r) => r.key)).toEqual(['app', 'wechat']);
    const app = row(report.byChannel, 'app');
    expect(app.funnel.registrationsValid).toBe(50);
    expect(app.funnel.flaggedByReason).toEqual([
      { reason: 'duplicate', count: 1 },
      { reason: 'fraud', count: 3 },
    ]);
    expect(app.cac).toMatchObject({ minor: '700.0000' }); // 35000 / 50
    expect(app.aac).toMatchObject({ minor: '3181.8182' }); // 35000 / 11
    expect(app.lroi).toMatchObject({ value: '10.500000' }); // 21000 / 2000
    expect(app.roi).toMatchObject({ value: '-0.432432' }); // (21000 − 37000) / 37000
    expect(app.timeToActivate).toEqual({ medianSeconds: 1800, p90Seconds: 7200 });
    const wechat = row(report.byChannel, 'wechat');
    expect(wechat.costs.acquisition.minor).toBe(23_000);
    expect(wechat.funnel.placements).toBe(2);
    expect(wechat.timeToActivate).toBeNull();
    expect(report.unattributedCosts.channel.acquisition.minor).toBe(6_000);
    expect(report.unattributedCosts.channel.period.minor).toBe(0);
  });

  it('computes per-material rows, undefined LROI without period cost', () => {
    const mustEat = row(report.byMaterial, 'must-eat');
    expect(mustEat.lroi).toEqual({ defined: false, reason: 'zero_cost' });
    expect(mustEat.roi).toMatchObject({ value: '-0.608696' }); // (9000 − 23000) / 23000
    const discount = row(report.byMaterial, 'discount');
    expect(discount.funnel.placements).toBe(3);
    expect(discount.funnel.registrationsValid).toBe(55);
    expect(discount.funnel.controlRegistrations).toBe(15);
    expect(report.unattributedCosts.material.acquisition.minor).toBe(6_000);
    expect(report.unattributedCosts.material.period.minor).toBe(1_000);
  });

  it('computes per-cohort rows without placements', () => {
    const d1 = row(report.byCohort, 'd1');
    expect(d1.funnel.placements).toBeNull();
    expect(d1.registrationsPerPlacement).toEqual({ defined: false, reason: 'not_attributable' });
    expect(d1.cac).toMatchObject({ minor: '100.0000' }); // 5000 / 50: incentives only
    expect(d1.mature).toBeNull();
    expect(row(report.byCohort, 'd2').timeToActivate).toEqual({ medianSeconds: 100, p90Seconds: 200 });
    expect(report.unattributedCosts.cohort.acquisition.minor).toBe(56_000);
  });

  it('reports lift against the control group', () => {
    if (!report.lift.defined) throw new Error('expected lift');
    expect(report.lift.control).toMatchObject({ group: 'control', registrations: 15, activated: 1 });
    const [arm] = report.lift.arms;
    expect(report.lift.arms).toHaveLength(1);
    expect(arm?.groups).toEqual(['treatment']);
    // 16/70 − 1/15 = 17/105; relative 17/105 ÷ 1/15 = 17/7
    expect(arm?.difference).toEqual({
      defined: true,
      value: '0.161905',
      exact: { numerator: '17', denominator: '105' },
    });
    expect(arm?.relativeLift).toMatchObject({ value: '2.428571' });
    // 29000/70 − 1000/15 = 7300/21
    expect(arm?.revenuePerCustomerDifference).toMatchObject({ minor: '347.6190', major: '3.476190' });
    expect(arm?.zTest.defined).toBe(true);
    expect(report.lift.pooled).toEqual(arm);
  });

  it('passes its own checks and states its definitions', () => {
    expect(report.checks.allHold).toBe(true);
    expect(report.checks.items.map((item) => item.name)).toEqual([
      'aac_identity',
      'channel_sums',
      'material_sums',
      'cohort_sums',
      'arm_sums',
    ]);
    expect(report.status).toBe('final');
    expect(report.definitions.precision).toMatchObject({
      moneyPerCustomerDecimalPlacesOfMinorUnits: 4,
      dimensionlessDecimalPlaces: 6,
      rounding: 'half-even',
    });
    expect(report.definitions.costScopes.acquisition).toMatch(/CAC, AAC/);
    expect(report.definitions.costScopes.period).toMatch(/LROI/);
    expect(report.definitions.controlGroup).toMatch(/include every arm/);
  });

  it('is identical however the buckets are ordered', () => {
    const shuffled = campaign();
    shuffled.registrations.reverse();
    shuffled.costs.reverse();
    shuffled.flagged.reverse();
    shuffled.placements.reverse();
    shuffled.timeToActivate.reverse();
    expect(JSON.stringify(buildEvaluation(shuffled))).toBe(JSON.stringify(report));
  });

  it('is plain JSON: no Infinity, NaN or undefined anywhere', () => {
    const text = JSON.stringify(report);
    expect(JSON.parse(text)).toEqual(report);
    expect(text).not.toMatch(/Infinity|NaN|null,"reason"/);
  });
});

describe('buildEvaluation edge cases', () => {
  it('reports undefined ratios with reasons for a campaign with no activations or costs', () => {
    const input = campaign();
    input.registrations = [reg('app', 'discount', 'd1', 'treatment', 5, 0, 0)];
    input.costs = [];
    input.flagged = [];
    input.timeToActivate = [];
    const { overall, lift } = buildEvaluation(input);
    expect(overall.aac).toEqual({ defined: false, reason: 'no_activations' });
    expect(overall.cac).toMatchObject({ minor: '0.0000' });
    expect(overall.activationRate).toMatchObject({ value: '0.000000' });
    expect(overall.lroi).toEqual({ defined: false, reason: 'zero_cost' });
    expect(overall.roi).toEqual({ defined: false, reason: 'zero_cost' });
    if (!lift.defined) throw new Error('expected lift');
    expect(lift.control.registrations).toBe(0);
    expect(lift.arms[0]?.difference).toEqual({ defined: false, reason: 'control_group_empty' });
    expect(lift.arms[0]?.zTest).toEqual({ defined: false, reason: 'control_group_empty' });
  });

  it('reports an empty campaign without a single number invented', () => {
    const report = buildEvaluation({
      currency: 'USD',
      controlGroup: null,
      registrations: [],
      flagged: [],
      costs: [],
      placements: [],
      timeToActivate: [],
    });
    expect(report.overall.cac).toEqual({ defined: false, reason: 'no_registrations' });
    expect(report.overall.activationRate).toEqual({ defined: false, reason: 'no_registrations' });
    expect(report.overall.registrationsPerPlacement).toEqual({ defined: false, reason: 'no_placements' });
    expect(report.lift).toEqual({ defined: false, reason: 'no_control_group' });
    expect(report.byChannel).toEqual([]);
    expect(report.checks.allHold).toBe(true);
  });

  it('gives relative lift as undefined when the control group never activates', () => {
    const input = campaign();
    input.registrations = [
      reg('app', 'discount', 'd1', 'treatment', 50, 5, 0),
      reg('app', 'discount', 'd1', 'control', 50, 0, 0),
    ];
    const { lift } = buildEvaluation(input);
    if (!lift.defined) throw new Error('expected lift');
    expect(lift.arms[0]?.difference).toMatchObject({ value: '0.100000' });
    expect(lift.arms[0]?.relativeLift).toEqual({ defined: false, reason: 'control_rate_zero' });
    expect(lift.arms[0]?.zTest.defined).toBe(true);
  });

  it('has no pooled lift when every arm is the control group', () => {
    const input = campaign();
    input.registrations = [reg('app', 'discount', 'd1', 'control', 50, 5, 0)];
    const { lift } = buildEvaluation(input);
    if (!lift.defined) throw new Error('expected lift');
    expect(lift.arms).toEqual([]);
    expect(lift.pooled).toEqual({ defined: false, reason: 'no_treatment_group' });
  });

  it('is provisional while a cohort is immature or of unknown maturity', () => {
    const input = campaign();
    input.cohortsMature = { d1: true, d2: false };
    const report = buildEvaluation(input);
    expect(report.status).toBe('provisional');
    expect(report.byCohort.map((r) => [r.key, r.mature])).toEqual([
      ['d1', true],
      ['d2', false],
    ]);
    input.cohortsMature = { d1: true, d2: true };
    expect(buildEvaluation(input).status).toBe('final');
    input.cohortsMature = { d1: true };
    expect(buildEvaluation(input).status).toBe('provisional');
  });

  it.each<[string, (input: EvaluationInput) => void, RegExp]>([
    ['activated above registrations', (i) => void (i.registrations[0]!.activated = 41), /activated exceeds/],
    ['a fractional amount', (i) => void (i.costs[0]!.amountMinor = 10.5), /amountMinor/],
    ['a negative count', (i) => void (i.placements[0]!.placements = -1), /placements/],
    [
      'an unsafe amount',
      (i) => void (i.registrations[0]!.periodRevenueMinor = 2 ** 60),
      /periodRevenueMinor/,
    ],
    ['a lower-case currency', (i) => void (i.currency = 'cny'), /ISO-4217/],
    ['an empty channel id', (i) => void (i.registrations[0]!.channelId = ''), /channelId/],
    [
      'a duplicate time-to-activate row',
      (i) => void i.timeToActivate.push({ dimension: 'overall', key: '', medianSeconds: 1, p90Seconds: 2 }),
      /two rows for overall:/,
    ],
    [
      'a time-to-activate row for no segment',
      (i) => void i.timeToActivate.push({ dimension: 'channel', key: 'tv', medianSeconds: 1, p90Seconds: 2 }),
      /match no segment: channel:tv/,
    ],
    [
      'p90 below the median',
      (i) => void (i.timeToActivate[0]!.p90Seconds = 1),
      /p90Seconds is below medianSeconds/,
    ],
  ])('refuses %s', (_, spoil, message) => {
    const input = campaign();
    spoil(input);
    expect(() => buildEvaluation(input)).toThrow(EvaluationInputError);
    expect(() => buildEvaluation(input)).toThrow(message);
  });
});

describe('checks can fail', () => {
  const report = buildEvaluation(campaign());

  it('notices rows that do not add up to the overall totals', () => {
    const [first, ...rest] = report.byChannel;
    const tampered = { ...first!, funnel: { ...first!.funnel, activated: first!.funnel.activated + 1 } };
    const result = checkSums(
      'channel',
      [tampered, ...rest],
      report.unattributedCosts.channel,
      report.overall,
    );
    expect(result.holds).toBe(false);
    expect(result.details.join('\n')).toMatch(/activated: channel rows sum to 18, overall is 17/);
    const withoutUnattributed = checkSums(
      'channel',
      report.byChannel,
      report.unattributedCosts.cohort,
      report.overall,
    );
    expect(withoutUnattributed.holds).toBe(false);
  });

  it('notices an AAC that is not CAC ÷ activation rate', () => {
    const segment = (aac: number): BuiltSegment => ({
      row: report.overall,
      exact: {
        cac: { defined: true, value: rational(12800, 17) },
        activationRate: { defined: true, value: rational(1, 5) },
        aac: { defined: true, value: rational(aac, 17) },
      },
    });
    expect(checkAacIdentity([segment(64_000)]).holds).toBe(true);
    expect(checkAacIdentity([segment(64_001)]).holds).toBe(false);
    const undefinedAac: BuiltSegment = {
      row: report.overall,
      exact: { ...segment(1).exact, aac: { defined: false, reason: 'no_activations' } },
    };
    expect(checkAacIdentity([undefinedAac]).holds).toBe(false);
  });
});

describe('buildEvaluation with delivery reports', () => {
  // app reported 20,000 impressions and 400 clicks for its discount placement; wechat 5,000 and 50 for
  // must-eat and nothing for its discount placement.
  const report = buildEvaluation({
    ...campaign(),
    delivery: [
      { channelId: 'app', materialVariant: 'discount', impressions: 20_000, clicks: 400 },
      { channelId: 'wechat', materialVariant: 'must-eat', impressions: 5_000, clicks: 50 },
    ],
  });

  it('counts impressions and clicks per channel and material, and overall, and still adds up', () => {
    expect(report.checks.allHold).toBe(true);
    expect(report.overall.funnel).toMatchObject({ impressions: 25_000, clicks: 450 });
    expect(row(report.byChannel, 'app').funnel).toMatchObject({ impressions: 20_000, clicks: 400 });
    expect(row(report.byChannel, 'wechat').funnel).toMatchObject({ impressions: 5_000, clicks: 50 });
    expect(row(report.byMaterial, 'discount').funnel).toMatchObject({ impressions: 20_000, clicks: 400 });
    expect(row(report.byMaterial, 'must-eat').funnel).toMatchObject({ impressions: 5_000, clicks: 50 });
  });

  it('computes click-through and registrations per click exactly', () => {
    // overall: 450 ÷ 25,000 = 0.018; 85 valid registrations ÷ 450 clicks = 0.1888…
    expect(report.overall.clickThroughRate).toMatchObject({
      defined: true,
      value: '0.018000',
      exact: { numerator: '9', denominator: '500' },
    });
    expect(report.overall.registrationsPerClick).toMatchObject({
      defined: true,
      value: '0.188889',
      exact: { numerator: '17', denominator: '90' },
    });
    // app: 400 ÷ 20,000 = 0.02; its 50 valid registrations ÷ 400 clicks = 0.125.
    expect(row(report.byChannel, 'app').clickThroughRate).toMatchObject({ value: '0.020000' });
    expect(row(report.byChannel, 'app').registrationsPerClick).toMatchObject({ value: '0.125000' });
  });

  it('leaves them undefined, with the reason, where nothing was reported and on cohorts', () => {
    // wechat's discount material was shown but its channel sent no report for it.
    const onlyUnreported = buildEvaluation({
      ...campaign(),
      delivery: [{ channelId: 'app', materialVariant: 'discount', impressions: 0, clicks: 0 }],
    });
    expect(row(onlyUnreported.byChannel, 'wechat').clickThroughRate).toEqual({
      defined: false,
      reason: 'not_reported',
    });
    expect(row(onlyUnreported.byChannel, 'app').clickThroughRate).toEqual({
      defined: false,
      reason: 'no_impressions',
    });
    expect(row(onlyUnreported.byChannel, 'app').registrationsPerClick).toEqual({
      defined: false,
      reason: 'no_clicks',
    });
    for (const cohort of report.byCohort) {
      expect(cohort.funnel).toMatchObject({ impressions: null, clicks: null });
      expect(cohort.clickThroughRate).toEqual({ defined: false, reason: 'not_attributable' });
    }
  });
});

describe('buildEvaluation with sign-ups started (where sign-ups drop)', () => {
  // app reported 400 clicks and 160 sign-ups started; wechat reported impressions and clicks for
  // must-eat but not sign-ups started (its system never sees the form).
  const report = buildEvaluation({
    ...campaign(),
    delivery: [
      {
        channelId: 'app',
        materialVariant: 'discount',
        impressions: 20_000,
        clicks: 400,
        registrationsStarted: 160,
      },
      { channelId: 'wechat', materialVariant: 'must-eat', impressions: 5_000, clicks: 50 },
    ],
  });

  it('carries the step per channel, per material and overall, and still adds up', () => {
    expect(report.checks.allHold).toBe(true);
    expect(report.overall.funnel).toMatchObject({ clicks: 450, registrationsStarted: 160 });
    expect(row(report.byChannel, 'app').funnel).toMatchObject({ clicks: 400, registrationsStarted: 160 });
    expect(row(report.byMaterial, 'discount').funnel).toMatchObject({ registrationsStarted: 160 });
    // Not reported is null, never 0.
    expect(row(report.byChannel, 'wechat').funnel.registrationsStarted).toBeNull();
    expect(row(report.byMaterial, 'must-eat').funnel.registrationsStarted).toBeNull();
  });

  it('computes starts per click and registrations per start exactly, undefined with the reason otherwise', () => {
    const app = row(report.byChannel, 'app');
    // 160 ÷ 400 = 0.4; app's 50 valid registrations ÷ 160 started = 0.3125.
    expect(app.startsPerClick).toMatchObject({ defined: true, value: '0.400000' });
    expect(app.registrationsPerStart).toMatchObject({
      defined: true,
      value: '0.312500',
      exact: { numerator: '5', denominator: '16' },
    });
    const wechat = row(report.byChannel, 'wechat');
    expect(wechat.startsPerClick).toEqual({ defined: false, reason: 'not_reported' });
    expect(wechat.registrationsPerStart).toEqual({ defined: false, reason: 'not_reported' });
    for (const cohort of report.byCohort) {
      expect(cohort.funnel.registrationsStarted).toBeNull();
      expect(cohort.registrationsPerStart).toEqual({ defined: false, reason: 'not_attributable' });
    }
    const none = buildEvaluation({
      ...campaign(),
      delivery: [
        {
          channelId: 'app',
          materialVariant: 'discount',
          impressions: 10,
          clicks: 0,
          registrationsStarted: 0,
        },
      ],
    });
    expect(row(none.byChannel, 'app').registrationsPerStart).toEqual({ defined: false, reason: 'no_starts' });
    expect(row(none.byChannel, 'app').startsPerClick).toEqual({ defined: false, reason: 'no_clicks' });
  });

  it('is checked: a row whose sign-ups started do not add up to the overall fails the sums check', () => {
    const overall = { ...report.overall, funnel: { ...report.overall.funnel, registrationsStarted: 161 } };
    expect(checkSums('channel', report.byChannel, report.unattributedCosts.channel, overall).holds).toBe(
      false,
    );
  });
});
