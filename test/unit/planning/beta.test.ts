// The Beta quantile behind every activation-rate interval, checked against values computed here by an
// independent route: for whole a and b, I_x(a, b) = P(Binomial(a + b − 1, x) ≥ a).
import { betaCdf, betaQuantile, logGamma } from '../../../planning/beta';

function binomialTail(n: number, x: number, atLeast: number): number {
  let total = 0;
  let coefficient = 1; // C(n, k), built up exactly enough for small n
  for (let k = 0; k <= n; k++) {
    if (k > 0) coefficient = (coefficient * (n - k + 1)) / k;
    if (k >= atLeast) total += coefficient * x ** k * (1 - x) ** (n - k);
  }
  return total;
}

describe('the Beta distribution', () => {
  it('log-gamma matches factorials', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 9);
  });

  it.each([
    [3, 5, 0.3],
    [1, 1, 0.42],
    [12, 40, 0.2],
    [40, 12, 0.8],
    [2, 30, 0.01],
  ])('Beta(%d, %d) CDF at %d equals the binomial tail', (a, b, x) => {
    expect(betaCdf(x, a, b)).toBeCloseTo(binomialTail(a + b - 1, x, a), 12);
  });

  it('the quantile inverts the CDF, including far in the tails and for large counts', () => {
    for (const [a, b] of [
      [1, 1],
      [0.5, 0.5],
      [3.2, 97.1],
      [5289, 39922],
      [267, 21040],
    ] as const) {
      for (const q of [0.025, 0.5, 0.975]) {
        const x = betaQuantile(q, a, b);
        expect(betaCdf(x, a, b)).toBeCloseTo(q, 9);
      }
    }
    expect(betaQuantile(0.3, 1, 1)).toBeCloseTo(0.3, 11);
  });

  it('refuses parameters that are not a distribution', () => {
    expect(() => betaQuantile(0.5, 0, 1)).toThrow(RangeError);
  });
});
