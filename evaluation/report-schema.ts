// The zod schemas of an evaluation report body, the one source of its shape: evaluation/types.ts derives
// the TypeScript types from them (what buildEvaluation returns) and the API reference documents them
// (api/openapi/evaluation.ts, through stored-report-schema.ts). The descriptions are what a reader of
// the API reference needs; docs/api/evaluation.md explains the meaning at length.
// Shared parts carry an id, so the API reference shows them once (as components) instead of inline.
import { z } from 'zod';
import { MoneySchema } from '../domain/money';
import { costScopeSchema } from './input';

/** A base-10 integer (JSON has no bigint). */
const IntegerString = z.string().regex(/^-?\d+$/);
/** A decimal rendered from an exact rational (render.ts): digits, optionally a point and more digits. */
const DecimalString = z.string().regex(/^-?\d+(\.\d+)?$/);
/** Float statistics in JavaScript's toPrecision form: "6.24377", "0.00354843", "4.27161e-10". */
const StatisticString = z.string();
const count = z.int().nonnegative();

export const ExactRationalSchema = z
  .object({
    numerator: IntegerString.meta({ description: 'Carries the sign' }),
    denominator: z
      .string()
      .regex(/^[1-9]\d*$/)
      .meta({ description: 'Always positive; in lowest terms with the numerator' }),
  })
  .meta({
    id: 'ExactRational',
    description: 'The exact rational a decimal was rounded from, as base-10 strings (JSON has no bigint)',
  });

export const UndefinedReasonSchema = z
  .enum([
    'no_registrations',
    'no_activations',
    'no_placements',
    'not_attributable',
    'not_reported',
    'no_impressions',
    'no_clicks',
    'no_starts',
    'zero_cost',
    'negative_cost',
    'no_control_group',
    'no_treatment_group',
    'control_group_empty',
    'treatment_group_empty',
    'control_rate_zero',
    'zero_variance',
  ])
  .meta({
    id: 'UndefinedReason',
    description:
      'Why a figure has no value. not_attributable: the figure has no meaning on this dimension (placements, ' +
      'delivery and sign-ups started per cohort); not_reported: no channel reported impressions, clicks or ' +
      'sign-ups started for this segment; no_starts: the channels reported no sign-up started (started = 0).',
  });

export const UndefinedSchema = z.object({ defined: z.literal(false), reason: UndefinedReasonSchema }).meta({
  id: 'UndefinedValue',
  description:
    'A figure without a value: a ratio is never reported as 0 or Infinity for lack of a denominator',
});

export const RatioValueSchema = z
  .discriminatedUnion('defined', [
    z.object({
      defined: z.literal(true),
      value: DecimalString.meta({
        description: 'Rounded half to even to definitions.precision.dimensionlessDecimalPlaces places',
      }),
      exact: ExactRationalSchema,
    }),
    UndefinedSchema,
  ])
  .meta({
    id: 'RatioValue',
    description: 'A dimensionless ratio: a rounded decimal string and the exact rational it was rounded from',
  });

export const MoneyRatioValueSchema = z
  .discriminatedUnion('defined', [
    z.object({
      defined: z.literal(true),
      currency: z.string(),
      minor: DecimalString.meta({
        description:
          'In minor units, definitions.precision.moneyPerCustomerDecimalPlacesOfMinorUnits decimal places',
      }),
      major: DecimalString.meta({ description: 'The same value in major units (same digits)' }),
      exact: ExactRationalSchema.meta({ description: 'Exact value in minor units' }),
    }),
    UndefinedSchema,
  ])
  .meta({ id: 'MoneyRatioValue', description: 'Money per customer (CAC, AAC, revenue per customer)' });

export const DimensionSchema = z.enum(['overall', 'channel', 'material', 'cohort']);

export const FlaggedCountSchema = z.object({ reason: z.string(), count });

export const FunnelCountsSchema = z.object({
  placements: count
    .nullable()
    .meta({ description: 'Null on cohort rows: a placement serves every cohort, so it has no cohort' }),
  impressions: count.nullable().meta({
    description:
      'Reported by the channels (delivery reports); null where none were reported, and on cohort rows',
  }),
  clicks: count.nullable().meta({ description: 'As impressions' }),
  registrationsStarted: count.nullable().meta({
    description:
      'Sign-ups started, as the channels reported them; null where none reported them, and on cohort rows',
  }),
  registrationsValid: count,
  registrationsFlagged: count,
  flaggedByReason: z.array(FlaggedCountSchema),
  registrationsFraudFlagged: count.meta({
    description:
      'Registrations the anti-fraud systems flagged after they were accepted (counted in registrationsFlagged too)',
  }),
  activated: count,
  controlRegistrations: count,
  controlActivated: count,
  treatmentRegistrations: count,
  treatmentActivated: count,
});

export const CategoryCostSchema = z.object({
  scope: costScopeSchema,
  category: z.string(),
  amount: MoneySchema,
});

export const CostTotalsSchema = z
  .object({
    acquisition: MoneySchema,
    period: MoneySchema,
    total: MoneySchema.meta({ description: 'acquisition + period: the cost ROI is computed on' }),
    byCategory: z.array(CategoryCostSchema),
  })
  .meta({ id: 'CostTotals', description: 'Costs by scope (definitions.costScopes) and by category' });

export const TimeToActivateSchema = z
  .object({ medianSeconds: z.number().nonnegative(), p90Seconds: z.number().nonnegative() })
  .meta({
    id: 'TimeToActivate',
    description: 'Seconds from registration to activation (definitions.timeToActivate)',
  });

export const ArmMetricsSchema = z
  .object({
    group: z.string(),
    role: z.enum(['control', 'treatment']),
    registrations: count,
    activated: count,
    activationRate: RatioValueSchema,
    revenue: MoneySchema,
    revenuePerCustomer: MoneyRatioValueSchema,
  })
  .meta({
    id: 'ArmMetrics',
    description:
      'One arm (control or treatment) inside a segment. Costs are not split by arm, so no CAC here.',
  });

export const SegmentMetricsSchema = z.object({
  dimension: DimensionSchema,
  key: z.string().meta({
    description:
      'channelId, materialVariant or cohortKey; "" for overall. The byChannel row keyed "unattributed" holds registrations credited to no channel',
  }),
  mature: z.boolean().nullable().meta({
    description: "Cohort rows only: whether the cohort's new-customer period has ended; null when not known",
  }),
  funnel: FunnelCountsSchema,
  costs: CostTotalsSchema,
  revenue: MoneySchema,
  registrationsPerPlacement: RatioValueSchema,
  clickThroughRate: RatioValueSchema.meta({ description: 'Clicks ÷ impressions' }),
  registrationsPerClick: RatioValueSchema.meta({
    description: 'Valid registrations ÷ clicks: a yield (registrations also come from elsewhere than clicks)',
  }),
  startsPerClick: RatioValueSchema.meta({
    description: 'Sign-ups started ÷ clicks: how many who clicked opened the sign-up form',
  }),
  registrationsPerStart: RatioValueSchema.meta({
    description: 'Valid registrations ÷ sign-ups started: how much of the sign-up flow people get through',
  }),
  activationRate: RatioValueSchema,
  fraudRate: RatioValueSchema.meta({
    description: 'Flagged after the fact ÷ (valid + flagged after the fact)',
  }),
  cac: MoneyRatioValueSchema,
  aac: MoneyRatioValueSchema,
  revenuePerCustomer: MoneyRatioValueSchema,
  lroi: RatioValueSchema,
  roi: RatioValueSchema,
  timeToActivate: TimeToActivateSchema.nullable(),
  arms: z.array(ArmMetricsSchema),
});

export const ZTestValueSchema = z
  .discriminatedUnion('defined', [
    z.object({
      defined: z.literal(true),
      z: StatisticString,
      pValue: StatisticString,
      standardError: StatisticString,
    }),
    UndefinedSchema,
  ])
  .meta({ id: 'ZTestValue', description: 'Two-proportion z-test, pooled standard error, two-sided p-value' });

export const IntervalValueSchema = z
  .discriminatedUnion('defined', [
    z.object({
      defined: z.literal(true),
      lower: StatisticString,
      upper: StatisticString,
      standardError: StatisticString,
    }),
    UndefinedSchema,
  ])
  .meta({ id: 'IntervalValue', description: '95% Wald interval of the difference, unpooled standard error' });

export const ArmLiftSchema = z
  .object({
    defined: z.literal(true),
    groups: z.array(z.string()).meta({
      description: 'The treatment arms compared: one name, or every treatment arm for the pooled comparison',
    }),
    registrations: count,
    activated: count,
    activationRate: RatioValueSchema,
    revenue: MoneySchema,
    revenuePerCustomer: MoneyRatioValueSchema,
    difference: RatioValueSchema.meta({ description: 'Activation rate, treatment − control' }),
    relativeLift: RatioValueSchema.meta({ description: 'difference ÷ control activation rate' }),
    zTest: ZTestValueSchema,
    confidenceInterval95: IntervalValueSchema,
    revenuePerCustomerDifference: MoneyRatioValueSchema.meta({
      description: 'Revenue per customer, treatment − control',
    }),
  })
  .meta({
    id: 'ArmLift',
    description: 'One treatment (an arm, or all treatment arms pooled) against the control group',
  });

export const LiftReportSchema = z
  .discriminatedUnion('defined', [
    z.object({
      defined: z.literal(true),
      control: ArmMetricsSchema,
      arms: z.array(ArmLiftSchema),
      pooled: z.discriminatedUnion('defined', [ArmLiftSchema, UndefinedSchema]),
    }),
    UndefinedSchema,
  ])
  .meta({ id: 'LiftReport', description: 'Control-group lift over the whole campaign (definitions.lift)' });

export const CheckResultSchema = z.object({
  name: z.string(),
  holds: z.boolean(),
  details: z.array(z.string()).meta({ description: 'What was compared, and every mismatch found' }),
});

export const ChecksSchema = z.object({ allHold: z.boolean(), items: z.array(CheckResultSchema) }).meta({
  id: 'Checks',
  description:
    'Self-checks: AAC = CAC ÷ activation rate on every row, and each dimension adds up to the overall totals. A failed check means a bug or inconsistent input.',
});

export const UnattributedCostsSchema = z
  .object({ channel: CostTotalsSchema, material: CostTotalsSchema, cohort: CostTotalsSchema })
  .meta({
    id: 'UnattributedCosts',
    description: 'Costs that a dimension cannot attribute (a null attribute in the cost ledger)',
  });

export const RatioDefinitionsSchema = z.object({
  cac: z.string(),
  aac: z.string(),
  activationRate: z.string(),
  fraudRate: z.string(),
  registrationsPerPlacement: z.string(),
  clickThroughRate: z.string(),
  registrationsPerClick: z.string(),
  startsPerClick: z.string(),
  registrationsPerStart: z.string(),
  revenuePerCustomer: z.string(),
  lroi: z.string(),
  roi: z.string(),
});

export const CostScopeDefinitionsSchema = z.record(costScopeSchema, z.string()).meta({
  id: 'CostScopeDefinitions',
  description: 'Which costs each scope holds and which ratios it feeds',
});

export const DefinitionsSchema = z.object({
  currency: z.string(),
  minorUnitExponent: z.int().nonnegative(),
  precision: z.object({
    moneyPerCustomer: z.string(),
    moneyPerCustomerDecimalPlacesOfMinorUnits: count,
    dimensionless: z.string(),
    dimensionlessDecimalPlaces: count,
    statistics: z.string(),
    rounding: z.literal('half-even'),
  }),
  ratios: RatioDefinitionsSchema,
  costScopes: CostScopeDefinitionsSchema,
  unattributedCosts: z.string(),
  controlGroup: z.string(),
  lift: z.string(),
  timeToActivate: z.string(),
  status: z.string(),
});

export const ReportStatusSchema = z.enum(['final', 'provisional']).meta({
  description: "Provisional while some cohort's new-customer period has not ended",
});

export const EvaluationReportBodySchema = z.object({
  reportVersion: z.literal(1),
  currency: z.string(),
  status: ReportStatusSchema,
  definitions: DefinitionsSchema,
  overall: SegmentMetricsSchema,
  byChannel: z.array(SegmentMetricsSchema),
  byMaterial: z.array(SegmentMetricsSchema),
  byCohort: z.array(SegmentMetricsSchema),
  unattributedCosts: UnattributedCostsSchema,
  lift: LiftReportSchema,
  checks: ChecksSchema,
});
