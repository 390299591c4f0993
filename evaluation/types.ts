// The shape of an evaluation report body: what is stored, served by the API and exported as CSV.
// Plain JSON (no bigint, no undefined, no Infinity), so that the same facts give byte-identical
// reports and a stored report reads back unchanged.
import type { Money } from '../domain/money';
import type { CostScope } from './input';
import type { ExactRational } from './rational';

/** Why a ratio has no value. A ratio is never reported as 0 or Infinity for lack of a denominator. */
export type UndefinedReason =
  | 'no_registrations'
  | 'no_activations'
  | 'no_placements'
  /** The figure has no meaning on this dimension (placements per cohort). */
  | 'not_attributable'
  /** No channel reported impressions or clicks for this segment (no delivery report). */
  | 'not_reported'
  | 'no_impressions'
  | 'no_clicks'
  /** The channels reported no sign-up started for this segment (started = 0). */
  | 'no_starts'
  | 'zero_cost'
  | 'negative_cost'
  | 'no_control_group'
  | 'no_treatment_group'
  | 'control_group_empty'
  | 'treatment_group_empty'
  | 'control_rate_zero'
  | 'zero_variance';

export interface Undefined {
  readonly defined: false;
  readonly reason: UndefinedReason;
}

/** A dimensionless ratio: a rounded decimal string and the exact rational it was rounded from. */
export type RatioValue =
  { readonly defined: true; readonly value: string; readonly exact: ExactRational } | Undefined;

/** Money per customer: `minor` in minor units, `major` the same value in major units (same digits). */
export type MoneyRatioValue =
  | {
      readonly defined: true;
      readonly currency: string;
      readonly minor: string;
      readonly major: string;
      /** Exact value in minor units. */
      readonly exact: ExactRational;
    }
  | Undefined;

export type Dimension = 'overall' | 'channel' | 'material' | 'cohort';

export interface FlaggedCount {
  readonly reason: string;
  readonly count: number;
}

export interface FunnelCounts {
  /** Null on cohort rows: a placement serves every cohort, so it has no cohort. */
  readonly placements: number | null;
  /** Reported by the channels (delivery reports); null where none were reported, and on cohort rows. */
  readonly impressions: number | null;
  readonly clicks: number | null;
  /** Sign-ups started, as the channels reported them; null where none reported them, and on cohort rows. */
  readonly registrationsStarted: number | null;
  readonly registrationsValid: number;
  readonly registrationsFlagged: number;
  readonly flaggedByReason: readonly FlaggedCount[];
  /** Registrations the anti-fraud systems flagged after they were accepted (counted in registrationsFlagged too). */
  readonly registrationsFraudFlagged: number;
  readonly activated: number;
  readonly controlRegistrations: number;
  readonly controlActivated: number;
  readonly treatmentRegistrations: number;
  readonly treatmentActivated: number;
}

export interface CategoryCost {
  readonly scope: CostScope;
  readonly category: string;
  readonly amount: Money;
}

export interface CostTotals {
  readonly acquisition: Money;
  readonly period: Money;
  /** acquisition + period: the cost ROI is computed on. */
  readonly total: Money;
  readonly byCategory: readonly CategoryCost[];
}

export interface TimeToActivate {
  readonly medianSeconds: number;
  readonly p90Seconds: number;
}

/** One arm (control or treatment) inside a segment. Costs are not split by arm, so no CAC here. */
export interface ArmMetrics {
  readonly group: string;
  readonly role: 'control' | 'treatment';
  readonly registrations: number;
  readonly activated: number;
  readonly activationRate: RatioValue;
  readonly revenue: Money;
  readonly revenuePerCustomer: MoneyRatioValue;
}

/** Funnel, costs and ratios of one segment: the whole campaign, a channel, a material or a cohort. */
export interface SegmentMetrics {
  readonly dimension: Dimension;
  /** channelId, materialVariant or cohortKey; '' for overall. */
  readonly key: string;
  /** Cohort rows only: whether the cohort's new-customer period has ended; null when not known. */
  readonly mature: boolean | null;
  readonly funnel: FunnelCounts;
  readonly costs: CostTotals;
  readonly revenue: Money;
  readonly registrationsPerPlacement: RatioValue;
  /** Clicks ÷ impressions. */
  readonly clickThroughRate: RatioValue;
  /** Valid registrations ÷ clicks: a yield (registrations also come from elsewhere than clicks). */
  readonly registrationsPerClick: RatioValue;
  /** Sign-ups started ÷ clicks: how many who clicked opened the sign-up form. */
  readonly startsPerClick: RatioValue;
  /** Valid registrations ÷ sign-ups started: how much of the sign-up flow people get through (轻流程). */
  readonly registrationsPerStart: RatioValue;
  readonly activationRate: RatioValue;
  /** Flagged after the fact ÷ (valid + flagged after the fact). */
  readonly fraudRate: RatioValue;
  readonly cac: MoneyRatioValue;
  readonly aac: MoneyRatioValue;
  readonly revenuePerCustomer: MoneyRatioValue;
  readonly lroi: RatioValue;
  readonly roi: RatioValue;
  readonly timeToActivate: TimeToActivate | null;
  readonly arms: readonly ArmMetrics[];
}

export type ZTestValue =
  | { readonly defined: true; readonly z: string; readonly pValue: string; readonly standardError: string }
  | Undefined;

export type IntervalValue =
  | { readonly defined: true; readonly lower: string; readonly upper: string; readonly standardError: string }
  | Undefined;

/** One treatment (an arm, or all treatment arms pooled) against the control group. */
export interface ArmLift {
  readonly defined: true;
  /** The treatment arms compared: one name, or every treatment arm for the pooled comparison. */
  readonly groups: readonly string[];
  readonly registrations: number;
  readonly activated: number;
  readonly activationRate: RatioValue;
  readonly revenue: Money;
  readonly revenuePerCustomer: MoneyRatioValue;
  /** Activation rate, treatment − control. */
  readonly difference: RatioValue;
  /** difference ÷ control activation rate. */
  readonly relativeLift: RatioValue;
  readonly zTest: ZTestValue;
  readonly confidenceInterval95: IntervalValue;
  /** Revenue per customer, treatment − control. */
  readonly revenuePerCustomerDifference: MoneyRatioValue;
}

export type LiftReport =
  | {
      readonly defined: true;
      readonly control: ArmMetrics;
      readonly arms: readonly ArmLift[];
      readonly pooled: ArmLift | Undefined;
    }
  | Undefined;

export interface CheckResult {
  readonly name: string;
  readonly holds: boolean;
  /** What was compared, and every mismatch found. */
  readonly details: readonly string[];
}

export interface Checks {
  readonly allHold: boolean;
  readonly items: readonly CheckResult[];
}

/** Costs that a dimension cannot attribute (a null attribute in the cost ledger). */
export interface UnattributedCosts {
  readonly channel: CostTotals;
  readonly material: CostTotals;
  readonly cohort: CostTotals;
}

export interface EvaluationReportBody {
  readonly reportVersion: 1;
  readonly currency: string;
  /** Provisional while some cohort's new-customer period has not ended. */
  readonly status: 'final' | 'provisional';
  readonly definitions: Definitions;
  readonly overall: SegmentMetrics;
  readonly byChannel: readonly SegmentMetrics[];
  readonly byMaterial: readonly SegmentMetrics[];
  readonly byCohort: readonly SegmentMetrics[];
  readonly unattributedCosts: UnattributedCosts;
  readonly lift: LiftReport;
  readonly checks: Checks;
}

export interface Definitions {
  readonly currency: string;
  readonly minorUnitExponent: number;
  readonly precision: {
    readonly moneyPerCustomer: string;
    readonly moneyPerCustomerDecimalPlacesOfMinorUnits: number;
    readonly dimensionless: string;
    readonly dimensionlessDecimalPlaces: number;
    readonly statistics: string;
    readonly rounding: 'half-even';
  };
  readonly ratios: {
    readonly cac: string;
    readonly aac: string;
    readonly activationRate: string;
    readonly fraudRate: string;
    readonly registrationsPerPlacement: string;
    readonly clickThroughRate: string;
    readonly registrationsPerClick: string;
    readonly startsPerClick: string;
    readonly registrationsPerStart: string;
    readonly revenuePerCustomer: string;
    readonly lroi: string;
    readonly roi: string;
  };
  readonly costScopes: Readonly<Record<CostScope, string>>;
  readonly unattributedCosts: string;
  readonly controlGroup: string;
  readonly lift: string;
  readonly timeToActivate: string;
  readonly status: string;
}
