// The response model of one channel: how many activated customers a campaign's acquisition spend in it
// brings, with diminishing returns. A negative-exponential (saturating) curve
//     activations(s) = V · (1 − e^(−s/θ))
// whose bend θ is fitted by Poisson maximum likelihood on the history's per-cohort (or per-campaign)
// spend and activations, and whose level V comes from the channel's activation rate shrunk toward its
// kind (shrinkage.ts). Pure functions over aggregates, no I/O, no clock, no randomness: the planner and
// (later) in-flight pacing call the same ones. Spend is in minor units; every output is an estimate
// (a float), never an amount of money. docs/planning.md states the method, assumptions and limits.
import { shrinkRate, type KindPrior, type RateHistory, type ShrunkRate } from './shrinkage';

/** One observation: a cohort's (or a whole campaign's) acquisition spend in the channel and what it brought. */
export interface ResponsePoint {
  readonly spendMinor: number;
  readonly registrations: number;
  readonly activations: number;
  /**
   * How many points like this one make up its campaign (its number of cohorts; 1 for a campaign point).
   * The curve describes one campaign's spend, so a cohort counts as 1/n of a campaign run n times.
   */
  readonly perCampaign: number;
}

/** A curve in the 95% profile-likelihood set of the bend: the interval is the spread of these curves. */
export interface CurveMember {
  readonly scaleMinor: number;
  readonly saturation: number;
}

export interface ResponseCurve {
  /** V: the activations a campaign would approach with unlimited spend (at the rate's point estimate). */
  readonly saturation: number;
  /** θ, in minor units: spend θ brings 63% of V; at spend 0 each minor unit brings V/θ activations. */
  readonly scaleMinor: number;
  readonly activationRate: ShrunkRate;
  /** The bend is fitted on activations, or on registrations when the history has no activation at all. */
  readonly shapeFrom: 'activations' | 'registrations';
  /** Whether the history itself decided the bend (false: the stated prior did; see BEND_PRIOR). */
  readonly shapeIdentified: boolean;
  readonly members: readonly CurveMember[];
  /** The largest campaign-scale spend in the history: beyond it the curve is an extrapolation. */
  readonly observedSpendMaxMinor: number;
  readonly points: number;
}

/**
 * The prior on the bend, as θ ÷ (largest observed campaign spend): log-normal around 2 (at the largest
 * spend seen, each further unit brings e^(−½) ≈ 61% of what the first did), σ = 1.5 in log space. It
 * decides the bend only when the history cannot (one point, or points on a straight line); with many
 * cohorts the likelihood outweighs it. A stated assumption: returns diminish beyond what was tried.
 */
export const BEND_PRIOR = { ratio: 2, logSd: 1.5 } as const;
/** The grid of θ ÷ largest observed spend searched for the bend: from a sharp knee to a straight line. */
export const BEND_GRID = { from: 1 / 50, to: 1000, steps: 240 } as const;
/** Half the 0.95 quantile of χ²(1): the profile-likelihood drop that bounds a 95% set. */
const PROFILE_DROP_95 = 3.841459 / 2;

interface Series {
  readonly x: number[];
  readonly weight: number[];
  readonly y: number[];
}

// The profile log-likelihood of the bend: with V at its maximum for each θ (V = Σ y ÷ Σ w·f), the
// Poisson log-likelihood is Σ y·ln f(x) − Y·ln Σ w·f(x) up to a constant, f(x) = 1 − e^(−x/θ).
function profile(series: Series, scale: number): { logLik: number; mass: number } {
  let sumYLogF = 0;
  let mass = 0;
  let total = 0;
  for (let i = 0; i < series.x.length; i++) {
    const f = -Math.expm1(-(series.x[i] as number) / scale);
    const y = series.y[i] as number;
    if (y > 0) sumYLogF += y * Math.log(f);
    mass += (series.weight[i] as number) * f;
    total += y;
  }
  return { logLik: sumYLogF - (total > 0 ? total * Math.log(mass) : 0), mass };
}

function logPrior(ratio: number): number {
  const z = (Math.log(ratio) - Math.log(BEND_PRIOR.ratio)) / BEND_PRIOR.logSd;
  return -0.5 * z * z;
}

/** Sums a channel's points into the registrations and activations its activation rate is shrunk from. */
export function rateHistoryOf(points: readonly ResponsePoint[]): RateHistory {
  return {
    registrations: points.reduce((n, p) => n + p.registrations, 0),
    activations: points.reduce((n, p) => n + p.activations, 0),
  };
}

/**
 * Fits the channel's curve, or returns null when its history cannot support one: no point with spend,
 * or no registration (nothing says what spend brings). Points without spend are left out of the fit:
 * they are organic registrations, not a response to spend.
 */
export function fitResponse(points: readonly ResponsePoint[], prior: KindPrior): ResponseCurve | null {
  const paid = points.filter((p) => p.spendMinor > 0);
  const rate = rateHistoryOf(paid);
  if (paid.length === 0 || rate.registrations === 0) return null;
  const activationRate = shrinkRate(rate, prior);
  const shapeFrom = rate.activations > 0 ? 'activations' : 'registrations';
  // Campaign scale: a cohort that is 1/n of its campaign stands for a campaign spending n times as much.
  const series: Series = {
    x: paid.map((p) => p.spendMinor * p.perCampaign),
    weight: paid.map((p) => 1 / p.perCampaign),
    y: paid.map((p) => (shapeFrom === 'activations' ? p.activations : p.registrations)),
  };
  const observedSpendMaxMinor = Math.max(...series.x);

  const grid: { scale: number; ratio: number; logLik: number; penalized: number; mass: number }[] = [];
  const { from, to, steps } = BEND_GRID;
  for (let k = 0; k <= steps; k++) {
    const ratio = from * (to / from) ** (k / steps);
    const scale = ratio * observedSpendMaxMinor;
    const { logLik, mass } = profile(series, scale);
    grid.push({ scale, ratio, logLik, penalized: logLik + logPrior(ratio), mass });
  }
  // The first maximum in grid order: ties (a flat likelihood) resolve the same way every time.
  let best = grid[0]!;
  for (const g of grid) if (g.penalized > best.penalized) best = g;
  const maxLogLik = Math.max(...grid.map((g) => g.logLik));
  const shapeIdentified =
    maxLogLik - grid[0]!.logLik >= PROFILE_DROP_95 && maxLogLik - grid[grid.length - 1]!.logLik >= PROFILE_DROP_95;

  // Level: the shrunk activation rate times the history's registrations, spread over the curve's mass.
  const levelOf = (mass: number) => (activationRate.estimate * rate.registrations) / mass;
  const members = grid
    .filter((g) => g.penalized >= best.penalized - PROFILE_DROP_95)
    .map((g) => ({ scaleMinor: g.scale, saturation: levelOf(g.mass) }));
  return {
    saturation: levelOf(best.mass),
    scaleMinor: best.scale,
    activationRate,
    shapeFrom,
    shapeIdentified,
    members,
    observedSpendMaxMinor,
    points: paid.length,
  };
}

/** Expected activations of a campaign spending `spendMinor` in the channel (point estimate). */
export function activationsAt(curve: Pick<ResponseCurve, 'saturation' | 'scaleMinor'>, spendMinor: number): number {
  if (spendMinor <= 0) return 0;
  return -curve.saturation * Math.expm1(-spendMinor / curve.scaleMinor);
}

/** Expected registrations: activations ÷ the (shrunk) activation rate. */
export function registrationsAt(curve: ResponseCurve, spendMinor: number): number {
  return activationsAt(curve, spendMinor) / curve.activationRate.estimate;
}

/** d activations / d spend at `spendMinor`: activations per further minor unit. */
export function marginalActivations(
  curve: Pick<ResponseCurve, 'saturation' | 'scaleMinor'>,
  spendMinor: number,
): number {
  return (curve.saturation / curve.scaleMinor) * Math.exp(-Math.max(spendMinor, 0) / curve.scaleMinor);
}

/** The marginal AAC at `spendMinor`: what the next activated customer costs, in minor units (an estimate). */
export function marginalAacMinor(curve: ResponseCurve, spendMinor: number): number {
  return 1 / marginalActivations(curve, spendMinor);
}

/** The spend at which expected activations reach `activations`; Infinity if the curve never gets there. */
export function spendForActivations(curve: ResponseCurve, activations: number): number {
  if (activations <= 0) return 0;
  if (activations >= curve.saturation) return Number.POSITIVE_INFINITY;
  return -curve.scaleMinor * Math.log1p(-activations / curve.saturation);
}

/**
 * A 95% interval for the expected activations at `spendMinor`: the lowest and highest curve of the
 * bend's profile set, scaled by the activation rate's posterior interval. The two sources are combined
 * as if they moved together (conservative: the interval is wider than an exact joint one).
 */
export function activationsInterval(curve: ResponseCurve, spendMinor: number): { low: number; high: number } {
  let low = Number.POSITIVE_INFINITY;
  let high = 0;
  for (const member of curve.members) {
    const value = activationsAt(member, spendMinor);
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  const { estimate, low: rateLow, high: rateHigh } = curve.activationRate;
  return { low: (low * rateLow) / estimate, high: (high * rateHigh) / estimate };
}
