// The Gamma quantile behind pacing's draws, checked against closed forms (an integer shape is the
// Erlang sum 1 − e^(−x)·Σ_{i<k} x^i/i!; shape ½ is erf(√x)) and for the monotonicity the policy's
// property tests rely on.
import { gammaCdf, gammaQuantile } from '../../../planning/gamma';

describe('gammaCdf', () => {
  it.each([
    // [x, shape, P(X ≤ x)]
    [1, 1, 0.6321205588286],
    [0.5, 0.5, 0.6826894921371],
    [2, 0.5, 0.9544997361036],
    [3, 2, 0.8008517265285],
    [0.1, 3, 0.0001546530703],
    [10, 12, 0.3032238536969],
    [40, 30, 0.9567713178483],
    [150, 140, 0.8034040526515],
  ])('P(X ≤ %d) for shape %d is %d', (x, shape, p) => {
    expect(gammaCdf(x, shape)).toBeCloseTo(p, 9);
  });
});

describe('gammaQuantile', () => {
  it('inverts the cdf and scales by the rate', () => {
    for (const shape of [0.5, 1, 3.5, 40, 5_000]) {
      for (const q of [0.001, 0.2, 0.5, 0.9, 0.999]) {
        const x = gammaQuantile(q, shape, 1);
        expect(gammaCdf(x, shape)).toBeCloseTo(q, 8);
        expect(gammaQuantile(q, shape, 4)).toBeCloseTo(x / 4, 8);
      }
    }
  });

  it('rises with the shape and falls with the rate for the same uniform', () => {
    for (const q of [0.05, 0.5, 0.95]) {
      let previous = 0;
      for (const shape of [0.5, 1.5, 2.5, 10.5, 100.5]) {
        const x = gammaQuantile(q, shape, 2);
        expect(x).toBeGreaterThan(previous);
        expect(gammaQuantile(q, shape, 3)).toBeLessThan(x);
        previous = x;
      }
    }
  });

  it('refuses a non-positive parameter', () => {
    expect(() => gammaQuantile(0.5, 0, 1)).toThrow(RangeError);
    expect(() => gammaQuantile(0.5, 1, 0)).toThrow(RangeError);
  });
});
