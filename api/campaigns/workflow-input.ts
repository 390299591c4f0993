// The campaign workflow's input, derived from the stored campaign row (so the reconciler can
// rebuild it exactly as the create request did).
import type { CampaignPlan } from '../../domain/campaign-plan';
import type { CampaignWorkflowInput } from '../../workflows/campaign';

export function workflowInputFor(campaign: { id: string; plan: unknown }): CampaignWorkflowInput {
  const plan = campaign.plan as CampaignPlan;
  return { campaignId: campaign.id, registrationWindow: plan.registrationWindow };
}
