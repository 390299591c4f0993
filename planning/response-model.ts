// The response model of one channel: how many activated customers a campaign's acquisition spend in it
// brings, with diminishing returns. A negative-exponential (saturating) curve
//     activations(s) = V · (1 − e^(−s/θ))
// per cohort, whose bend is fitted by Poisson maximum likelihood on the history's per-cohort (or
// per-campaign) spend and activations and whose level comes from the channel's activation rate shrunk
// toward its kind (shrinkage.ts); then carried to campaign scale (a budget spread over cohorts as the
// history's campaigns spread theirs) as one curve of the same form. Pure functions over aggregates, no I/O, no clock, no randomness: the planner and
// (later) in-flight pacing call the same ones. Spend is in minor units; every output is an estimate
// (a float), never an amount of money. docs/planning.md states the method, assumptions and limits.
import { shrinkRate, type KindPrior, type RateHistory, type ShrunkRate } from './shrinkage';

/** One observation: a cohort's (or a whole campaign's) acquisition spend in the channel and what it brought. */
export interface ResponsePoint {
  readonly spendMinor: number;
  readonly registrations: number;
  readonly activations: number;
  /**
   * The campaign the point belongs to. A campaign's points are its spending pattern: a planned budget is
   * assumed spread over cohorts the way that campaign's was (a campaign point is a pattern of one).
   */
  readonly campaign: string;
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
  /** The largest campaign's spend in the history: beyond it the curve is an extrapolation. */
  readonly observedSpendMaxMinor: number;
  readonly points: number;
}

/**
 * The prior on the bend, as θ ÷ (largest observed point's spend): log-normal around 2 (at the largest
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
  readonly y: number[];
}

// The profile log-likelihood of the bend: with V at its maximum for each θ (V = Σ y ÷ Σ f), the Poisson
// log-likelihood is Σ y·ln f(x) − Y·ln Σ f(x) up to a constant, f(x) = 1 − e^(−x/θ).
function profile(series: Series, scale: number): { logLik: number; mass: number } {
  let sumYLogF = 0;
  let mass = 0;
  let total = 0;
  for (let i = 0; i < series.x.length; i++) {
    const f = -Math.expm1(-(series.x[i] as number) / scale);
    const y = series.y[i] as number;
    if (y > 0) sumYLogF += y * Math.log(f);
    mass += f;
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

/** Each campaign's spending pattern: the share of its spend each of its points took. */
function patternsOf(points: readonly ResponsePoint[]): { total: number; shares: number[] }[] {
  const byCampaign = new Map<string, number[]>();
  for (const p of points) {
    const spends = byCampaign.get(p.campaign) ?? [];
    spends.push(p.spendMinor);
    byCampaign.set(p.campaign, spends);
  }
  return [...byCampaign.keys()].sort().map((key) => {
    const spends = byCampaign.get(key)!;
    const total = spends.reduce((n, v) => n + v, 0);
    return { total, shares: spends.map((v) => v / total) };
  });
}

/**
 * The campaign-scale curve of a cohort-scale one: a campaign with budget B spreads it like the history's
 * campaigns did (on average over them), A(B) = mean_c Σ_i Vc·(1 − e^(−B·share_ci/θc)). That sum of
 * exponentials is summarised by the one exponential with the same value and slope at the history's mean
 * campaign spend S̄: exact where the history is, and concave like it around it.
 */
function campaignCurve(
  cohort: CurveMember,
  patterns: readonly { total: number; shares: number[] }[],
): CurveMember & { at: number } {
  const at = patterns.reduce((n, p) => n + p.total, 0) / patterns.length;
  let value = 0;
  let slope = 0;
  for (const { shares } of patterns) {
    for (const share of shares) {
      const k = share / cohort.scaleMinor;
      value += -cohort.saturation * Math.expm1(-at * k);
      slope += cohort.saturation * k * Math.exp(-at * k);
    }
  }
  value /= patterns.length;
  slope /= patterns.length;
  // V(1 − e^(−u)) = value and (V/θ)e^(−u) = slope with u = S̄/θ give (e^u − 1)/u = value ÷ (slope·S̄),
  // which grows from 1 at u = 0: solved by bisection. A ratio at 1 (no bend at all) keeps u tiny.
  const target = value / (slope * at);
  let low = 1e-9;
  let high = 700;
  for (let i = 0; i < 200; i++) {
    const u = (low + high) / 2;
    if (Math.expm1(u) / u < target) low = u;
    else high = u;
  }
  const u = (low + high) / 2;
  return { scaleMinor: at / u, saturation: value / -Math.expm1(-u), at };
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
  const series: Series = {
    x: paid.map((p) => p.spendMinor),
    y: paid.map((p) => (shapeFrom === 'activations' ? p.activations : p.registrations)),
  };
  const largestPoint = Math.max(...series.x);

  const grid: { scale: number; ratio: number; logLik: number; penalized: number; mass: number }[] = [];
  const { from, to, steps } = BEND_GRID;
  for (let k = 0; k <= steps; k++) {
    const ratio = from * (to / from) ** (k / steps);
    const scale = ratio * largestPoint;
    const { logLik, mass } = profile(series, scale);
    grid.push({ scale, ratio, logLik, penalized: logLik + logPrior(ratio), mass });
  }
  // The first maximum in grid order: ties (a flat likelihood) resolve the same way every time.
  let best = grid[0]!;
  for (const g of grid) if (g.penalized > best.penalized) best = g;
  const maxLogLik = Math.max(...grid.map((g) => g.logLik));
  const shapeIdentified =
    maxLogLik - grid[0]!.logLik >= PROFILE_DROP_95 &&
    maxLogLik - grid[grid.length - 1]!.logLik >= PROFILE_DROP_95;

  // Level: the shrunk activation rate times the history's registrations, spread over the curve's mass.
  const patterns = patternsOf(paid);
  const toCampaign = (g: (typeof grid)[number]) =>
    campaignCurve(
      { scaleMinor: g.scale, saturation: (activationRate.estimate * rate.registrations) / g.mass },
      patterns,
    );
  const members = grid
    .filter((g) => g.penalized >= best.penalized - PROFILE_DROP_95)
    .map((g) => {
      const { scaleMinor, saturation } = toCampaign(g);
      return { scaleMinor, saturation };
    });
  const fitted = toCampaign(best);
  return {
    saturation: fitted.saturation,
    scaleMinor: fitted.scaleMinor,
    activationRate,
    shapeFrom,
    shapeIdentified,
    members,
    observedSpendMaxMinor: Math.max(...patterns.map((p) => p.total)),
    points: paid.length,
  };
}

/** Expected activations of a campaign spending `spendMinor` in the channel (point estimate). */
export function activationsAt(
  curve: Pick<ResponseCurve, 'saturation' | 'scaleMinor'>,
  spendMinor: number,
): number {
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
