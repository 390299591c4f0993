// What EvaluationReport.report holds: the report body plus where its figures came from and the
// attribution it was computed under. Two schemas:
// - StoredEvaluationReportSchema: what store.ts writes now (StoredEvaluationReport is its type);
// - ServedEvaluationReportSchema: what the API serves, a stored report of ANY version as it was stored.
//   Stored reports are immutable, so those written before a field existed lack it; the served schema
//   makes exactly those fields optional and says since when they are there (git history of types.ts).
import { z } from 'zod';
import { AttributionStatementSchema } from './attribution-statement';
import {
  DefinitionsSchema,
  EvaluationReportBodySchema,
  FunnelCountsSchema,
  RatioDefinitionsSchema,
  SegmentMetricsSchema,
} from './report-schema';

export const FactSourcesSchema = z
  .object({
    registrations: z.string(),
    activated: z.string(),
    periodRevenue: z.string(),
    fraudFlagged: z.string(),
    acquisitionCost: z.string(),
    periodCost: z.string(),
    placements: z.string(),
    delivery: z.string(),
    cohortMaturity: z.string(),
  })
  .meta({ description: 'Which ledger kinds and scopes, and which registrations, feed which figure' });
export type FactSources = z.infer<typeof FactSourcesSchema>;

export const ExcludedRevenueSchema = z
  .object({
    flaggedRegistrationsMinor: z.int().meta({
      description: 'Revenue of customers whose registration is flagged (fraud, duplicate, …)',
    }),
    withoutRegistrationMinor: z.int().meta({
      description: 'Revenue entries with no registration of this campaign under their customerRef',
    }),
    withoutRegistrationEntries: z.int().nonnegative(),
    outsidePeriodMinor: z.int().meta({
      description:
        "Ledger revenue with a scope other than 'period' (not new-customer-period revenue, so not in LROI)",
    }),
  })
  .meta({
    description:
      'Revenue in the ledger that no ratio uses, reported so that nothing vanishes silently (minor units)',
  });

export const StoredEvaluationReportSchema = EvaluationReportBodySchema.extend({
  facts: z.object({ sources: FactSourcesSchema, excludedRevenue: ExcludedRevenueSchema }),
  /** Not in the facts digest: the rule is the plan's (its version is) and the windows are pinned at creation. */
  attribution: AttributionStatementSchema,
});

// The dates below are those of the commits that added the fields; reports stored earlier lack them.
const DELIVERY = '2026-11-26 (impressions and clicks)';
const STARTS = '2026-12-01 (sign-ups started)';
const FRAUD = '2026-12-02 (fraud flags after acceptance)';

const ServedFunnelCountsSchema = FunnelCountsSchema.partial({
  impressions: true,
  clicks: true,
  registrationsStarted: true,
  registrationsFraudFlagged: true,
}).meta({
  id: 'FunnelCounts',
  description: `Absent in reports stored before ${DELIVERY}: impressions, clicks; before ${STARTS}: registrationsStarted; before ${FRAUD}: registrationsFraudFlagged`,
});

const ServedSegmentMetricsSchema = SegmentMetricsSchema.partial({
  clickThroughRate: true,
  registrationsPerClick: true,
  startsPerClick: true,
  registrationsPerStart: true,
  fraudRate: true,
})
  .extend({ funnel: ServedFunnelCountsSchema })
  .meta({
    id: 'SegmentMetrics',
    description: `Funnel, costs and ratios of one segment: the whole campaign, a channel, a material or a cohort. Absent in reports stored before ${DELIVERY}: clickThroughRate, registrationsPerClick; before ${STARTS}: startsPerClick, registrationsPerStart; before ${FRAUD}: fraudRate`,
  });

const ServedDefinitionsSchema = DefinitionsSchema.extend({
  ratios: RatioDefinitionsSchema.partial({
    clickThroughRate: true,
    registrationsPerClick: true,
    startsPerClick: true,
    registrationsPerStart: true,
    fraudRate: true,
  }).meta({ description: 'What each ratio is; a report stored before a ratio existed lacks its entry' }),
}).meta({
  id: 'Definitions',
  description: 'What each figure means, which cost scope feeds which ratio, how numbers are rounded',
});

/** The facts.sources of a stored report of any version (the API lifts it to the top as factSources). */
export const ServedFactSourcesSchema = FactSourcesSchema.partial({ delivery: true, fraudFlagged: true }).meta(
  {
    id: 'FactSources',
    description: `Which ledger kinds and scopes, and which registrations, feed which figure. Absent in reports stored before ${DELIVERY}: delivery; before ${FRAUD}: fraudFlagged`,
  },
);

export const ServedEvaluationReportSchema = StoredEvaluationReportSchema.extend({
  definitions: ServedDefinitionsSchema,
  overall: ServedSegmentMetricsSchema,
  byChannel: z.array(ServedSegmentMetricsSchema).meta({
    description:
      'Per attributed channel; the row keyed by attribution.unattributedChannelId holds registrations credited to no channel and their costs',
  }),
  byMaterial: z.array(ServedSegmentMetricsSchema),
  byCohort: z.array(ServedSegmentMetricsSchema),
  facts: z.object({
    sources: ServedFactSourcesSchema,
    excludedRevenue: ExcludedRevenueSchema.partial({ outsidePeriodMinor: true }).meta({
      description: `Revenue in the ledger that no ratio uses (minor units). Absent in the first reports stored on ${DELIVERY.slice(0, 10)}: outsidePeriodMinor`,
    }),
  }),
  attribution: AttributionStatementSchema.optional().meta({
    description:
      'The attribution rule and windows the registrations were credited under, and valid registrations by basis (absent in reports stored before 2026-12-02, when attribution at ingest came)',
  }),
}).meta({
  id: 'EvaluationReport',
  description:
    'The report body as stored: one row per segment (overall, byChannel, byMaterial, byCohort) with funnel, costs and ratios; lift against the control group; self-checks; the definitions of every figure; the facts used. docs/api/evaluation.md explains the figures.',
});
export type ServedEvaluationReport = z.infer<typeof ServedEvaluationReportSchema>;
