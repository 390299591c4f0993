// Workflow ids derived from domain ids: one campaign, one campaign workflow; one cohort, one
// cohort workflow. Deterministic ids make starts idempotent.
export function campaignWorkflowId(campaignId: string): string {
  return `campaign-${campaignId}`;
}

export function cohortWorkflowId(campaignId: string, cohortKey: string): string {
  return `campaign-${campaignId}-cohort-${cohortKey}`;
}
