// Activation rates shrunk toward their channel kind's average (Beta-Binomial, empirical Bayes): a channel
// with 40 registrations and 9 activations is not believed to activate 22.5% of everyone it brings; it
// is pulled toward what channels of its kind do, the more the less history it has. docs/planning.md
// states the method, its assumptions and its limits.
import { betaQuantile } from './beta';

/** Registrations and activations of one channel (or channel × material) over the history. */
export interface RateHistory {
  readonly registrations: number;
  readonly activations: number;
}

/** The Beta prior of a kind: mean and strength (pseudo-registrations). */
export interface KindPrior {
  readonly mean: number;
  /** How many registrations the prior weighs as; a channel with this many is pulled half way. */
  readonly strength: number;
  /** How the strength was found: from the spread between the kind's channels, or the stated default. */
  readonly strengthFrom: 'between_channel_spread' | 'default';
  readonly channels: number;
}

export interface ShrunkRate {
  /** The channel's own activations ÷ registrations; null when it has no registrations. */
  readonly observed: number | null;
  /** The posterior mean: (activations + mean·strength) ÷ (registrations + strength). */
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly prior: KindPrior;
}

/** Strength used when the kind has fewer than 3 channels with history (the spread cannot be estimated). */
export const DEFAULT_PRIOR_STRENGTH = 100;
/** Bounds on the fitted strength: at least one pseudo-registration, at most a large campaign's worth. */
export const PRIOR_STRENGTH_RANGE = [1, 100_000] as const;
/** A kind with no registrations at all gets the flat Beta(1, 1); the planner then treats its channels as
 * having no history anyway (kept at the exploration floor), so this prior never drives an allocation. */
const UNINFORMED_MEAN = 0.5;

/**
 * The kind's prior from its channels' histories: the mean is the pooled rate (Σ activations ÷ Σ
 * registrations); the strength comes from the method of moments of the Beta-Binomial — the spread of the
 * channels' rates beyond what binomial noise explains — when at least 3 channels have registrations.
 */
export function kindPrior(channels: readonly RateHistory[]): KindPrior {
  // In a fixed order, so that the float sums below do not depend on the order channels were read in.
  const withData = channels
    .filter((c) => c.registrations > 0)
    .sort((a, b) => a.registrations - b.registrations || a.activations - b.activations);
  const registrations = withData.reduce((n, c) => n + c.registrations, 0);
  const activations = withData.reduce((n, c) => n + c.activations, 0);
  if (registrations === 0) {
    return { mean: UNINFORMED_MEAN, strength: 2, strengthFrom: 'default', channels: 0 };
  }
  // Kept off 0 and 1 so that the prior is a proper Beta and every posterior has an interval.
  const mean = Math.min(Math.max(activations / registrations, 1e-6), 1 - 1e-6);
  if (withData.length < 3) {
    return { mean, strength: DEFAULT_PRIOR_STRENGTH, strengthFrom: 'default', channels: withData.length };
  }
  // Registration-weighted variance of the observed rates, and the part binomial noise alone would give.
  let spread = 0;
  let noise = 0;
  for (const c of withData) {
    const rate = c.activations / c.registrations;
    spread += c.registrations * (rate - mean) ** 2;
    noise += mean * (1 - mean);
  }
  spread /= registrations;
  noise /= registrations;
  const between = spread - noise;
  const [lowest, highest] = PRIOR_STRENGTH_RANGE;
  // No spread beyond noise: the channels look alike, so the kind's average is trusted strongly.
  const strength = between <= 0 ? highest : (mean * (1 - mean)) / between - 1;
  return {
    mean,
    strength: Math.min(Math.max(strength, lowest), highest),
    strengthFrom: 'between_channel_spread',
    channels: withData.length,
  };
}

/** The channel's activation rate shrunk toward its kind, with a 95% equal-tailed posterior interval. */
export function shrinkRate(history: RateHistory, prior: KindPrior): ShrunkRate {
  const alpha = prior.mean * prior.strength + history.activations;
  const beta = (1 - prior.mean) * prior.strength + (history.registrations - history.activations);
  return {
    observed: history.registrations > 0 ? history.activations / history.registrations : null,
    estimate: alpha / (alpha + beta),
    low: betaQuantile(0.025, alpha, beta),
    high: betaQuantile(0.975, alpha, beta),
    prior,
  };
}
