// A simulated 10-channel market with known true response curves, for backtesting the channel split of
// a campaign four ways (not a test; scripts/backtest.ts prints it): (a) an even fixed split, (b) the
// planner's split (planning/plan.ts) fitted on a short history drawn from the same market, (c) adaptive
// pacing (planning/pacing-policy.ts) re-splitting at weekly reviews from what the campaign observes,
// (d) the oracle split that knows the true curves. Pure and seeded: no servers, no clock.
//
// The market takes its shapes from the prospect traffic generator (traffic/model.ts, traffic/audience.ts):
// each channel's kind and online type give its reach and its sign-up funnel (start × completion rate),
// its audience traits (willingness to pay, price sensitivity, interests: drawn per seed) give the
// audience multipliers, and the activation rule is the generator's deposit: a customer activates when
// they log in at one of the login opportunities before the deposit opportunity and then deposit. What
// the generator does not have, the market states as its own assumptions: a price per arriving prospect
// per kind (COST_PER_ARRIVAL), an audience of AUDIENCE_BASE × reach prospects per campaign that spend
// exhausts (registrations R(s) = R∞·(1 − e^(−s/θ)), θ = audience × price: the saturating curve), and a
// spread-out activation lag (geometric, mean = the deposit's place in the period × a per-channel
// factor) instead of the generator's fixed opportunity times, so that "early activation by day k" is a
// leading but imperfect signal. Each seed perturbs every channel's audience, price and lag (log-normal).
import { allocate } from '../../planning/allocate';
import {
  reallocatePacing,
  type PacingChannelEvidence,
  type PacingPrior,
  type PacingReviewInput,
} from '../../planning/pacing-policy';
import { buildPlan, type PlanningInput } from '../../planning/plan';
import { activationsAt, type ResponsePoint } from '../../planning/response-model';
import type { RateHistory } from '../../planning/shrinkage';
import { seededRandom } from '../../simulator/random';
import { audienceEffect } from '../../traffic/audience';
import { BEHAVIOUR, channelFunnelTraits } from '../../traffic/model';
import type { ChannelKind, OnlineType } from '../../domain/channel';
import type { Level } from '../../domain/channel-profile';

/** The ten channels of the market: one per kind and online type of the generator, two where it has two. */
export const MARKET_CHANNELS: readonly { code: string; kind: ChannelKind; onlineType: OnlineType | null }[] =
  [
    { code: 'mobile-app', kind: 'financial_scenario', onlineType: null },
    { code: 'wechat-banking', kind: 'financial_scenario', onlineType: null },
    { code: 'branch', kind: 'offline', onlineType: null },
    { code: 'account-manager', kind: 'offline', onlineType: null },
    { code: 'ecommerce', kind: 'ecosystem_scenario', onlineType: 'ecommerce' },
    { code: 'social', kind: 'ecosystem_scenario', onlineType: 'social' },
    { code: 'short-video', kind: 'ecosystem_scenario', onlineType: 'entertainment' },
    { code: 'news', kind: 'ecosystem_scenario', onlineType: 'information' },
    { code: 'payment', kind: 'ecosystem_scenario', onlineType: 'payment' },
    { code: 'live-stream', kind: 'ecosystem_scenario', onlineType: 'entertainment' },
  ];

/** The market's assumptions (not the generator's): price per arriving prospect, minor units, by kind. */
export const COST_PER_ARRIVAL: Record<ChannelKind, number> = {
  financial_scenario: 120,
  offline: 1_800,
  ecosystem_scenario: 70,
};
/** Prospects a channel of reach 1 can bring to one campaign. */
export const AUDIENCE_BASE = 30_000;

export const SCENARIO = {
  /** The campaign's acquisition budget, minor units (¥400,000). */
  budgetMinor: 40_000_000,
  /** Days of acquisition; reviews every `reviewEveryDays` (at days 7, 14, …, 49). */
  days: 56,
  reviewEveryDays: 7,
  /** The new-customer period: an activation after it does not count. */
  periodDays: 30,
  /** The leading signal's lag k. */
  earlyDays: 7,
  floorShare: 0.02,
  /** The short history: one earlier campaign at this share of the budget, split evenly, 4 weekly cohorts. */
  historyBudgetShare: 0.25,
  historyCohorts: 4,
  /** The history prior's weight in the pacing policy: activations' worth of evidence. */
  priorWeight: 15,
  /** How much each seed perturbs audience, price and lag: σ of a log-normal factor. */
  spread: 0.6,
} as const;

export interface MarketChannel {
  readonly code: string;
  readonly kind: ChannelKind;
  /** R∞: the registrations the channel's whole audience would bring. */
  readonly saturationRegistrations: number;
  /** θ in minor units: spend θ brings 63% of R∞. */
  readonly scaleMinor: number;
  /** P(activated within the period | registered): the true activation rate. */
  readonly activationRate: number;
  /** The activation lag's daily hazard (geometric), before the period's cut-off. */
  readonly lagHazard: number;
}

export interface Market {
  readonly seed: number;
  readonly channels: readonly MarketChannel[];
}

const LEVELS: readonly Level[] = ['low', 'medium', 'high'];

type Random = () => number;

function normal(random: Random): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function poisson(random: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

function binomial(random: Random, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (n < 60) {
    let k = 0;
    for (let i = 0; i < n; i++) if (random() < p) k++;
    return k;
  }
  const mean = n * p;
  return Math.min(n, Math.max(0, Math.round(mean + Math.sqrt(mean * (1 - p)) * normal(random))));
}

/** One market: the generator's funnel and audience shapes, with this seed's audience traits and perturbations. */
export function marketOf(seed: number): Market {
  const random = seededRandom(seed * 7919 + 17);
  const jitter = () => Math.exp(SCENARIO.spread * normal(random));
  const channels = MARKET_CHANNELS.map(({ code, kind, onlineType }) => {
    const traits = channelFunnelTraits(kind, onlineType);
    const effect = audienceEffect({
      willingnessToPay: LEVELS[Math.floor(random() * 3)]!,
      priceSensitivity: LEVELS[Math.floor(random() * 3)]!,
      interests: random() < 0.4 ? ['finance'] : [],
    });
    const startRate = Math.min(BEHAVIOUR.maxPropensity, traits.startRate * effect.start);
    const registrationsPerArrival = startRate * traits.completionRate;
    const audience = AUDIENCE_BASE * traits.reach * jitter();
    const pricePerArrival = COST_PER_ARRIVAL[kind] * jitter();
    // The generator's activation: a login at one of the opportunities before the deposit, then the deposit.
    const login = Math.min(BEHAVIOUR.maxPropensity, BEHAVIOUR.loginPropensity * effect.login);
    const loginsBefore = BEHAVIOUR.loginAt.filter((at) => at < BEHAVIOUR.depositAt).length;
    const deposit = Math.min(BEHAVIOUR.maxPropensity, BEHAVIOUR.depositPropensity * effect.deposit);
    const willActivate = (1 - (1 - login) ** loginsBefore) * deposit;
    const meanLagDays = BEHAVIOUR.depositAt * SCENARIO.periodDays * jitter();
    const lagHazard = Math.min(0.9, 1 / meanLagDays);
    const withinPeriod = 1 - (1 - lagHazard) ** SCENARIO.periodDays;
    return {
      code,
      kind,
      saturationRegistrations: audience * registrationsPerArrival,
      scaleMinor: audience * pricePerArrival,
      activationRate: willActivate * withinPeriod,
      lagHazard,
    };
  });
  return { seed, channels };
}

/** Expected eventual activations of a split under the true curves: how every strategy is scored. */
export function trueActivations(market: Market, spendMinor: readonly number[]): number {
  return market.channels.reduce(
    (n, c, i) =>
      n + c.activationRate * c.saturationRegistrations * -Math.expm1(-(spendMinor[i] ?? 0) / c.scaleMinor),
    0,
  );
}

/** Whole minor units in proportion to weights (largest remainder; ties to the first). */
export function proportional(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((n, w) => n + w, 0);
  const exact = weights.map((w) => (sum > 0 ? (total * w) / sum : total / weights.length));
  const out = exact.map(Math.floor);
  let rest = total - out.reduce((n, v) => n + v, 0);
  const order = exact
    .map((v, i) => [v - Math.floor(v), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (rest-- <= 0) break;
    out[i]! += 1;
  }
  return out;
}

export function evenSplit(market: Market): number[] {
  return proportional(
    SCENARIO.budgetMinor,
    market.channels.map(() => 1),
  );
}

export function oracleSplit(market: Market): number[] {
  return [
    ...allocate(
      market.channels.map((c) => ({
        key: c.code,
        curve: { saturation: c.activationRate * c.saturationRegistrations, scaleMinor: c.scaleMinor },
        value: 1,
        lowerMinor: 0,
        upperMinor: SCENARIO.budgetMinor,
      })),
      SCENARIO.budgetMinor,
    ).spendMinor,
  ];
}

/** One registration-day cohort of a channel: how many registered and on which day after each activated. */
interface Cohort {
  readonly day: number;
  readonly spendMinor: number;
  readonly registrations: number;
  /** Activation lags in days (each < the period), one per activated customer. */
  readonly lags: readonly number[];
}

/**
 * Runs one channel's day: spend `spendMinor` more on top of `spentBefore`, registrations arrive as the
 * Poisson count of the curve's increase, each activates with the true rate after a geometric lag.
 */
function runDay(
  c: MarketChannel,
  random: Random,
  day: number,
  spentBefore: number,
  spendMinor: number,
): Cohort {
  const before = -Math.expm1(-spentBefore / c.scaleMinor);
  const after = -Math.expm1(-(spentBefore + spendMinor) / c.scaleMinor);
  const registrations = poisson(random, c.saturationRegistrations * (after - before));
  const activated = binomial(random, registrations, c.activationRate);
  const lags: number[] = [];
  // Given activation within the period, the lag is the geometric truncated to the period.
  const withinPeriod = 1 - (1 - c.lagHazard) ** SCENARIO.periodDays;
  for (let i = 0; i < activated; i++) {
    const u = random() * withinPeriod;
    lags.push(Math.min(SCENARIO.periodDays - 1, Math.floor(Math.log1p(-u) / Math.log1p(-c.lagHazard))));
  }
  return { day, spendMinor, registrations, lags };
}

/** The spend of the cohorts registered on or before `lastDay`. */
function spentBy(cohorts: readonly Cohort[], lastDay: number): number {
  return cohorts.reduce((n, c) => n + (c.day <= lastDay ? c.spendMinor : 0), 0);
}

/** What a review on `day` sees of a channel's cohorts (registrations of days < day). */
function evidenceOf(cohorts: readonly Cohort[], day: number) {
  let registrations = 0;
  let activations = 0;
  let earlyActivations = 0;
  let earlyEligible = 0;
  for (const cohort of cohorts) {
    const age = day - cohort.day;
    registrations += cohort.registrations;
    const eligible = age >= SCENARIO.earlyDays;
    if (eligible) earlyEligible += cohort.registrations;
    for (const lag of cohort.lags) {
      if (lag < age) activations++;
      if (eligible && lag < SCENARIO.earlyDays) earlyActivations++;
    }
  }
  return { registrations, activations, earlyActivations, earlyEligible };
}

/** The short history: one earlier, smaller campaign split evenly, reported as weekly cohorts. */
export interface History {
  readonly points: readonly (readonly ResponsePoint[])[];
  /** Σ activations by day k ÷ Σ activations in the period, over every channel: the early share. */
  readonly earlyShare: number;
}

export function historyOf(market: Market): History {
  const random = seededRandom(market.seed * 104_729 + 3);
  const perChannel = proportional(
    Math.floor(SCENARIO.budgetMinor * SCENARIO.historyBudgetShare),
    market.channels.map(() => 1),
  );
  let early = 0;
  let all = 0;
  const points = market.channels.map((c, i) => {
    const perCohort = proportional(
      perChannel[i]!,
      Array.from({ length: SCENARIO.historyCohorts }, () => 1),
    );
    let spent = 0;
    return perCohort.map((spendMinor, week) => {
      const cohort = runDay(c, random, week * 7, spent, spendMinor);
      spent += spendMinor;
      all += cohort.lags.length;
      early += cohort.lags.filter((lag) => lag < SCENARIO.earlyDays).length;
      return {
        spendMinor,
        registrations: cohort.registrations,
        activations: cohort.lags.length,
        campaign: 'history',
      };
    });
  });
  return { points, earlyShare: all > 0 ? Math.max(early / all, 0.01) : 1 };
}

export interface PlannerResult {
  readonly split: number[];
  /** The planner's fitted curves, as pacing priors (null: the channel had no model). */
  readonly priors: (PacingPrior | null)[];
}

export function plannerSplit(market: Market, history: History): PlannerResult {
  const kindPools: Record<string, RateHistory[]> = {};
  const candidates = market.channels.map((c, i) => {
    const points = history.points[i]!;
    (kindPools[c.kind] ??= []).push({
      registrations: points.reduce((n, p) => n + p.registrations, 0),
      activations: points.reduce((n, p) => n + p.activations, 0),
    });
    return {
      candidate: {
        channelCode: c.code,
        materialVariant: null,
        kind: c.kind,
        minimumMinor: 0,
        maximumMinor: null,
        capacityRegistrations: null,
      },
      history: { points, campaigns: 1, periodRevenueMinor: 0, periodCostMinor: 0 },
    };
  });
  const input: PlanningInput = {
    currency: 'CNY',
    budgetMinor: SCENARIO.budgetMinor,
    objective: { type: 'max_activations' },
    explorationFloorBasisPoints: Math.round(SCENARIO.floorShare * 10_000),
    candidates,
    kindPools,
  };
  const plan = buildPlan(input);
  const byCode = new Map(plan.channels.map((c) => [c.channelCode, c]));
  const split = market.channels.map((c) => byCode.get(c.code)!.spendMinor);
  // Unallocated budget (every modelled channel at a bound) goes evenly: a campaign spends its budget.
  const left = SCENARIO.budgetMinor - split.reduce((n, s) => n + s, 0);
  if (left > 0)
    proportional(
      left,
      split.map(() => 1),
    ).forEach((extra, i) => (split[i]! += extra));
  const priors = market.channels.map((c, i): PacingPrior | null => {
    const model = byCode.get(c.code)!.model;
    if (!model) return null;
    const at = Math.max(split[i]!, 1);
    return {
      activationsPerMillionMinor: (activationsAt(model, at) / at) * 1_000_000,
      weight: SCENARIO.priorWeight,
      scaleMinor: model.scaleMinor,
    };
  });
  return { split, priors };
}

export interface AdaptiveOptions {
  readonly initialCaps: readonly number[];
  readonly priors: readonly (PacingPrior | null)[] | null;
  readonly earlyShare: number | undefined;
  /** Whether reviews say what was spent k days ago (PacingChannelEvidence.spentEligibleMinor). */
  readonly reportEligibleSpend: boolean;
}

export interface AdaptiveResult {
  readonly split: number[];
  readonly reviews: number;
  readonly moves: number;
}

/**
 * Runs the campaign day by day: each channel spends what is left of its cap evenly over the days left;
 * at each review the policy re-caps every channel from the evidence so far. The final caps are the
 * final spend (the last day spends what is left).
 */
export function adaptiveSplit(market: Market, options: AdaptiveOptions, stream: number): AdaptiveResult {
  const random = seededRandom(market.seed * 15_485_863 + stream);
  const n = market.channels.length;
  const caps = [...options.initialCaps];
  const spent = new Array<number>(n).fill(0);
  const cohorts: Cohort[][] = market.channels.map(() => []);
  let reviews = 0;
  let moves = 0;
  for (let day = 0; day < SCENARIO.days; day++) {
    if (day > 0 && day % SCENARIO.reviewEveryDays === 0) {
      const input: PacingReviewInput = {
        budgetMinor: BigInt(SCENARIO.budgetMinor),
        channels: market.channels.map((c, i): PacingChannelEvidence => ({
          channelCode: c.code,
          capMinor: BigInt(caps[i]!),
          spentMinor: BigInt(spent[i]!),
          ...evidenceOf(cohorts[i]!, day),
          ...(options.reportEligibleSpend
            ? { spentEligibleMinor: BigInt(spentBy(cohorts[i]!, day - SCENARIO.earlyDays)) }
            : {}),
        })),
        floorShare: SCENARIO.floorShare,
        earlyDays: SCENARIO.earlyDays,
        seed: `market-${market.seed}:${stream}:${reviews}`,
      };
      if (options.earlyShare !== undefined) input.earlyShare = options.earlyShare;
      if (options.priors) {
        input.prior = {};
        options.priors.forEach((p, i) => {
          if (p) input.prior![market.channels[i]!.code] = p;
        });
      }
      const decision = reallocatePacing(input);
      decision.channels.forEach((d, i) => {
        if (Number(d.toMinor) !== caps[i]) moves++;
        caps[i] = Number(d.toMinor);
      });
      reviews++;
    }
    const daysLeft = SCENARIO.days - day;
    market.channels.forEach((c, i) => {
      const spend = Math.floor((caps[i]! - spent[i]!) / daysLeft);
      cohorts[i]!.push(runDay(c, random, day, spent[i]!, spend));
      spent[i]! += spend;
    });
  }
  market.channels.forEach((_, i) => (spent[i] = caps[i]!));
  return { split: spent, reviews, moves };
}

export interface SeedResult {
  readonly seed: number;
  /** Expected eventual activations per 1,000,000 minor units of budget, by strategy. */
  readonly even: number;
  readonly planner: number;
  readonly adaptive: number;
  readonly adaptiveCold: number;
  /** Adaptive pacing whose reviews do not give spentEligibleMinor (the bend stays the history's). */
  readonly adaptiveWithoutEligibleSpend: number;
  readonly oracle: number;
}

export function runSeed(seed: number): SeedResult {
  const market = marketOf(seed);
  const history = historyOf(market);
  const planner = plannerSplit(market, history);
  const per = (split: readonly number[]) =>
    (trueActivations(market, split) / SCENARIO.budgetMinor) * 1_000_000;
  const adaptive = adaptiveSplit(
    market,
    {
      initialCaps: planner.split,
      priors: planner.priors,
      earlyShare: history.earlyShare,
      reportEligibleSpend: true,
    },
    1,
  );
  const withoutEligibleSpend = adaptiveSplit(
    market,
    {
      initialCaps: planner.split,
      priors: planner.priors,
      earlyShare: history.earlyShare,
      reportEligibleSpend: false,
    },
    1,
  );
  const cold = adaptiveSplit(
    market,
    { initialCaps: evenSplit(market), priors: null, earlyShare: undefined, reportEligibleSpend: true },
    2,
  );
  return {
    seed,
    even: per(evenSplit(market)),
    planner: per(planner.split),
    adaptive: per(adaptive.split),
    adaptiveCold: per(cold.split),
    adaptiveWithoutEligibleSpend: per(withoutEligibleSpend.split),
    oracle: per(oracleSplit(market)),
  };
}

/** Mean with a 95% interval of the mean (Student t) and the 2.5–97.5% spread over the seeds. */
export interface Summary {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
  readonly spreadLow: number;
  readonly spreadHigh: number;
}

// Student t 0.975 quantiles for small degrees of freedom; beyond 30 the normal's 1.96 is close enough.
const T975: Record<number, number> = {
  19: 2.093,
  20: 2.086,
  21: 2.08,
  22: 2.074,
  23: 2.069,
  24: 2.064,
  25: 2.06,
  26: 2.056,
  27: 2.052,
  28: 2.048,
  29: 2.045,
  30: 2.042,
};

function quantile(sorted: readonly number[], q: number): number {
  const at = q * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

export function summarise(values: readonly number[]): Summary {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(n - 1, 1));
  const t = T975[n - 1] ?? 1.96;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    mean,
    low: mean - (t * sd) / Math.sqrt(n),
    high: mean + (t * sd) / Math.sqrt(n),
    spreadLow: quantile(sorted, 0.025),
    spreadHigh: quantile(sorted, 0.975),
  };
}

export function runMarketBacktest(seeds: readonly number[]) {
  const results = seeds.map(runSeed);
  const pick = (f: (r: SeedResult) => number) => summarise(results.map(f));
  return {
    results,
    perMillion: {
      even: pick((r) => r.even),
      planner: pick((r) => r.planner),
      adaptive: pick((r) => r.adaptive),
      adaptiveCold: pick((r) => r.adaptiveCold),
      adaptiveWithoutEligibleSpend: pick((r) => r.adaptiveWithoutEligibleSpend),
      oracle: pick((r) => r.oracle),
    },
    adaptiveVsOracle: pick((r) => r.adaptive / r.oracle),
    adaptiveColdVsOracle: pick((r) => r.adaptiveCold / r.oracle),
    adaptiveWithoutEligibleSpendVsOracle: pick((r) => r.adaptiveWithoutEligibleSpend / r.oracle),
    plannerVsOracle: pick((r) => r.planner / r.oracle),
    evenVsOracle: pick((r) => r.even / r.oracle),
    adaptiveVsEven: pick((r) => r.adaptive - r.even),
    adaptiveVsEvenRatio: pick((r) => r.adaptive / r.even),
    adaptiveVsPlanner: pick((r) => r.adaptive - r.planner),
  };
}
