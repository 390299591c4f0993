// Statistics for the evaluation: the normal distribution (erfc written out here, no dependency),
// the two-proportion z-test, the Wald interval for a difference in proportions, and the
// nearest-rank quantile that time-to-activate figures are defined by.

/** The 0.975 quantile of the standard normal: a two-sided 95% interval is ±1.959964 standard errors. */
export const Z_95 = 1.959964;

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const SQRT_PI = Math.sqrt(Math.PI);

/**
 * Complementary error function, to about 1e-14 relative error over the whole real line.
 * Two textbook expansions, each used where it converges fast and loses no digits:
 * - |x| < 1.5: erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)) (Abramowitz & Stegun 7.1.6),
 *   whose terms are all positive, so no cancellation; erfc = 1 − erf loses at most ~1.5 digits here.
 * - |x| ≥ 1.5: the continued fraction erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + 3⁄2/(x + …))))
 *   (A&S 7.1.14), evaluated backwards from a fixed depth of 120, which converges to double
 *   precision from x = 1.5 on. Relative accuracy holds in the far tail, where tiny p-values live.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 1.5) {
    const twiceSquare = 2 * x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
      term *= twiceSquare / (2 * n + 1);
      sum += term;
    }
    return 1 - TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
  }
  if (x > 27) return 0; // e^(−x²) underflows a double beyond here.
  let fraction = x;
  for (let n = 120; n >= 1; n--) fraction = x + n / 2 / fraction;
  return Math.exp(-x * x) / (SQRT_PI * fraction);
}

/** Standard normal cumulative distribution Φ(x), through erfc so that both tails keep their digits. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Two-sided tail probability P(|Z| ≥ |z|) of a standard normal. */
export function twoSidedPValue(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

export interface Proportion {
  /** Successes (here: activated customers). */
  readonly successes: number;
  /** Trials (here: valid registrations). */
  readonly trials: number;
}

export type StatisticsUndefinedReason = 'treatment_group_empty' | 'control_group_empty' | 'zero_variance';

export type ZTestResult =
  | { readonly defined: true; readonly z: number; readonly pValue: number; readonly standardError: number }
  | { readonly defined: false; readonly reason: StatisticsUndefinedReason };

export type IntervalResult =
  | { readonly defined: true; readonly lower: number; readonly upper: number; readonly standardError: number }
  | { readonly defined: false; readonly reason: StatisticsUndefinedReason };

function emptyGroup(treatment: Proportion, control: Proportion): StatisticsUndefinedReason | null {
  if (treatment.trials <= 0) return 'treatment_group_empty';
  if (control.trials <= 0) return 'control_group_empty';
  return null;
}

/**
 * Two-proportion z-test of H0: p_treatment = p_control, with the pooled standard error
 * √(p̂(1−p̂)(1/n₁ + 1/n₀)), p̂ = (x₁+x₀)/(n₁+n₀), and a two-sided p-value.
 * Undefined when a group is empty or when nobody (or everybody) succeeded, since the pooled
 * standard error is then zero and z is 0/0.
 */
export function twoProportionZTest(treatment: Proportion, control: Proportion): ZTestResult {
  const empty = emptyGroup(treatment, control);
  if (empty) return { defined: false, reason: empty };
  const p1 = treatment.successes / treatment.trials;
  const p0 = control.successes / control.trials;
  const pooled = (treatment.successes + control.successes) / (treatment.trials + control.trials);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / treatment.trials + 1 / control.trials));
  if (!(standardError > 0)) return { defined: false, reason: 'zero_variance' };
  const z = (p1 - p0) / standardError;
  return { defined: true, z, pValue: twoSidedPValue(z), standardError };
}

/**
 * 95% Wald interval for p_treatment − p_control with the unpooled standard error
 * √(p₁(1−p₁)/n₁ + p₀(1−p₀)/n₀). When both rates are 0 or 1 that error is zero and the interval
 * would claim certainty it does not have, so it is reported undefined instead.
 */
export function differenceInterval95(treatment: Proportion, control: Proportion): IntervalResult {
  const empty = emptyGroup(treatment, control);
  if (empty) return { defined: false, reason: empty };
  const p1 = treatment.successes / treatment.trials;
  const p0 = control.successes / control.trials;
  const standardError = Math.sqrt((p1 * (1 - p1)) / treatment.trials + (p0 * (1 - p0)) / control.trials);
  if (!(standardError > 0)) return { defined: false, reason: 'zero_variance' };
  const difference = p1 - p0;
  return {
    defined: true,
    lower: difference - Z_95 * standardError,
    upper: difference + Z_95 * standardError,
    standardError,
  };
}

/**
 * Nearest-rank quantile of ascending values: the value at 1-based rank ⌈q·n⌉ (rank 1 for q = 0).
 * It is always an observed value, and it is what PostgreSQL's
 * `percentile_disc(q) WITHIN GROUP (ORDER BY seconds)` returns, so SQL can compute the figures that
 * the report carries (for q = 0.5 and q = 0.9 the two agree exactly). q·n is snapped to the nearest integer when within 1e-9 of it, so that a float
 * such as 0.55 × 100 = 55.00000000000001 still means rank 55. Returns null for no values.
 */
export function quantile(sortedSeconds: readonly number[], q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q=${q} is outside [0, 1]`);
  for (let i = 1; i < sortedSeconds.length; i++) {
    if (!((sortedSeconds[i - 1] as number) <= (sortedSeconds[i] as number))) {
      throw new RangeError('quantile needs values sorted ascending');
    }
  }
  const n = sortedSeconds.length;
  if (n === 0) return null;
  const position = q * n;
  const nearest = Math.round(position);
  const rank = Math.abs(position - nearest) <= 1e-9 * Math.max(1, position) ? nearest : Math.ceil(position);
  return sortedSeconds[Math.min(n, Math.max(1, rank)) - 1] as number;
}
