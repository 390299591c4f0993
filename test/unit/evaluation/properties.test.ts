// Property tests over many random campaigns from a seeded generator (no extra libraries): the AAC
// identity holds exactly on every row, every dimension adds up to totals recomputed here from the raw
// buckets, every rendered decimal is the exact value rounded to its stated places, and the report
// does not depend on bucket order; and each report is exactly what its zod schema describes.
import { buildEvaluation } from '../../../evaluation';
import type { EvaluationInput, MoneyRatioValue, RatioValue, SegmentMetrics } from '../../../evaluation';
import { EvaluationReportBodySchema } from '../../../evaluation/report-schema';
import { seededRandom } from '../../../simulator/random';

/** Whole numbers in [0, below) from the project's seeded mulberry32: every failure is reproducible by seed. */
function generator(seed: number): (below: number) => number {
  const random = seededRandom(seed);
  return (below) => Math.floor(random() * below);
}

function randomCampaign(seed: number): EvaluationInput {
  const random = generator(seed);
  const pick = <T>(items: readonly T[]): T => items[random(items.length)] as T;
  const channels = ['app', 'wechat', 'branch', 'e-shop'].slice(0, 1 + random(4));
  const materials = ['discount', 'must-eat', 'video'].slice(0, 1 + random(3));
  const cohorts = ['d1', 'd2', 'd3', 'd4'].slice(0, 1 + random(4));
  const arms = random(3) === 0 ? ['treatment'] : ['control', 'mens', 'womens'].slice(0, 2 + random(2));
  const orNull = (value: string) => (random(3) === 0 ? null : value);
  const registrations = Array.from({ length: random(25) }, () => {
    const count = random(4) === 0 ? 0 : random(200);
    return {
      channelId: pick(channels),
      materialVariant: pick(materials),
      cohortKey: pick(cohorts),
      group: pick(arms),
      registrations: count,
      activated: random(3) === 0 ? 0 : random(count + 1),
      periodRevenueMinor: random(2_000_000) - 10_000,
    };
  });
  return {
    currency: pick(['CNY', 'JPY', 'KWD']),
    controlGroup: arms.includes('control') ? 'control' : null,
    registrations,
    flagged: Array.from({ length: random(8) }, () => ({
      channelId: pick(channels),
      materialVariant: pick(materials),
      cohortKey: pick(cohorts),
      reason: pick(['fraud', 'duplicate', 'bot']),
      count: 1 + random(20),
    })),
    costs: Array.from({ length: random(15) }, () => ({
      scope: pick(['acquisition', 'period'] as const),
      category: pick(['placement_fee', 'incentive', 'messages', 'reward']),
      channelId: orNull(pick(channels)),
      materialVariant: orNull(pick(materials)),
      cohortKey: orNull(pick(cohorts)),
      amountMinor: random(5) === 0 ? 0 : random(10_000_000),
    })),
    placements: Array.from({ length: random(6) }, () => ({
      channelId: pick(channels),
      materialVariant: pick(materials),
      placements: random(5),
    })),
    timeToActivate: [],
  };
}

function sum<T>(items: readonly T[], of: (item: T) => number): bigint {
  return items.reduce((total, item) => total + BigInt(of(item)), 0n);
}

/** Problems found in one report; asserted empty once per seed, so a failure names its seed. */
type Problems = string[];

function same(problems: Problems, what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) problems.push(`${what}: ${String(actual)} ≠ ${String(expected)}`);
}

/** A rendered decimal must be its exact value rounded to `places`: |decimal − exact| ≤ ½ unit. */
function checkRounded(
  problems: Problems,
  what: string,
  rendered: string,
  exact: { numerator: string; denominator: string },
  places: number,
): void {
  const [whole = '', fraction = ''] = rendered.replace('-', '').split('.');
  same(problems, `${what} places`, fraction.length, places);
  const scaled = BigInt(whole + fraction) * (rendered.startsWith('-') ? -1n : 1n);
  const denominator = BigInt(exact.denominator);
  const error = scaled * denominator - BigInt(exact.numerator) * 10n ** BigInt(places);
  if (2n * (error < 0n ? -error : error) > denominator)
    problems.push(`${what}: ${rendered} is not rounded exact`);
}

function checkRendering(problems: Problems, row: SegmentMetrics, exponent: number): void {
  const where = `${row.dimension} ${row.key}`;
  const ratios: [string, RatioValue][] = [
    ['activationRate', row.activationRate],
    ['registrationsPerPlacement', row.registrationsPerPlacement],
    ['lroi', row.lroi],
    ['roi', row.roi],
  ];
  for (const [name, ratio] of ratios) {
    if (ratio.defined) checkRounded(problems, `${where} ${name}`, ratio.value, ratio.exact, 6);
  }
  const money: [string, MoneyRatioValue][] = [
    ['cac', row.cac],
    ['aac', row.aac],
    ['revenuePerCustomer', row.revenuePerCustomer],
  ];
  const digits = (text: string) => text.replace('.', '').replace(/^(-?)0+(?=\d)/, '$1');
  for (const [name, ratio] of money) {
    if (!ratio.defined) continue;
    checkRounded(problems, `${where} ${name}`, ratio.minor, ratio.exact, 4);
    // major is the same digits with the point moved by the currency's exponent.
    same(problems, `${where} ${name} major digits`, digits(ratio.major), digits(ratio.minor));
    same(problems, `${where} ${name} major places`, ratio.major.split('.')[1]?.length, 4 + exponent);
  }
}

/** AAC = CAC ÷ activation rate, by cross-multiplying the exact parts: aₙ·c_d·rₙ = cₙ·r_d·a_d. */
function checkIdentity(problems: Problems, row: SegmentMetrics): void {
  const where = `${row.dimension} ${row.key}`;
  const { cac, aac, activationRate } = row;
  if (aac.defined) {
    if (!cac.defined || !activationRate.defined) {
      problems.push(`${where}: AAC defined without CAC and activation rate`);
      return;
    }
    const [an, ad] = [BigInt(aac.exact.numerator), BigInt(aac.exact.denominator)];
    const [cn, cd] = [BigInt(cac.exact.numerator), BigInt(cac.exact.denominator)];
    const [rn, rd] = [BigInt(activationRate.exact.numerator), BigInt(activationRate.exact.denominator)];
    if (rn === 0n) problems.push(`${where}: AAC defined with a zero activation rate`);
    if (an * cd * rn !== cn * rd * ad) problems.push(`${where}: AAC ≠ CAC ÷ activation rate`);
  } else {
    same(problems, `${where} AAC reason`, aac.reason, 'no_activations');
    same(problems, `${where} activated`, row.funnel.activated, 0);
    if (activationRate.defined)
      same(problems, `${where} activation rate`, activationRate.exact.numerator, '0');
  }
}

const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);

function problemsOf(input: EvaluationInput): Problems {
  const problems: Problems = [];
  const report = buildEvaluation(input);
  const exponent = report.definitions.minorUnitExponent;
  for (const item of report.checks.items)
    if (!item.holds) problems.push(`check ${item.name}: ${item.details}`);

  // Overall totals, recomputed here from the raw buckets.
  const costIn = (scope: string) =>
    sum(
      input.costs.filter((c) => c.scope === scope),
      (c) => c.amountMinor,
    );
  const acquisition = costIn('acquisition');
  const period = costIn('period');
  const { overall } = report;
  const totals = {
    registrationsValid: sum(input.registrations, (b) => b.registrations),
    activated: sum(input.registrations, (b) => b.activated),
    registrationsFlagged: sum(input.flagged, (b) => b.count),
    revenue: sum(input.registrations, (b) => b.periodRevenueMinor),
    placements: sum(input.placements, (b) => b.placements),
  };
  same(
    problems,
    'overall registrations',
    BigInt(overall.funnel.registrationsValid),
    totals.registrationsValid,
  );
  same(problems, 'overall activated', BigInt(overall.funnel.activated), totals.activated);
  same(problems, 'overall flagged', BigInt(overall.funnel.registrationsFlagged), totals.registrationsFlagged);
  same(problems, 'overall placements', BigInt(overall.funnel.placements ?? -1), totals.placements);
  same(problems, 'overall revenue', BigInt(overall.revenue.minor), totals.revenue);
  same(problems, 'overall acquisition', BigInt(overall.costs.acquisition.minor), acquisition);
  same(problems, 'overall period', BigInt(overall.costs.period.minor), period);

  // Every dimension's rows, plus that dimension's unattributed costs, add up to the same totals.
  const dimensions = [
    ['channel', report.byChannel, report.unattributedCosts.channel],
    ['material', report.byMaterial, report.unattributedCosts.material],
    ['cohort', report.byCohort, report.unattributedCosts.cohort],
  ] as const;
  for (const [dimension, rows, unattributed] of dimensions) {
    const keys = rows.map((row) => row.key);
    same(
      problems,
      `${dimension} keys sorted and unique`,
      keys.join('|'),
      [...new Set(keys)].sort().join('|'),
    );
    same(
      problems,
      `${dimension} dimension`,
      rows.every((row) => row.dimension === dimension),
      true,
    );
    same(
      problems,
      `${dimension} registrations`,
      sum(rows, (r) => r.funnel.registrationsValid),
      totals.registrationsValid,
    );
    same(
      problems,
      `${dimension} activated`,
      sum(rows, (r) => r.funnel.activated),
      totals.activated,
    );
    same(
      problems,
      `${dimension} flagged`,
      sum(rows, (r) => r.funnel.registrationsFlagged),
      totals.registrationsFlagged,
    );
    same(
      problems,
      `${dimension} revenue`,
      sum(rows, (r) => r.revenue.minor),
      totals.revenue,
    );
    const rowCost = (scope: 'acquisition' | 'period') => sum(rows, (r) => r.costs[scope].minor);
    same(
      problems,
      `${dimension} acquisition`,
      rowCost('acquisition') + BigInt(unattributed.acquisition.minor),
      acquisition,
    );
    same(problems, `${dimension} period`, rowCost('period') + BigInt(unattributed.period.minor), period);
    if (dimension !== 'cohort') {
      same(
        problems,
        `${dimension} placements`,
        sum(rows, (r) => r.funnel.placements ?? 0),
        totals.placements,
      );
    }
  }

  for (const row of [overall, ...report.byChannel, ...report.byMaterial, ...report.byCohort]) {
    checkIdentity(problems, row);
    checkRendering(problems, row, exponent);
    const where = `${row.dimension} ${row.key}`;
    same(
      problems,
      `${where} total cost`,
      row.costs.total.minor,
      row.costs.acquisition.minor + row.costs.period.minor,
    );
    same(
      problems,
      `${where} arms`,
      row.funnel.controlRegistrations + row.funnel.treatmentRegistrations,
      row.funnel.registrationsValid,
    );
  }

  if (report.lift.defined && report.lift.pooled.defined) {
    const armSum = report.lift.arms.reduce((total, arm) => total + arm.registrations, 0);
    same(problems, 'pooled registrations', report.lift.pooled.registrations, armSum);
  }

  // The order of the buckets does not matter.
  const reordered: EvaluationInput = {
    ...input,
    registrations: [...input.registrations].reverse(),
    costs: [...input.costs].reverse(),
    flagged: [...input.flagged].reverse(),
    placements: [...input.placements].reverse(),
  };
  same(
    problems,
    'report under reordering',
    JSON.stringify(buildEvaluation(reordered)),
    JSON.stringify(report),
  );
  return problems;
}

describe('evaluation properties over random campaigns', () => {
  it(`hold for ${SEEDS.length} seeded campaigns`, () => {
    const failures = SEEDS.map((seed) => ({ seed, problems: problemsOf(randomCampaign(seed)) })).filter(
      (result) => result.problems.length > 0,
    );
    expect(failures).toEqual([]);
  });

  it('give reports that are exactly what the report schema describes (no field more or less)', () => {
    // 50 seeds: parsing a whole report is slower than building it, and the shapes repeat soon.
    for (const seed of SEEDS.slice(0, 50)) {
      const report = buildEvaluation(randomCampaign(seed));
      // zod drops what the schema does not know, so any extra field makes the two differ.
      expect({ seed, report: EvaluationReportBodySchema.parse(report) }).toEqual({ seed, report });
    }
  });

  it('are exercised: the generator yields undefined ratios, unattributed costs and lift', () => {
    const reports = SEEDS.map((seed) => buildEvaluation(randomCampaign(seed)));
    const rows = reports.flatMap((r) => [r.overall, ...r.byChannel, ...r.byMaterial, ...r.byCohort]);
    expect(rows.filter((row) => row.aac.defined).length).toBeGreaterThan(100);
    expect(rows.filter((row) => !row.aac.defined && row.activationRate.defined).length).toBeGreaterThan(10);
    expect(rows.filter((row) => !row.lroi.defined).length).toBeGreaterThan(10);
    expect(reports.filter((r) => r.unattributedCosts.cohort.total.minor > 0).length).toBeGreaterThan(10);
    expect(reports.filter((r) => r.lift.defined && r.lift.pooled.defined).length).toBeGreaterThan(10);
  });
});
