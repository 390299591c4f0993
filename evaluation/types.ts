// The shape of an evaluation report body: what is stored, served by the API and exported as CSV.
// Plain JSON (no bigint, no undefined, no Infinity), so that the same facts give byte-identical
// reports and a stored report reads back unchanged. The types come from the zod schemas in
// report-schema.ts (whose descriptions say what each field means), so the API reference cannot drift.
import type { z } from 'zod';
import type {
  ArmLiftSchema,
  ArmMetricsSchema,
  CategoryCostSchema,
  CheckResultSchema,
  ChecksSchema,
  CostTotalsSchema,
  DefinitionsSchema,
  DimensionSchema,
  EvaluationReportBodySchema,
  FlaggedCountSchema,
  FunnelCountsSchema,
  IntervalValueSchema,
  LiftReportSchema,
  MoneyRatioValueSchema,
  RatioValueSchema,
  SegmentMetricsSchema,
  TimeToActivateSchema,
  UnattributedCostsSchema,
  UndefinedReasonSchema,
  UndefinedSchema,
  ZTestValueSchema,
} from './report-schema';

/** Why a ratio has no value. A ratio is never reported as 0 or Infinity for lack of a denominator. */
export type UndefinedReason = z.infer<typeof UndefinedReasonSchema>;
export type Undefined = z.infer<typeof UndefinedSchema>;
/** A dimensionless ratio: a rounded decimal string and the exact rational it was rounded from. */
export type RatioValue = z.infer<typeof RatioValueSchema>;
/** Money per customer: `minor` in minor units, `major` the same value in major units (same digits). */
export type MoneyRatioValue = z.infer<typeof MoneyRatioValueSchema>;
export type Dimension = z.infer<typeof DimensionSchema>;
export type FlaggedCount = z.infer<typeof FlaggedCountSchema>;
export type FunnelCounts = z.infer<typeof FunnelCountsSchema>;
export type CategoryCost = z.infer<typeof CategoryCostSchema>;
export type CostTotals = z.infer<typeof CostTotalsSchema>;
export type TimeToActivate = z.infer<typeof TimeToActivateSchema>;
/** One arm (control or treatment) inside a segment. Costs are not split by arm, so no CAC here. */
export type ArmMetrics = z.infer<typeof ArmMetricsSchema>;
/** Funnel, costs and ratios of one segment: the whole campaign, a channel, a material or a cohort. */
export type SegmentMetrics = z.infer<typeof SegmentMetricsSchema>;
export type ZTestValue = z.infer<typeof ZTestValueSchema>;
export type IntervalValue = z.infer<typeof IntervalValueSchema>;
/** One treatment (an arm, or all treatment arms pooled) against the control group. */
export type ArmLift = z.infer<typeof ArmLiftSchema>;
export type LiftReport = z.infer<typeof LiftReportSchema>;
export type CheckResult = z.infer<typeof CheckResultSchema>;
export type Checks = z.infer<typeof ChecksSchema>;
/** Costs that a dimension cannot attribute (a null attribute in the cost ledger). */
export type UnattributedCosts = z.infer<typeof UnattributedCostsSchema>;
export type EvaluationReportBody = z.infer<typeof EvaluationReportBodySchema>;
export type Definitions = z.infer<typeof DefinitionsSchema>;
