// A campaign row as the API shows it: the launch approval's columns gathered into one `approval`
// object (issue 12 item 6), and what is not for callers left out (the author's key id; the threshold
// is a bigint column, which JSON cannot carry — it is shown as a number, as the plan's amounts are).
// The response schemas of campaign rows (list, detail, created) are declared here, beside the code that
// builds them, and the builders are typed by them: the OpenAPI document (api/openapi/campaigns.ts)
// imports these, so a field added to a view without its schema (or the reverse) fails the typecheck.
import { z } from 'zod';
import type { Campaign, CampaignChannel } from '../../generated/prisma/client';
import { APPROVAL_STATES, type ApprovalState } from '../../domain/launch-approval';
import { StoredCampaignPlanSchema } from '../../evaluation/db-campaign';
import { NullableTimestamp, Timestamp, Uuid } from '../openapi/common';
import { ChannelAllocationSchema, type ChannelAllocation } from './placement-plan';
import { WorkflowViewSchema, type WorkflowView } from './workflow-view';

/** Launch approval (maker-checker, issue 12 item 6), decided at creation and mirrored by the workflow. */
export const LaunchApprovalSchema = z
  .object({
    required: z.boolean(),
    threshold: z.object({ amountMinor: z.int(), currency: z.string() }).nullable().meta({
      description: 'The deployment threshold in force when the campaign was created; null: approval off',
    }),
    state: z.enum(APPROVAL_STATES).meta({
      description:
        'not_required; pending (awaiting_approval); approved; rejected; expired (the registration window ended first)',
    }),
    by: z.string().nullable(),
    at: NullableTimestamp,
    note: z.string().nullable().meta({ description: "The approver's note or the rejection's reason" }),
  })
  .meta({
    description: 'Launch approval: a budget above the threshold waits for another person than the author',
  });
export type LaunchApprovalView = z.infer<typeof LaunchApprovalSchema>;

/** A campaign row of GET /campaigns (and the base of the detail and of the created campaign). */
export const CampaignSchema = z.object({
  id: Uuid,
  name: z.string(),
  status: z.string().meta({
    description:
      "The workflow's phase as the database mirrors it (created, awaiting_approval, launching, acquiring, withdrawing, in_period, evaluating, evaluation_failed, completed, cancelled, failed, rejected)",
  }),
  planVersion: z.int(),
  plan: StoredCampaignPlanSchema,
  materialId: z.string().nullable(),
  currency: z.string(),
  workflowId: z.string(),
  workflowStartedAt: NullableTimestamp.meta({
    description: 'Null until Temporal confirmed the start; the reconciler starts such workflows',
  }),
  origin: z.enum(['live', 'imported']),
  createdBy: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  approval: LaunchApprovalSchema,
});
export type CampaignView = z.infer<typeof CampaignSchema>;
/** A campaign row without its plan (GET /ops/campaigns: a list shows the state, the detail the definition). */
export const CampaignSummarySchema = CampaignSchema.omit({ plan: true });
export type CampaignSummaryView = z.infer<typeof CampaignSummarySchema>;

/** GET /campaigns/:id: the row with its channel allocations and the workflow's live state. */
export const CampaignDetailSchema = CampaignSchema.extend({
  channels: z.array(
    z.object({
      campaignId: Uuid,
      channelId: Uuid,
      variantKey: z.string().nullable(),
      materialVersionId: z.string().nullable(),
      explanation: z.looseObject({ reason: z.string(), summary: z.string() }).nullable().meta({
        description: 'Why this variant was chosen (as stored at creation); null on imported campaigns',
      }),
      clickThroughWindow: z.string().meta({ description: 'The attribution windows pinned at creation' }),
      viewThroughWindow: z.string(),
      channel: z.object({ code: z.string(), name: z.string(), kind: z.string() }),
    }),
  ),
  workflow: WorkflowViewSchema,
});
export type CampaignDetailView = z.infer<typeof CampaignDetailSchema>;

/** The reply of POST /campaigns (201, or 202 while the reconciler has the start to do). */
export const CreatedCampaignSchema = CampaignSchema.extend({
  channels: z.array(ChannelAllocationSchema),
  workflow: z.object({ workflowId: z.string(), status: z.enum(['RUNNING', 'START_PENDING']) }),
});
export type CreatedCampaignView = z.infer<typeof CreatedCampaignSchema>;

type ApprovalColumns = Pick<
  Campaign,
  | 'approvalRequired'
  | 'approvalThresholdMinor'
  | 'approvalThresholdCurrency'
  | 'approvalState'
  | 'approvalBy'
  | 'approvalAt'
  | 'approvalNote'
>;

export function launchApprovalView(row: ApprovalColumns): LaunchApprovalView {
  return {
    required: row.approvalRequired,
    threshold:
      row.approvalThresholdMinor === null || row.approvalThresholdCurrency === null
        ? null
        : { amountMinor: Number(row.approvalThresholdMinor), currency: row.approvalThresholdCurrency },
    state: row.approvalState as ApprovalState,
    by: row.approvalBy,
    at: row.approvalAt?.toISOString() ?? null,
    note: row.approvalNote,
  };
}

export function campaignSummaryView(row: Omit<Campaign, 'plan'>): CampaignSummaryView {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    planVersion: row.planVersion,
    materialId: row.materialId,
    currency: row.currency,
    workflowId: row.workflowId,
    workflowStartedAt: row.workflowStartedAt?.toISOString() ?? null,
    // The column holds only these two (api/campaigns/create.ts writes 'live', importers 'imported').
    origin: row.origin as CampaignView['origin'],
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    approval: launchApprovalView(row),
  };
}

export function campaignView(row: Campaign): CampaignView {
  // The stored plan was validated by CreateCampaignSchema (or written by an importer with its history);
  // the column is JSON, so its type is asserted here, and the response check in the tests holds it to
  // the schema.
  return { ...campaignSummaryView(row), plan: row.plan as unknown as CampaignView['plan'] };
}

export function campaignDetailView(
  row: Campaign,
  channels: (CampaignChannel & { channel: { code: string; name: string; kind: string } })[],
  workflow: WorkflowView,
): CampaignDetailView {
  return {
    ...campaignView(row),
    channels: channels.map((c) => ({
      campaignId: c.campaignId,
      channelId: c.channelId,
      variantKey: c.variantKey,
      materialVersionId: c.materialVersionId,
      explanation: c.explanation as CampaignDetailView['channels'][number]['explanation'],
      clickThroughWindow: c.clickThroughWindow,
      viewThroughWindow: c.viewThroughWindow,
      channel: c.channel,
    })),
    workflow,
  };
}

export function createdCampaignView(
  row: Campaign,
  allocations: ChannelAllocation[],
  started: boolean,
): CreatedCampaignView {
  return {
    ...campaignView(row),
    channels: allocations,
    workflow: { workflowId: row.workflowId, status: started ? 'RUNNING' : 'START_PENDING' },
  };
}
