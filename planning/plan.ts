// The allocation planner: given a budget, candidate channels with their bounds and their history, and an
// objective, it fits each channel's response model, splits the budget by marginal returns (allocate.ts)
// and explains every channel's share in plain words. Pure: the same input always gives the same plan.
// Spend is exact (whole minor units); expected registrations, activations, AAC and LROI are estimates
// with 95% intervals. docs/planning.md describes the method; api/planning/ serves it.
import { allocate, valueOf, type AllocationUnit } from './allocate';
import { describeBound, type Bound } from './reasons';
import {
  activationsAt,
  activationsInterval,
  fitResponse,
  marginalAacMinor,
  rateHistoryOf,
  spendForActivations,
  type ResponseCurve,
  type ResponsePoint,
} from './response-model';
import { kindPrior, type RateHistory } from './shrinkage';

export type Objective =
  | { readonly type: 'max_activations' }
  | { readonly type: 'min_aac'; readonly minimumActivations: number }
  | { readonly type: 'max_lroi' };

export interface Candidate {
  readonly channelCode: string;
  /** Narrows the channel's history to one material variant (e.g. one arm of an experiment); null = all. */
  readonly materialVariant: string | null;
  readonly kind: string;
  readonly minimumMinor: number;
  readonly maximumMinor: number | null;
  /** The most registrations the channel can take in the campaign (expected), or null for no limit. */
  readonly capacityRegistrations: number | null;
}

export interface CandidateHistory {
  readonly points: readonly ResponsePoint[];
  readonly campaigns: number;
  /** New-customer-period revenue and cost of the history's (non-control) registrations, minor units. */
  readonly periodRevenueMinor: number;
  readonly periodCostMinor: number;
}

export interface PlanningInput {
  readonly currency: string;
  readonly budgetMinor: number;
  readonly objective: Objective;
  /** Share of the budget a channel without history is kept at (basis points: 500 = 5%). */
  readonly explorationFloorBasisPoints: number;
  readonly candidates: readonly { readonly candidate: Candidate; readonly history: CandidateHistory }[];
  /** Per channel kind, the rate histories of every channel of that kind in the history (for shrinkage). */
  readonly kindPools: Readonly<Record<string, readonly RateHistory[]>>;
}

export interface Estimate {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

export type RatioEstimate =
  ({ readonly defined: true } & Estimate) | { readonly defined: false; readonly reason: string };

export interface ChannelPlan {
  readonly channelCode: string;
  readonly materialVariant: string | null;
  readonly kind: string;
  readonly spendMinor: number;
  readonly bound: Bound;
  readonly history: {
    readonly campaigns: number;
    readonly points: number;
    readonly spendMinor: number;
    readonly registrations: number;
    readonly activations: number;
  };
  readonly model: ResponseCurve | null;
  readonly registrations: Estimate | null;
  readonly activations: Estimate | null;
  readonly aacMinor: RatioEstimate;
  readonly lroi: RatioEstimate;
  readonly marginalAacMinor: number | null;
  readonly reason: string;
}

export interface Plan {
  readonly currency: string;
  readonly budgetMinor: number;
  readonly allocatedMinor: number;
  readonly unallocatedMinor: number;
  readonly objective: Objective & { readonly met: boolean };
  readonly channels: readonly ChannelPlan[];
  readonly totals: {
    readonly registrations: Estimate;
    readonly activations: Estimate;
    readonly aacMinor: RatioEstimate;
    readonly lroi: RatioEstimate;
    /** Spend on channels without a model: in the allocation, not in the expected figures. */
    readonly unmodelledSpendMinor: number;
  };
  /** The plan's marginal AAC (minor units per activation) where the budget ran out; null if it did not. */
  readonly marginalAacMinor: number | null;
  readonly notes: readonly string[];
}

/** A request the planner cannot serve, with the field to blame. */
export class PlanningInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const keyOf = (c: Candidate) => `${c.channelCode}\u0000${c.materialVariant ?? ''}`;

interface Prepared {
  readonly index: number;
  readonly candidate: Candidate;
  readonly history: CandidateHistory;
  readonly curve: ResponseCurve | null;
  /** Net new-customer-period revenue per registration (max_lroi's value), from the history. */
  readonly netRevenuePerRegistration: number;
  readonly capacitySpendMinor: number | null;
}

// Candidates in key order first, so that every float sum runs in one order: the plan cannot depend on
// the order the request listed them in.
function prepare(input: PlanningInput): Prepared[] {
  const ordered = [...input.candidates].sort((a, b) => byCodeUnits(keyOf(a.candidate), keyOf(b.candidate)));
  return ordered.map(({ candidate, history }, index) => {
    const curve = fitResponse(history.points, kindPrior(input.kindPools[candidate.kind] ?? []));
    const registrations = rateHistoryOf(history.points).registrations;
    const netRevenuePerRegistration =
      registrations > 0 ? (history.periodRevenueMinor - history.periodCostMinor) / registrations : 0;
    let capacitySpendMinor: number | null = null;
    if (curve && candidate.capacityRegistrations !== null) {
      const spend = spendForActivations(
        curve,
        candidate.capacityRegistrations * curve.activationRate.estimate,
      );
      capacitySpendMinor = Number.isFinite(spend) ? Math.floor(spend) : null;
    }
    return { index, candidate, history, curve, netRevenuePerRegistration, capacitySpendMinor };
  });
}

function valuePerActivation(p: Prepared, objective: Objective): number {
  if (!p.curve) return 0;
  if (objective.type !== 'max_lroi') return 1;
  return p.netRevenuePerRegistration / p.curve.activationRate.estimate;
}

// Exploration floors of the channels without a model, scaled down together (whole minor units) when
// they would not fit beside every channel's minimum.
function explorationFloors(input: PlanningInput, prepared: readonly Prepared[]): Map<number, number> {
  const floor = Math.floor((input.budgetMinor * input.explorationFloorBasisPoints) / 10_000);
  const minimums = prepared.reduce((n, p) => n + p.candidate.minimumMinor, 0);
  const extra = new Map<number, number>();
  for (const p of prepared) {
    if (p.curve) continue;
    const cap = Math.min(p.candidate.maximumMinor ?? Number.MAX_SAFE_INTEGER, input.budgetMinor);
    extra.set(p.index, Math.max(0, Math.min(floor, cap) - p.candidate.minimumMinor));
  }
  const wanted = [...extra.values()].reduce((n, e) => n + e, 0);
  const room = input.budgetMinor - minimums;
  if (wanted > room) {
    for (const [index, e] of extra) extra.set(index, Number((BigInt(e) * BigInt(room)) / BigInt(wanted)));
  }
  return extra;
}

interface Bounds {
  readonly lowerMinor: number;
  readonly upperMinor: number;
  readonly upperIs: 'maximum' | 'capacity' | 'budget';
}

function boundsOf(p: Prepared, input: PlanningInput, exploration: Map<number, number>): Bounds {
  const { minimumMinor, maximumMinor } = p.candidate;
  if (!p.curve) {
    const held = minimumMinor + (exploration.get(p.index) ?? 0);
    return { lowerMinor: held, upperMinor: held, upperIs: 'budget' };
  }
  let upperMinor = input.budgetMinor;
  let upperIs: Bounds['upperIs'] = 'budget';
  if (maximumMinor !== null && maximumMinor <= upperMinor) [upperMinor, upperIs] = [maximumMinor, 'maximum'];
  if (p.capacitySpendMinor !== null && p.capacitySpendMinor < upperMinor)
    [upperMinor, upperIs] = [p.capacitySpendMinor, 'capacity'];
  // A capacity below the stated minimum: the capacity wins (the plan never exceeds it); the reason says so.
  return { lowerMinor: Math.min(minimumMinor, upperMinor), upperMinor, upperIs };
}

function sumOf(values: readonly number[]): number {
  return values.reduce((n, v) => n + v, 0);
}

function ratio(numerator: Estimate, denominator: Estimate, reasonIfZero: string): RatioEstimate {
  if (!(denominator.estimate > 0)) return { defined: false, reason: reasonIfZero };
  return {
    defined: true,
    estimate: numerator.estimate / denominator.estimate,
    low: denominator.high > 0 ? numerator.low / denominator.high : 0,
    high: denominator.low > 0 ? numerator.high / denominator.low : Number.POSITIVE_INFINITY,
  };
}

const exact = (value: number): Estimate => ({ estimate: value, low: value, high: value });

/** Builds the plan. Throws PlanningInputError for bounds that cannot be met (the API answers 400). */
export function buildPlan(input: PlanningInput): Plan {
  const minimums = sumOf(input.candidates.map((c) => c.candidate.minimumMinor));
  const keys = new Set(input.candidates.map((c) => keyOf(c.candidate)));
  if (keys.size !== input.candidates.length)
    throw new PlanningInputError('channels', 'a channel (and material variant) is listed twice');
  if (minimums > input.budgetMinor) {
    throw new PlanningInputError(
      'budget.minor',
      `the budget (${input.budgetMinor}) is below the sum of the channels' minimum spend (${minimums})`,
    );
  }
  const prepared = prepare(input);
  const exploration = explorationFloors(input, prepared);
  const bounds = prepared.map((p) => boundsOf(p, input, exploration));
  const units: AllocationUnit[] = prepared.map((p, i) => ({
    key: keyOf(p.candidate),
    curve: p.curve,
    value: valuePerActivation(p, input.objective),
    lowerMinor: bounds[i]!.lowerMinor,
    upperMinor: bounds[i]!.upperMinor,
  }));

  const activationsOf = (spend: readonly number[]) =>
    valueOf(
      units.map((u) => ({ ...u, value: u.curve ? 1 : 0 })),
      spend,
    );
  let allocation = allocate(units, input.budgetMinor);
  let met = true;
  const notes: string[] = [];
  if (input.objective.type === 'min_aac') {
    // The cheapest activations come first on the marginal-returns path, so the lowest AAC that reaches
    // the volume is the smallest budget that does: found by bisection over whole minor units.
    const target = input.objective.minimumActivations;
    if (activationsOf(allocation.spendMinor) < target) {
      met = false;
      notes.push(
        `The minimum volume of ${target} activations is out of reach: the whole budget is expected to bring ` +
          `${activationsOf(allocation.spendMinor).toFixed(1)}; the plan spends it all for as many as it can.`,
      );
    } else {
      let low = sumOf(units.map((u) => u.lowerMinor));
      let high = input.budgetMinor;
      while (low < high) {
        const mid = low + Math.floor((high - low) / 2);
        if (activationsOf(allocate(units, mid).spendMinor) >= target) high = mid;
        else low = mid + 1;
      }
      const reached = allocate(units, low);
      allocation = { ...reached, unallocatedMinor: input.budgetMinor - (low - reached.unallocatedMinor) };
      if (allocation.unallocatedMinor > 0)
        notes.push(
          `The minimum volume of ${target} activations is expected from ${low} minor units; spending more ` +
            `would only raise AAC, so the rest of the budget is left unallocated.`,
        );
    }
  }

  const modelled = prepared.filter((p) => p.curve);
  if (modelled.length === 0) {
    notes.push(
      'No history for any candidate channel: each is kept at its exploration floor (or minimum) and the rest of ' +
        'the budget is left unallocated until campaigns bring evidence. The expected figures are unknown.',
    );
  } else if (
    allocation.unallocatedMinor > 0 &&
    allocation.level === null &&
    input.objective.type !== 'min_aac'
  ) {
    notes.push(
      input.objective.type === 'max_lroi' && units.every((u) => u.value <= 0 || !u.curve)
        ? 'No candidate’s history shows new-customer-period revenue above its period cost: nothing beyond the ' +
            'minimums and exploration floors is allocated.'
        : 'Every channel with history is at its maximum spend or capacity: the rest of the budget is left unallocated.',
    );
  }
  const levelAac =
    allocation.level !== null && input.objective.type !== 'max_lroi' ? 1 / allocation.level : null;

  const channels = prepared.map((p, i): ChannelPlan => {
    const spendMinor = allocation.spendMinor[i]!;
    const rate = rateHistoryOf(p.history.points);
    const history = {
      campaigns: p.history.campaigns,
      points: p.history.points.length,
      spendMinor: sumOf(p.history.points.map((pt) => pt.spendMinor)),
      registrations: rate.registrations,
      activations: rate.activations,
    };
    const bound: Bound = !p.curve
      ? (exploration.get(p.index) ?? 0) > 0
        ? 'exploration_floor'
        : 'minimum'
      : units[i]!.value <= 0
        ? 'no_value'
        : spendMinor >= bounds[i]!.upperMinor && bounds[i]!.upperIs !== 'budget'
          ? bounds[i]!.upperIs
          : spendMinor <= bounds[i]!.lowerMinor
            ? spendMinor === 0
              ? 'none'
              : 'minimum'
            : 'margin';
    if (!p.curve) {
      return {
        ...p.candidate,
        spendMinor,
        bound,
        history,
        model: null,
        registrations: null,
        activations: null,
        aacMinor: { defined: false, reason: 'no_history' },
        lroi: { defined: false, reason: 'no_history' },
        marginalAacMinor: null,
        reason: describeBound({ bound, currency: input.currency, spendMinor, history, curve: null }),
      };
    }
    const curve = p.curve;
    const point = activationsAt(curve, spendMinor);
    const interval = activationsInterval(curve, spendMinor);
    const activations = { estimate: point, ...interval };
    const perRegistration = 1 / curve.activationRate.estimate;
    const registrations = {
      estimate: point * perRegistration,
      low: interval.low * perRegistration,
      high: interval.high * perRegistration,
    };
    const revenuePerRegistration =
      rate.registrations > 0 ? p.history.periodRevenueMinor / rate.registrations : 0;
    const costPerRegistration = rate.registrations > 0 ? p.history.periodCostMinor / rate.registrations : 0;
    const marginal = marginalAacMinor(curve, spendMinor);
    return {
      ...p.candidate,
      spendMinor,
      bound,
      history,
      model: curve,
      registrations,
      activations,
      aacMinor:
        spendMinor === 0
          ? { defined: false, reason: 'no_spend' }
          : ratio(exact(spendMinor), activations, 'no_expected_activations'),
      lroi:
        costPerRegistration > 0
          ? ratio(
              scale(registrations, revenuePerRegistration),
              scale(registrations, costPerRegistration),
              'no_expected_registrations',
            )
          : { defined: false, reason: 'zero_period_cost' },
      marginalAacMinor: marginal,
      reason: describeBound({
        bound,
        currency: input.currency,
        spendMinor,
        history,
        curve,
        marginalAacMinor: marginal,
        levelAacMinor: levelAac,
        capacityRegistrations: p.candidate.capacityRegistrations,
        minimumMinor: p.candidate.minimumMinor,
      }),
    };
  });

  const withModel = channels.filter((c) => c.model !== null);
  const total = (pick: (c: ChannelPlan) => Estimate | null): Estimate => ({
    estimate: sumOf(withModel.map((c) => pick(c)!.estimate)),
    low: sumOf(withModel.map((c) => pick(c)!.low)),
    high: sumOf(withModel.map((c) => pick(c)!.high)),
  });
  const registrations = total((c) => c.registrations);
  const activations = total((c) => c.activations);
  const modelledSpend = sumOf(withModel.map((c) => c.spendMinor));
  const revenue = total((c) => scaleByHistory(c, prepared, 'periodRevenueMinor'));
  const periodCost = total((c) => scaleByHistory(c, prepared, 'periodCostMinor'));
  const allocatedMinor = input.budgetMinor - allocation.unallocatedMinor;
  return {
    currency: input.currency,
    budgetMinor: input.budgetMinor,
    allocatedMinor,
    unallocatedMinor: allocation.unallocatedMinor,
    objective: { ...input.objective, met },
    channels,
    totals: {
      registrations,
      activations,
      aacMinor:
        withModel.length === 0
          ? { defined: false, reason: 'no_history' }
          : modelledSpend === 0
            ? { defined: false, reason: 'no_spend' }
            : ratio(exact(modelledSpend), activations, 'no_expected_activations'),
      lroi:
        periodCost.estimate > 0
          ? ratio(revenue, periodCost, 'no_expected_registrations')
          : { defined: false, reason: withModel.length === 0 ? 'no_history' : 'zero_period_cost' },
      unmodelledSpendMinor: allocatedMinor - modelledSpend,
    },
    marginalAacMinor: levelAac,
    notes,
  };
}

function scale(e: Estimate, by: number): Estimate {
  return { estimate: e.estimate * by, low: e.low * by, high: e.high * by };
}

// Expected new-customer-period revenue (or cost) of a channel's planned registrations, at its history's
// amount per registration.
function scaleByHistory(
  c: ChannelPlan,
  prepared: readonly Prepared[],
  field: 'periodRevenueMinor' | 'periodCostMinor',
): Estimate | null {
  const p = prepared.find(
    (q) => q.candidate.channelCode === c.channelCode && q.candidate.materialVariant === c.materialVariant,
  )!;
  const perRegistration = c.history.registrations > 0 ? p.history[field] / c.history.registrations : 0;
  return c.registrations ? scale(c.registrations, perRegistration) : null;
}
