// Figures computed by the tests themselves, independently of the evaluation library: exact fractions by
// cross-multiplication, nearest-rank percentiles, and the normal tail by numerical integration (Simpson's
// rule over the density, not the library's erfc series and continued fraction).
import type { ExactRational } from '../../../evaluation';

/** The report's exact rational equals numerator ÷ denominator (cross-multiplied, so no rounding at all). */
export function expectExact(
  exact: ExactRational | undefined,
  numerator: bigint | number,
  denominator: bigint | number,
): void {
  if (!exact) throw new Error(`expected a defined ratio equal to ${numerator}/${denominator}`);
  expect(BigInt(exact.numerator) * BigInt(denominator)).toBe(BigInt(numerator) * BigInt(exact.denominator));
}

/** |actual − expected| within half a unit of the 4th significant digit of expected. */
export function expectFourSignificant(actual: string | number, expected: number): void {
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(expected))) - 3);
  expect(Math.abs(Number(actual) - expected)).toBeLessThanOrEqual(unit / 2);
}

/** Nearest-rank percentile: the value at rank ⌈q·n⌉ of the ascending values. */
export function nearestRank(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length - 1e-9)) - 1] as number;
}

/** P(|Z| ≥ |z|) = 2 ∫_|z|^∞ φ(t) dt by Simpson's rule; φ is negligible 12 units beyond |z|. */
export function twoSidedP(z: number): number {
  const a = Math.abs(z);
  const steps = 200_000;
  const h = 12 / steps;
  const phi = (t: number) => Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
  let sum = phi(a) + phi(a + 12);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * phi(a + i * h);
  return 2 * ((sum * h) / 3);
}

/** Pooled two-proportion z statistic, written out from the textbook formula. */
export function pooledZ(successes1: number, trials1: number, successes0: number, trials0: number): number {
  const p1 = successes1 / trials1;
  const p0 = successes0 / trials0;
  const pooled = (successes1 + successes0) / (trials1 + trials0);
  return (p1 - p0) / Math.sqrt(pooled * (1 - pooled) * (1 / trials1 + 1 / trials0));
}

/** A small deterministic PRNG (mulberry32), so seeded facts are the same on every run. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
