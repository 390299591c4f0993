// Normal distribution, two-proportion z-test, Wald interval and nearest-rank quantile, checked against
// reference values computed with mpmath at 40 significant digits (listed here to 15).
import {
  differenceInterval95,
  erfc,
  normalCdf,
  quantile,
  twoProportionZTest,
  twoSidedPValue,
} from '../../../evaluation/statistics';

function expectRelative(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(tolerance);
}

describe('erfc and the normal CDF', () => {
  const erfcReference: [number, number][] = [
    [0.1, 0.887537083981715],
    [0.5, 0.479500122186953],
    [1, 0.157299207050285],
    [1.5, 0.0338948535246893],
    [2, 0.00467773498104727],
    [3, 2.20904969985854e-5],
    [5, 1.53745979442803e-12],
    [10, 2.08848758376254e-45],
    [26, 5.66319240885614e-296],
  ];
  it.each(erfcReference)('erfc(%p) to 1e-12 relative', (x, expected) => {
    expectRelative(erfc(x), expected, 1e-12);
    expectRelative(erfc(-x), 2 - expected, 1e-12);
  });

  it('has erfc(0) = 1 and vanishes far out', () => {
    expect(erfc(0)).toBe(1);
    expect(erfc(40)).toBe(0);
    expect(erfc(-40)).toBe(2);
  });

  const cdfReference: [number, number][] = [
    [0, 0.5],
    [0.5, 0.691462461274013],
    [1, 0.841344746068543],
    [1.959964, 0.975000000903558],
    [-1.959964, 0.0249999990964424],
    [3, 0.99865010196837],
    [-5, 2.86651571879194e-7],
    [-10, 7.61985302416053e-24],
    [-20, 2.75362411860623e-89],
  ];
  it.each(cdfReference)('Φ(%p) to 1e-12 relative, in both tails', (x, expected) => {
    expectRelative(normalCdf(x), expected, 1e-12);
  });

  it('gives two-sided p-values symmetric in z', () => {
    expectRelative(twoSidedPValue(1.959964), 0.05, 1e-7);
    expect(twoSidedPValue(-2.5)).toBe(twoSidedPValue(2.5));
    expect(twoSidedPValue(0)).toBe(1);
  });
});

describe('two-proportion z-test and 95% interval', () => {
  // 48/120 vs 30/100. By hand: p̂ = 78/220, SE = √(p̂(1−p̂)(1/120+1/100)), z = 0.1/SE.
  const treatment = { successes: 48, trials: 120 };
  const control = { successes: 30, trials: 100 };

  it('computes z with the pooled standard error and a two-sided p-value', () => {
    const test = twoProportionZTest(treatment, control);
    if (!test.defined) throw new Error('expected a defined test');
    const pooled = 78 / 220;
    expect(test.standardError).toBeCloseTo(Math.sqrt(pooled * (1 - pooled) * (1 / 120 + 1 / 100)), 15);
    expectRelative(test.z, 1.543869153, 1e-8);
    expectRelative(test.pValue, 0.1226200344, 1e-8);
  });

  it('computes the Wald interval with the unpooled standard error', () => {
    const interval = differenceInterval95(treatment, control);
    if (!interval.defined) throw new Error('expected a defined interval');
    expectRelative(interval.lower, -0.02549892993, 1e-8);
    expectRelative(interval.upper, 0.2254989299, 1e-8);
    expect(interval.standardError).toBeCloseTo(Math.sqrt((0.4 * 0.6) / 120 + (0.3 * 0.7) / 100), 15);
  });

  it('keeps relative precision for tiny p-values', () => {
    const test = twoProportionZTest({ successes: 500, trials: 1000 }, { successes: 300, trials: 1000 });
    if (!test.defined) throw new Error('expected a defined test');
    expectRelative(test.z, 9.128709292, 1e-8);
    expectRelative(test.pValue, 6.932079668e-20, 1e-7);
  });

  it('is undefined, with a reason, for empty groups or zero variance', () => {
    const some = { successes: 1, trials: 10 };
    expect(twoProportionZTest({ successes: 0, trials: 0 }, some)).toEqual({
      defined: false,
      reason: 'treatment_group_empty',
    });
    expect(twoProportionZTest(some, { successes: 0, trials: 0 })).toEqual({
      defined: false,
      reason: 'control_group_empty',
    });
    expect(twoProportionZTest({ successes: 0, trials: 5 }, { successes: 0, trials: 7 })).toEqual({
      defined: false,
      reason: 'zero_variance',
    });
    expect(differenceInterval95({ successes: 5, trials: 5 }, { successes: 0, trials: 7 })).toEqual({
      defined: false,
      reason: 'zero_variance',
    });
    expect(differenceInterval95({ successes: 0, trials: 0 }, some).defined).toBe(false);
  });
});

describe('quantile (nearest rank)', () => {
  const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

  it('returns the value at rank ceil(q·n)', () => {
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.9)).toBe(90);
    expect(quantile(values, 0.91)).toBe(100);
    expect(quantile(values, 0.05)).toBe(10);
    expect(quantile(values, 0)).toBe(10);
    expect(quantile(values, 1)).toBe(100);
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([1, 2, 3], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
  });

  it('is not fooled by float products just above an integer', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(0.55 * 100).toBeGreaterThan(55); // the float trap this guards against
    expect(quantile(hundred, 0.55)).toBe(55);
    expect(quantile(hundred, 0.07)).toBe(7);
  });

  it('matches the percentile_disc definition on random data', () => {
    // Smallest value v with (count of values ≤ v) / n ≥ k/100, in integer arithmetic.
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const n = 1 + (next() % 60);
      const sorted = Array.from({ length: n }, () => next() % 50).sort((a, b) => a - b);
      const k = next() % 101;
      const expected = sorted.find((v) => sorted.filter((w) => w <= v).length * 100 >= k * n);
      expect(quantile(sorted, k / 100)).toBe(expected);
    }
  });

  it('returns null for no values and refuses bad input', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(() => quantile([3, 1], 0.5)).toThrow(RangeError);
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
    expect(() => quantile([1], Number.NaN)).toThrow(RangeError);
  });
});
