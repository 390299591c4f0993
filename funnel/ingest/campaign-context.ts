// What the funnel ingest needs to know about a campaign before it can judge a registration or an event:
// the stored row, its validated plan, and the channels allocated to it (with their material variant and
// cost model). Loaded once per request, not once per item.
import { pgPoolOf, type Db } from '../../db/client';
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

interface StoredCampaignRow {
  id: string;
  status: string;
  approvalState: string;
  workflowId: string;
  materialId: string | null;
  /** The stored plan as text: the key its parse is remembered by. */
  plan: string;
  channels: {
    channelId: string;
    code: string;
    costModel: unknown;
    variantKey: string | null;
    materialVersionId: string | null;
    clickThroughWindow: string;
    viewThroughWindow: string;
  }[];
}

// One statement through the pg pool (db/client.ts) instead of Prisma's two with their query compilation:
// this runs for every ingest request (a 1,000-registration batch and each 250-event batch), where
// Prisma's per-request reads were ~10% of the API process's CPU (docs/benchmarks.md, 2026-12-04).
const LOAD_CAMPAIGN = `
  SELECT c.id, c.status, c."approvalState", c."workflowId", c."materialId", c.plan::text AS plan,
         COALESCE((
           SELECT json_agg(json_build_object(
                    'channelId', cc."channelId", 'code', ch.code, 'costModel', ch."costModel",
                    'variantKey', cc."variantKey", 'materialVersionId', cc."materialVersionId",
                    'clickThroughWindow', cc."clickThroughWindow", 'viewThroughWindow', cc."viewThroughWindow")
                  ORDER BY cc."channelId")
             FROM "CampaignChannel" cc JOIN "Channel" ch ON ch.id = cc."channelId"
            WHERE cc."campaignId" = c.id), '[]'::json) AS channels
    FROM "Campaign" c
   WHERE c.id = $1`;

// The validated plan of each campaign's stored plan text, so that a batch does not parse the same plan
// again: the same text always parses to the same plan (parsing is pure), and a changed plan is new text.
// Bounded: the campaigns being ingested into at once are few. Readers never mutate the plan.
const PLANS_REMEMBERED = 256;
const parsedPlans = new Map<string, { text: string; plan: CampaignPlan }>();

function planOf(campaignId: string, text: string): CampaignPlan {
  const known = parsedPlans.get(campaignId);
  if (known?.text === text) return known.plan;
  const plan = parseStoredPlan(JSON.parse(text));
  // The plan was validated when stored; failing here means the row was edited by hand.
  if (!plan.success) throw new InvalidStoredPlanError(`campaign ${campaignId} has an invalid stored plan`);
  parsedPlans.delete(campaignId);
  if (parsedPlans.size >= PLANS_REMEMBERED) parsedPlans.delete(parsedPlans.keys().next().value!);
  parsedPlans.set(campaignId, { text, plan: plan.data });
  return plan.data;
}

/** The campaign, or null when there is none with this id. */
export async function loadFunnelCampaign(db: Db, campaignId: string): Promise<FunnelCampaign | null> {
  const { rows } = await pgPoolOf(db).query<StoredCampaignRow>(LOAD_CAMPAIGN, [campaignId]);
  const campaign = rows[0];
  if (!campaign) return null;
  const plan = planOf(campaign.id, campaign.plan);
  const channels = new Map<string, CampaignChannelAllocation>();
  for (const allocation of campaign.channels) {
    const costModel = CostModelSchema.safeParse(allocation.costModel);
    channels.set(allocation.code, {
      channelId: allocation.channelId,
      channelCode: allocation.code,
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
    plan,
    channels,
  };
}
