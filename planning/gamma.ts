// The Gamma distribution's quantile, for the posterior of a channel's activations per minor unit in
// in-flight pacing (pacing-policy.ts). Written out here like beta.ts (no dependency): the regularized
// lower incomplete gamma function by its series below a + 1 and its continued fraction above
// (Numerical Recipes' gser/gcf), and the quantile by bisection on the log scale. Sampling by the
// quantile of a uniform (not by a rejection sampler) makes a draw monotone in the posterior's shape and
// rate for the same uniform: more evidence of cheaper activations can only raise the draw.
import { logGamma } from './beta';

function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n <= 100_000; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function upperFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= 100_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** P(X ≤ x) for X ~ Gamma(shape a, rate 1); a > 0. */
export function gammaCdf(x: number, a: number): number {
  if (x <= 0) return 0;
  if (x < a + 1) return Math.min(1, lowerSeries(a, x));
  return Math.max(0, 1 - upperFraction(a, x));
}

/** The q-quantile of Gamma(shape, rate): bisection on ln x to a relative 1e-10 (or 300 halvings). */
export function gammaQuantile(q: number, shape: number, rate: number): number {
  if (!(shape > 0 && rate > 0)) throw new RangeError(`Gamma(${shape}, ${rate}) needs positive parameters`);
  if (q <= 0) return 0;
  if (q >= 1) return Number.POSITIVE_INFINITY;
  // Bracket in units of the mean (rate 1): the mass below mean·e^−700 or above mean·e^+50 is negligible
  // for every shape the policy meets (≥ ½).
  let low = Math.log(shape) - 700;
  let high = Math.log(shape) + 50;
  for (let i = 0; i < 300 && high - low > 1e-10; i++) {
    const mid = (low + high) / 2;
    if (gammaCdf(Math.exp(mid), shape) < q) low = mid;
    else high = mid;
  }
  return Math.exp((low + high) / 2) / rate;
}
