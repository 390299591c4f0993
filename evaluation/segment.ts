// Builds one report row (SegmentMetrics) from a segment's totals: funnel counts, costs by scope and
// category, every ratio, the arms, and time to activate. Also keeps the exact ratios for the checks.
import { money } from '../domain/money';
import { costOf, flaggedOf, type ArmTotals, type SegmentTotals } from './aggregate';
import type { CostScope } from './input';
import * as metrics from './metrics';
import type { ExactRatio } from './metrics';
import { renderMoneyRatio, renderRatio } from './render';
import type {
  ArmMetrics,
  CategoryCost,
  CostTotals,
  Dimension,
  RatioValue,
  SegmentMetrics,
  TimeToActivate,
} from './types';

/** The exact ratios a row was rendered from, kept beside it so checks never re-parse strings. */
export interface ExactSegmentRatios {
  readonly cac: ExactRatio;
  readonly aac: ExactRatio;
  readonly activationRate: ExactRatio;
}

export interface BuiltSegment {
  readonly row: SegmentMetrics;
  readonly exact: ExactSegmentRatios;
}

const SCOPES: readonly CostScope[] = ['acquisition', 'period'];

/** Code-unit order: unlike localeCompare it does not depend on the machine's ICU data. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function count(value: bigint): number {
  // Counts come from safe integers; a sum beyond 2^53 would mean corrupt input, not a big campaign.
  const result = Number(value);
  if (!Number.isSafeInteger(result)) throw new RangeError(`count ${value} exceeds a safe integer`);
  return result;
}

export function costTotals(totals: SegmentTotals, currency: string): CostTotals {
  const byCategory: CategoryCost[] = [];
  for (const scope of SCOPES) {
    const categories = [...(totals.costs.get(scope) ?? new Map<string, bigint>()).entries()];
    categories.sort(([a], [b]) => byCodeUnits(a, b));
    for (const [category, amount] of categories)
      byCategory.push({ scope, category, amount: money(amount, currency) });
  }
  const acquisition = costOf(totals, 'acquisition');
  const period = costOf(totals, 'period');
  return {
    acquisition: money(acquisition, currency),
    period: money(period, currency),
    total: money(acquisition + period, currency),
    byCategory,
  };
}

export function armMetrics(
  group: string,
  arm: ArmTotals,
  controlGroup: string | null,
  currency: string,
): ArmMetrics {
  return {
    group,
    role: group === controlGroup ? 'control' : 'treatment',
    registrations: count(arm.registrations),
    activated: count(arm.activated),
    activationRate: renderRatio(metrics.activationRate(arm.activated, arm.registrations)),
    revenue: money(arm.revenue, currency),
    revenuePerCustomer: renderMoneyRatio(
      metrics.revenuePerCustomer(arm.revenue, arm.registrations),
      currency,
    ),
  };
}

export interface SegmentContext {
  readonly currency: string;
  readonly controlGroup: string | null;
  readonly timeToActivate: TimeToActivate | null;
  readonly mature: boolean | null;
}

export function buildSegment(
  dimension: Dimension,
  key: string,
  totals: SegmentTotals,
  context: SegmentContext,
): BuiltSegment {
  const { currency, controlGroup } = context;
  const acquisition = costOf(totals, 'acquisition');
  const period = costOf(totals, 'period');
  const arms = [...totals.arms.entries()]
    .sort(([a], [b]) => byCodeUnits(a, b))
    .map(([group, arm]) => armMetrics(group, arm, controlGroup, currency));
  const control = arms.find((arm) => arm.role === 'control');
  const flaggedByReason = [...totals.flaggedByReason.entries()]
    .sort(([a], [b]) => byCodeUnits(a, b))
    .map(([reason, flagged]) => ({ reason, count: count(flagged) }));

  const exact: ExactSegmentRatios = {
    cac: metrics.cac(acquisition, totals.registrations),
    aac: metrics.aac(acquisition, totals.activated),
    activationRate: metrics.activationRate(totals.activated, totals.registrations),
  };
  const registrations = count(totals.registrations);
  const activated = count(totals.activated);
  const delivery = totals.delivery;
  const started = delivery?.registrationsStarted ?? null;
  // Cohorts have no delivery figures (a placement serves every cohort); other rows may have none reported.
  const withoutDelivery: RatioValue =
    dimension === 'cohort'
      ? { defined: false, reason: 'not_attributable' }
      : { defined: false, reason: 'not_reported' };
  const row: SegmentMetrics = {
    dimension,
    key,
    mature: context.mature,
    funnel: {
      placements: totals.placements === null ? null : count(totals.placements),
      impressions: delivery === null ? null : count(delivery.impressions),
      clicks: delivery === null ? null : count(delivery.clicks),
      registrationsStarted: started === null ? null : count(started),
      registrationsValid: registrations,
      registrationsFlagged: count(flaggedOf(totals)),
      flaggedByReason,
      registrationsFraudFlagged: count(totals.fraudFlagged),
      activated,
      controlRegistrations: control?.registrations ?? 0,
      controlActivated: control?.activated ?? 0,
      treatmentRegistrations: registrations - (control?.registrations ?? 0),
      treatmentActivated: activated - (control?.activated ?? 0),
    },
    costs: costTotals(totals, currency),
    revenue: money(totals.revenue, currency),
    registrationsPerPlacement:
      totals.placements === null
        ? { defined: false, reason: 'not_attributable' }
        : renderRatio(metrics.registrationsPerPlacement(totals.registrations, totals.placements)),
    clickThroughRate:
      delivery === null
        ? withoutDelivery
        : renderRatio(metrics.clickThroughRate(delivery.clicks, delivery.impressions)),
    registrationsPerClick:
      delivery === null
        ? withoutDelivery
        : renderRatio(metrics.registrationsPerClick(totals.registrations, delivery.clicks)),
    startsPerClick:
      delivery === null || started === null
        ? withoutDelivery
        : renderRatio(metrics.startsPerClick(started, delivery.clicks)),
    registrationsPerStart:
      started === null
        ? withoutDelivery
        : renderRatio(metrics.registrationsPerStart(totals.registrations, started)),
    activationRate: renderRatio(exact.activationRate),
    fraudRate: renderRatio(metrics.fraudRate(totals.fraudFlagged, totals.registrations)),
    cac: renderMoneyRatio(exact.cac, currency),
    aac: renderMoneyRatio(exact.aac, currency),
    revenuePerCustomer: renderMoneyRatio(
      metrics.revenuePerCustomer(totals.revenue, totals.registrations),
      currency,
    ),
    lroi: renderRatio(metrics.lroi(totals.revenue, period)),
    roi: renderRatio(metrics.roi(totals.revenue, acquisition + period)),
    timeToActivate: context.timeToActivate,
    arms,
  };
  return { row, exact };
}
