// Lift on real data: the Hillstrom e-mail experiment (64,000 customers, two treatment arms and a
// "No E-Mail" control). Conversions play the part of activations and spend that of period revenue.
// Expected z, p-values and intervals were computed with mpmath at 40 digits; z and the interval are
// also recomputed here from the counts, independently of the library.
import { sharedDataFile } from '../../support/shared-data';
import { readFileSync } from 'node:fs';
import { buildEvaluation } from '../../../evaluation';
import type { ArmLift, RegistrationBucket } from '../../../evaluation';

const CSV = sharedDataFile('hillstrom.csv');
const CONTROL = 'No E-Mail';

interface Arm {
  customers: number;
  conversions: number;
  spendCents: bigint;
}

/** Splits one line; history_segment is quoted where it holds a comma ("6) $750 - $1,000"). */
function splitLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

/** A tiny parser for this file: header row, comma-separated; spend in dollars with ≤ 2 decimals. */
function readHillstrom(): { buckets: RegistrationBucket[]; arms: Map<string, Arm> } {
  const [header, ...lines] = readFileSync(CSV, 'utf8').trim().split(/\r?\n/);
  const columns = splitLine(header!);
  const at = (name: string) => columns.indexOf(name);
  const [segment, channel, conversion, spend] = [at('segment'), at('channel'), at('conversion'), at('spend')];
  const arms = new Map<string, Arm>();
  const buckets = new Map<string, RegistrationBucket>();
  for (const line of lines) {
    const fields = splitLine(line);
    const group = fields[segment]!;
    const [dollars, cents = ''] = fields[spend]!.split('.');
    const spendCents = BigInt(dollars!) * 100n + BigInt(cents.padEnd(2, '0'));
    const converted = Number(fields[conversion]);
    const arm = arms.get(group) ?? { customers: 0, conversions: 0, spendCents: 0n };
    arm.customers += 1;
    arm.conversions += converted;
    arm.spendCents += spendCents;
    arms.set(group, arm);
    const key = `${fields[channel]}|${group}`;
    const bucket = buckets.get(key) ?? {
      channelId: fields[channel]!,
      materialVariant: 'e-mail',
      cohortKey: '2008-03',
      group,
      registrations: 0,
      activated: 0,
      periodRevenueMinor: 0,
    };
    bucket.registrations += 1;
    bucket.activated += converted;
    bucket.periodRevenueMinor += Number(spendCents);
    buckets.set(key, bucket);
  }
  return { buckets: [...buckets.values()], arms };
}

/** |actual − expected| within half a unit of the 4th significant digit of expected. */
function expectFourSignificant(actual: string, expected: number): void {
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(expected))) - 3);
  expect(Math.abs(Number(actual) - expected)).toBeLessThanOrEqual(unit / 2);
}

function independentZ(t: Arm, c: Arm): { z: number; lower: number; upper: number } {
  const p1 = t.conversions / t.customers;
  const p0 = c.conversions / c.customers;
  const p = (t.conversions + c.conversions) / (t.customers + c.customers);
  const z = (p1 - p0) / Math.sqrt(p * (1 - p) * (1 / t.customers + 1 / c.customers));
  const se = Math.sqrt((p1 * (1 - p1)) / t.customers + (p0 * (1 - p0)) / c.customers);
  return { z, lower: p1 - p0 - 1.959964 * se, upper: p1 - p0 + 1.959964 * se };
}

describe('lift on the Hillstrom experiment', () => {
  const { buckets, arms } = readHillstrom();
  const report = buildEvaluation({
    currency: 'USD',
    controlGroup: CONTROL,
    registrations: buckets,
    flagged: [],
    costs: [],
    placements: [],
    timeToActivate: [],
  });
  if (!report.lift.defined) throw new Error('expected lift');
  const lift = report.lift;
  const armLift = (group: string): ArmLift => {
    const found = lift.arms.find((arm) => arm.groups.join() === group);
    if (!found) throw new Error(`no arm ${group}`);
    return found;
  };

  it('reads the published arm sizes', () => {
    expect(arms.get('Mens E-Mail')).toMatchObject({ customers: 21_307, conversions: 267 });
    expect(arms.get('Womens E-Mail')).toMatchObject({ customers: 21_387, conversions: 189 });
    expect(arms.get(CONTROL)).toMatchObject({ customers: 21_306, conversions: 122 });
    expect(report.overall.funnel.registrationsValid).toBe(64_000);
    expect(report.checks.allHold).toBe(true);
  });

  it.each([
    ['Mens E-Mail', 7.385114411, 1.523223501e-13, 0.005000171366, 0.008609841673],
    ['Womens E-Mail', 3.779560958, 1.571051291e-4, 0.001498677809, 0.004723437213],
  ])('tests %s against control', (group, z, pValue, lower, upper) => {
    const result = armLift(group);
    if (!result.zTest.defined || !result.confidenceInterval95.defined) throw new Error('expected statistics');
    expectFourSignificant(result.zTest.z, z);
    expectFourSignificant(result.zTest.pValue, pValue);
    expectFourSignificant(result.confidenceInterval95.lower, lower);
    expectFourSignificant(result.confidenceInterval95.upper, upper);
    const mine = independentZ(arms.get(group)!, arms.get(CONTROL)!);
    expectFourSignificant(result.zTest.z, mine.z);
    expectFourSignificant(result.confidenceInterval95.lower, mine.lower);
    expectFourSignificant(result.confidenceInterval95.upper, mine.upper);
  });

  it('pools both e-mail arms against control', () => {
    const { pooled } = lift;
    if (!pooled.defined) throw new Error(`expected pooled lift: ${JSON.stringify(pooled)}`);
    expect(pooled.groups).toEqual(['Mens E-Mail', 'Womens E-Mail']);
    expect(pooled.registrations).toBe(21_307 + 21_387);
    expect(pooled.activated).toBe(267 + 189);
    if (!pooled.zTest.defined || !pooled.confidenceInterval95.defined) throw new Error('expected statistics');
    expectFourSignificant(pooled.zTest.z, 6.243765091);
    expectFourSignificant(pooled.zTest.pValue, 4.271613795e-10);
    expectFourSignificant(pooled.confidenceInterval95.lower, 0.003548426495);
    expectFourSignificant(pooled.confidenceInterval95.upper, 0.006360715815);
  });

  it('gives exact rate differences and revenue per customer in both groups', () => {
    const mens = armLift('Mens E-Mail');
    // 267/21307 − 122/21306, exactly
    const numerator = 267n * 21_306n - 122n * 21_307n;
    const denominator = 21_307n * 21_306n;
    expect(BigInt(mens.difference.defined ? mens.difference.exact.numerator : 0) * denominator).toBe(
      numerator * BigInt(mens.difference.defined ? mens.difference.exact.denominator : 0),
    );
    expect(lift.control.revenue).toEqual({ minor: 1_390_833, currency: 'USD' });
    expect(lift.control.revenuePerCustomer).toMatchObject({ minor: '65.2789', major: '0.652789' }); // 1390833 / 21306
    expect(mens.revenue.minor).toBe(3_031_169);
    expect(mens.revenuePerCustomer).toMatchObject({ minor: '142.2617' }); // 3031169 / 21307
    expect(mens.revenuePerCustomerDifference).toMatchObject({ minor: '76.9827' });
    expectFourSignificant(
      mens.relativeLift.defined ? mens.relativeLift.value : 'NaN',
      267 / 21_307 / (122 / 21_306) - 1,
    );
  });
});
