// What the API shows of stored evaluation reports: the row's metadata beside the report body, with the
// cost scopes used lifted to the top so a reader sees at once which costs fed which ratio.
import type { EvaluationVersionSummary, StoredEvaluationReport } from '../../evaluation/store';
import type { EvaluationReport } from '../../generated/prisma/client';

export function evaluationView(row: EvaluationReport) {
  const report = row.report as unknown as StoredEvaluationReport;
  return {
    id: row.id,
    campaignId: row.campaignId,
    version: row.version,
    provisional: row.provisional,
    status: report.status,
    planVersion: row.planVersion,
    factsDigest: row.factsDigest,
    computedAt: row.computedAt,
    costScopes: report.definitions.costScopes,
    factSources: report.facts?.sources ?? null,
    report,
  };
}

export function evaluationSummaryView(campaignId: string, row: EvaluationVersionSummary) {
  return {
    id: row.id,
    campaignId,
    version: row.version,
    provisional: row.provisional,
    planVersion: row.planVersion,
    factsDigest: row.factsDigest,
    computedAt: row.computedAt,
    href: `/campaigns/${campaignId}/evaluation?version=${row.version}`,
  };
}
