import {
  benchLine,
  extrapolateLinear,
  median,
  percentile,
  perSecond,
  ratio,
} from '../../../scripts/bench/figures';

describe('benchmark figures', () => {
  it('takes the median of odd and even counts without reordering the input', () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(3);
    expect(() => median([])).toThrow('no values');
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 10 }, (_, i) => 10 - i); // 10..1
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 90)).toBe(9);
    expect(percentile(values, 100)).toBe(10);
    expect(percentile([7], 1)).toBe(7);
    expect(() => percentile(values, 0)).toThrow('(0, 100]');
  });

  it('computes rates and ratios, refusing a zero divisor', () => {
    expect(perSecond(100_000, 50_000)).toBe(2000);
    expect(perSecond(1, 3)).toBe(333);
    expect(ratio(1068, 338)).toBe(3.16);
    expect(ratio(1, 3)).toBe(0.33);
    expect(() => perSecond(1, 0)).toThrow('positive duration');
    expect(() => ratio(1, 0)).toThrow('positive divisor');
  });

  it('extrapolates along the line through two measured sizes', () => {
    const at = extrapolateLinear({ size: 2000, value: 10 }, { size: 10_000, value: 50 }, 100_000);
    expect(at).toBe(500);
    expect(extrapolateLinear({ size: 10, value: 7 }, { size: 20, value: 7 }, 1000)).toBe(7);
    expect(() => extrapolateLinear({ size: 5, value: 1 }, { size: 5, value: 2 }, 9)).toThrow();
  });

  it('prints one BENCH line of JSON and refuses a non-finite figure', () => {
    expect(benchLine({ bench: 'publish', oneChannelMs: 338, ratio: 3.16 })).toBe(
      'BENCH {"bench":"publish","oneChannelMs":338,"ratio":3.16}',
    );
    expect(() => benchLine({ bench: 'x', ratio: Number.NaN })).toThrow('ratio');
    expect(() => benchLine({ bench: 'x', ratio: Infinity })).toThrow('ratio');
  });
});
