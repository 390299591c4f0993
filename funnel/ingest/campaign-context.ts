// What the funnel ingest needs to know about a campaign before it can judge a registration or an event:
// the stored row, its validated plan, and the channels allocated to it (with their material variant and
// cost model). Loaded once per request, not once per item.
import type { Db } from '../../db/client';
import { parseStoredPlan, type CampaignPlan } from '../../domain/campaign-plan';
import { CostModelSchema, type CostModel } from '../../domain/channel';
import { TERMINAL_CAMPAIGN_PHASES } from '../../domain/campaign-phase';

/** A channel as the campaign uses it: how registrations through it are attributed and what they cost. */
export interface CampaignChannelAllocation {
  channelId: string;
  channelCode: string;
  variantKey: string | null;
  materialVersionId: string | null;
  /** null when the stored cost model is unreadable: such a channel then charges nothing per registration. */
  costModel: CostModel | null;
  /** The attribution windows pinned on the allocation when the campaign was created (domain/attribution.ts). */
  clickThroughWindow: string;
  viewThroughWindow: string;
}

export interface FunnelCampaign {
  id: string;
  status: string;
  /** Launch approval (issue 12 item 6): `pending` until a second person approved the launch. */
  approvalState?: string;
  workflowId: string;
  materialId: string | null;
  plan: CampaignPlan;
  /** Keyed by channel code, the name registrations use. */
  channels: Map<string, CampaignChannelAllocation>;
}

/** Statuses in which a campaign takes no more registrations: its life is over. */
// Also closed once the evaluation runs: every cohort's period has ended, so a registration reported
// then would join a period that is over (and be charged for nothing the campaign can still do).
export const CLOSED_CAMPAIGN_STATUSES: ReadonlySet<string> = new Set([
  ...TERMINAL_CAMPAIGN_PHASES,
  'evaluating',
  'evaluation_failed',
]);

export class InvalidStoredPlanError extends Error {}

/** The campaign, or null when there is none with this id. */
export async function loadFunnelCampaign(db: Db, campaignId: string): Promise<FunnelCampaign | null> {
  const campaign = await db.campaign.findUnique({
    where: { id: campaignId },
    include: { channels: { include: { channel: { select: { code: true, costModel: true } } } } },
  });
  if (!campaign) return null;
  const plan = parseStoredPlan(campaign.plan);
  // The plan was validated when stored; failing here means the row was edited by hand.
  if (!plan.success) throw new InvalidStoredPlanError(`campaign ${campaignId} has an invalid stored plan`);
  const channels = new Map<string, CampaignChannelAllocation>();
  for (const allocation of campaign.channels) {
    const costModel = CostModelSchema.safeParse(allocation.channel.costModel);
    channels.set(allocation.channel.code, {
      channelId: allocation.channelId,
      channelCode: allocation.channel.code,
      variantKey: allocation.variantKey,
      materialVersionId: allocation.materialVersionId,
      costModel: costModel.success ? costModel.data : null,
      clickThroughWindow: allocation.clickThroughWindow,
      viewThroughWindow: allocation.viewThroughWindow,
    });
  }
  return {
    id: campaign.id,
    status: campaign.status,
    approvalState: campaign.approvalState,
    workflowId: campaign.workflowId,
    materialId: campaign.materialId,
    plan: plan.data,
    channels,
  };
}
