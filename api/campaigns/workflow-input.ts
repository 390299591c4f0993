// The campaign workflow's input, derived from the stored campaign row (so the reconciler can
// rebuild it exactly as the create request did). The plan is pinned in the workflow's input: a
// later plan version never changes what a running workflow does; so is whether its launch needs
// approval, and who its author is (decided at creation, stored on the row: issue 12 item 6).
import type { CampaignPlan } from '../../domain/campaign-plan';
import type { CampaignWorkflowInput } from '../../workflows/campaign';

export function workflowInputFor(campaign: {
  id: string;
  plan: unknown;
  approvalRequired?: boolean;
  createdBy?: string;
  createdByPrincipalId?: string | null;
}): CampaignWorkflowInput {
  const input: CampaignWorkflowInput = { campaignId: campaign.id, plan: campaign.plan as CampaignPlan };
  if (campaign.approvalRequired) {
    input.approval = {
      required: true,
      author: { name: campaign.createdBy ?? '', principalId: campaign.createdByPrincipalId ?? null },
    };
  }
  return input;
}
