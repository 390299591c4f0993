// What the API shows of stored evaluation reports: the row's metadata beside the report body, with the
// cost scopes used lifted to the top so a reader sees at once which costs fed which ratio.
// The response schemas are declared here and type the views; the OpenAPI document
// (api/openapi/evaluation.ts) imports them. The report body's schema is the evaluation library's own
// (evaluation/stored-report-schema.ts), in the form that accepts reports stored by earlier versions.
import { z } from 'zod';
import { CostScopeDefinitionsSchema, ReportStatusSchema } from '../../evaluation/report-schema';
import {
  ServedEvaluationReportSchema,
  ServedFactSourcesSchema,
  type ServedEvaluationReport,
} from '../../evaluation/stored-report-schema';
import type { EvaluationVersionSummary } from '../../evaluation/store';
import type { EvaluationReport } from '../../generated/prisma/client';
import { Timestamp, Uuid } from '../openapi/common';

export const EvaluationSchema = z.object({
  id: Uuid,
  campaignId: Uuid,
  version: z.int(),
  provisional: z.boolean().meta({
    description: 'Asked for before the end, or some cohort had not matured: the figures may still change',
  }),
  status: ReportStatusSchema,
  planVersion: z.int(),
  factsDigest: z.string(),
  computedAt: Timestamp,
  costScopes: CostScopeDefinitionsSchema.meta({ description: "The report's definitions.costScopes" }),
  factSources: ServedFactSourcesSchema.meta({ description: "The report's facts.sources" }),
  report: ServedEvaluationReportSchema,
});
export type EvaluationView = z.infer<typeof EvaluationSchema>;

export const EvaluationSummarySchema = z.object({
  id: Uuid,
  campaignId: Uuid,
  version: z.int(),
  provisional: z.boolean(),
  planVersion: z.int(),
  factsDigest: z.string(),
  computedAt: Timestamp,
  href: z.string().meta({ description: 'Where the full report of this version is read' }),
});
export type EvaluationSummaryView = z.infer<typeof EvaluationSummarySchema>;

export function evaluationView(row: EvaluationReport): EvaluationView {
  // Written only by evaluation/store.ts, and never changed: a report of any version, as it was stored.
  const report = row.report as unknown as ServedEvaluationReport;
  return {
    id: row.id,
    campaignId: row.campaignId,
    version: row.version,
    provisional: row.provisional,
    status: report.status,
    planVersion: row.planVersion,
    factsDigest: row.factsDigest,
    computedAt: row.computedAt.toISOString(),
    costScopes: report.definitions.costScopes,
    factSources: report.facts.sources,
    report,
  };
}

export function evaluationSummaryView(
  campaignId: string,
  row: EvaluationVersionSummary,
): EvaluationSummaryView {
  return {
    id: row.id,
    campaignId,
    version: row.version,
    provisional: row.provisional,
    planVersion: row.planVersion,
    factsDigest: row.factsDigest,
    computedAt: row.computedAt.toISOString(),
    href: `/campaigns/${campaignId}/evaluation?version=${row.version}`,
  };
}
