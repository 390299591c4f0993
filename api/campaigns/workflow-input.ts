// The campaign workflow's input, derived from the stored campaign row (so the reconciler can
// rebuild it exactly as the create request did). The plan is pinned in the workflow's input: a
// later plan version never changes what a running workflow does.
import type { CampaignPlan } from '../../domain/campaign-plan';
import type { CampaignWorkflowInput } from '../../workflows/campaign';

export function workflowInputFor(campaign: { id: string; plan: unknown }): CampaignWorkflowInput {
  return { campaignId: campaign.id, plan: campaign.plan as CampaignPlan };
}
