// The evaluation library's public surface: build a report from aggregate facts, render it as CSV,
// and the exact-rational and statistics helpers it is made of.
export { buildEvaluation } from './report';
export { toCsv, renderCsv, csvField, CSV_COLUMNS } from './csv';
export {
  parseEvaluationInput,
  evaluationInputSchema,
  EvaluationInputError,
  type EvaluationInput,
  type RegistrationBucket,
  type FlaggedBucket,
  type CostBucket,
  type CostScope,
  type PlacementBucket,
  type TimeToActivateRow,
} from './input';
export * as metrics from './metrics';
export type { ExactRatio } from './metrics';
export * as rational from './rational';
export type { Rational, ExactRational } from './rational';
export {
  erfc,
  normalCdf,
  twoSidedPValue,
  twoProportionZTest,
  differenceInterval95,
  quantile,
  Z_95,
  type Proportion,
  type ZTestResult,
  type IntervalResult,
} from './statistics';
export {
  MONEY_MINOR_DECIMAL_PLACES,
  DIMENSIONLESS_DECIMAL_PLACES,
  STATISTIC_SIGNIFICANT_DIGITS,
} from './render';
export type * from './types';
