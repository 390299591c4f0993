// OpenAPI entries of /campaigns (api/campaigns/routes.ts): create, list, read, steer, history.
import { z } from 'zod';
import { CampaignPlanSchema, CreateCampaignSchema } from '../../domain/campaign-plan';
import { StoredCampaignPlanSchema } from '../../evaluation/db-campaign';
import { ChannelKindSchema, CostModelSchema, OnlineTypeSchema } from '../../domain/channel';
import { APPROVAL_STATES } from '../../domain/launch-approval';
import { ApprovalBody, RejectionBody } from '../campaigns/launch-approval-route';
import { HistoryQuery, ListQuery, SteeringBody } from '../campaigns/routes';
import { HistoryEventViewSchema, WorkflowViewSchema } from '../campaigns/workflow-view';
import { CampaignStateSchema } from '../../workflows/messages';
import { EX, NullableTimestamp, pageOf, Timestamp, Uuid } from './common';
import type { RouteDoc } from './registry';
import { CampaignIdParams } from '../campaigns/params';

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

const AllocationSchema = z.object({
  channelId: Uuid,
  channelCode: z.string(),
  variantKey: z.string(),
  materialVersionId: z.string(),
  explanation: z.looseObject({ reason: z.string(), summary: z.string(), profileVersion: z.int().nullable() }),
});

const ConditionTraceSchema = z.looseObject({
  trait: z.string(),
  op: z.string(),
  expected: z.unknown(),
  actual: z.unknown().optional(),
  result: z.boolean().nullable().meta({ description: 'null: the profile lacks the trait (undecided)' }),
});

/** The reply of POST /campaigns/validate (api/campaigns/dry-run.ts). */
export const CampaignDryRunSchema = z.object({
  valid: z.literal(true),
  name: z.string(),
  material: z.object({ id: z.string(), name: z.string() }),
  plan: CampaignPlanSchema.meta({ description: 'The plan as it would be stored: every default filled in' }),
  channels: z.array(
    z.object({
      channelCode: z.string(),
      channelId: Uuid,
      channelName: z.string(),
      kind: ChannelKindSchema,
      onlineType: OnlineTypeSchema.nullable(),
      costModel: CostModelSchema,
      variantKey: z.string(),
      materialVersion: z.object({
        id: z.string(),
        version: z.int(),
        contentHash: z.string(),
        title: z.string(),
        approved: z.boolean(),
        approvedBy: z.string().nullable(),
      }),
      explanation: z.object({
        reason: z.enum(['matched', 'default', 'no_profile', 'no_match']),
        summary: z.string(),
        matched: z
          .object({ key: z.string(), rule: z.unknown(), evidence: z.array(ConditionTraceSchema) })
          .nullable(),
        profileVersion: z.int().nullable(),
      }),
      considered: z
        .array(
          z.object({
            key: z.string(),
            priority: z.number(),
            specificity: z.int(),
            outcome: z.enum([
              'chosen_by_rule',
              'chosen_as_default',
              'outranked',
              'rule_not_satisfied',
              'rule_undecided',
              'default_not_needed',
              'not_evaluated_no_profile',
            ]),
            evidence: z.array(ConditionTraceSchema),
            outrankedBy: z
              .object({ key: z.string(), on: z.enum(['priority', 'specificity', 'key']) })
              .optional(),
          }),
        )
        .meta({ description: 'Every variant of the material and why it was or was not chosen' }),
    }),
  ),
  cohorts: z.object({
    count: z.int(),
    first: z.object({ key: z.string(), start: Timestamp, end: Timestamp }).nullable(),
    last: z.object({ key: z.string(), start: Timestamp, end: Timestamp }).nullable(),
  }),
  warnings: z.array(
    z.object({
      field: z.string(),
      code: z.enum(['material_version_not_approved']),
      message: z.string(),
    }),
  ),
  approval: LaunchApprovalSchema.pick({ required: true, threshold: true }).meta({
    description:
      'Whether creating it now would need launch approval (and the threshold it would be judged by)',
  }),
});

const CampaignDetailSchema = CampaignSchema.extend({
  channels: z.array(
    z.looseObject({
      channelId: Uuid,
      variantKey: z.string().nullable(),
      materialVersionId: z.string().nullable(),
      channel: z.object({ code: z.string(), name: z.string(), kind: z.string() }),
    }),
  ),
  workflow: WorkflowViewSchema,
});

const CreatedCampaignSchema = CampaignSchema.extend({
  channels: z.array(AllocationSchema),
  workflow: z.object({ workflowId: z.string(), status: z.enum(['RUNNING', 'START_PENDING']) }),
});

const SteeringReplySchema = z.object({
  campaignId: Uuid,
  action: z.enum(['cancel', 'pause', 'resume', 'rerun-evaluation', 'approve-launch', 'reject-launch']),
  state: CampaignStateSchema,
});

const plan = {
  currency: 'CNY',
  timeZone: 'Asia/Shanghai',
  registrationWindow: { start: '2026-03-01T00:00:00+08:00', end: '2026-03-31T00:00:00+08:00' },
  newCustomerPeriod: 'P30D',
  cohortGranularity: 'P1D',
  sendingHours: { start: '09:00', end: '21:00' },
  incentive: { perRegistrationMinor: 500, perActivationMinor: 2000 },
  acquisitionBudgetMinor: 50000000,
  controlGroupShare: 0.1,
  activationRule: { event: 'transaction', minAmountMinor: 10000, atLeast: 1 },
  engagementPlan: { steps: [] },
  publishing: { policy: 'best-effort', verifyEvery: 'PT1H' },
};

export const createCampaignExample = {
  name: 'Spring account-opening push',
  channels: ['mobile-banking', 'wechat-pay'],
  materialId: EX.materialId,
  plan,
};

const campaignExample = {
  id: EX.campaignId,
  name: 'Spring account-opening push',
  status: 'acquiring',
  planVersion: 1,
  plan,
  materialId: EX.materialId,
  currency: 'CNY',
  workflowId: `campaign-${EX.campaignId}`,
  workflowStartedAt: EX.at,
  origin: 'live',
  createdBy: 'marketer-li',
  createdAt: EX.at,
  updatedAt: EX.later,
  approval: { required: false, threshold: null, state: 'not_required', by: null, at: null, note: null },
};

export const campaignStateExample = {
  campaignId: EX.campaignId,
  phase: 'acquiring',
  paused: true,
  acquisitionOpen: true,
  acquisitionClosedReason: null,
  registrationWindow: plan.registrationWindow,
  cancelled: null,
  failure: null,
  materialVersion: [
    { variantKey: 'default', materialVersionId: EX.materialVersionId, contentHash: 'sha256:3f2a…' },
  ],
  placements: { total: 2, verified: 2, failed: 0, withdrawn: 0, drifted: 0 },
  cohorts: [{ key: '2026-03-01', status: 'running' }],
  evaluationReportId: null,
  updatedAt: EX.later,
};

const TAG = 'Campaigns';

export const campaignRoutesDoc: RouteDoc[] = [
  {
    method: 'post',
    path: '/campaigns',
    tag: TAG,
    operationId: 'createCampaign',
    summary: 'Create a campaign and start its workflow',
    description:
      'Validates the plan, resolves the material variant of every channel (targeting rules over channel profiles), stores the campaign and starts its Temporal workflow. 202 when Temporal is unreachable: the campaign is stored and the reconciler starts the workflow shortly. See docs/api/campaigns.md.',
    body: { schema: CreateCampaignSchema, name: 'CreateCampaignRequest', example: createCampaignExample },
    idempotent: true,
    responses: {
      201: {
        description: 'Created, workflow running',
        schema: CreatedCampaignSchema,
        name: 'CreatedCampaign',
        headers: ['Location'],
        example: {
          ...campaignExample,
          status: 'created',
          channels: [
            {
              channelId: EX.channelId,
              channelCode: 'mobile-banking',
              variantKey: 'default',
              materialVersionId: EX.materialVersionId,
              explanation: {
                reason: 'default',
                summary: 'no rule matched: the default variant',
                matched: null,
                profileVersion: 3,
              },
            },
          ],
          workflow: { workflowId: `campaign-${EX.campaignId}`, status: 'RUNNING' },
        },
      },
      202: {
        description: 'Stored; the workflow will be started by the reconciler (Temporal unreachable)',
        schema: CreatedCampaignSchema,
        name: 'CreatedCampaign',
        headers: ['Location'],
      },
    },
  },
  {
    method: 'post',
    path: '/campaigns/validate',
    tag: TAG,
    operationId: 'validateCampaign',
    summary: 'Check a campaign draft without creating anything (dry run)',
    description:
      "Runs exactly the validation and placement planning of POST /campaigns — the same schema, the same channel, material, engagement-step and cohort checks — and creates nothing: no campaign, no allocation, no audit entry, no workflow. Invalid drafts get the same 400 problem, naming every field, that creation would give. A valid draft gets the plan with its defaults, the variant and version each channel will get with the targeting explanation (人货场) and every other variant's outcome, the cohorts, and warnings (an unapproved version that publishing would refuse). Not idempotent-keyed: it changes nothing.",
    body: { schema: CreateCampaignSchema, name: 'CreateCampaignRequest', example: createCampaignExample },
    responses: {
      200: {
        description: 'The draft is valid; what creating it would plan',
        schema: CampaignDryRunSchema,
        name: 'CampaignDryRun',
        example: {
          valid: true,
          name: createCampaignExample.name,
          material: { id: EX.materialId, name: 'Spring welcome' },
          plan,
          channels: [
            {
              channelCode: 'wechat-pay',
              channelId: EX.channelId,
              channelName: 'WeChat Pay mini-program',
              kind: 'ecosystem_scenario',
              onlineType: 'payment',
              costModel: { type: 'fixed_per_placement', amountMinor: 10000, currency: 'CNY' },
              variantKey: 'discount',
              materialVersion: {
                id: EX.materialVersionId,
                version: 2,
                contentHash: 'sha256:3f2a…',
                title: '首单立减 ¥50',
                approved: true,
                approvedBy: 'compliance-zhao',
              },
              explanation: {
                reason: 'matched',
                summary: 'variant "discount" matched: audience.priceSensitivity eq "high" (actual "high")',
                matched: {
                  key: 'discount',
                  rule: { trait: 'audience.priceSensitivity', op: 'eq', value: 'high' },
                  evidence: [
                    {
                      trait: 'audience.priceSensitivity',
                      op: 'eq',
                      expected: 'high',
                      actual: 'high',
                      result: true,
                    },
                  ],
                },
                profileVersion: 3,
              },
              considered: [
                {
                  key: 'discount',
                  priority: 0,
                  specificity: 1,
                  outcome: 'chosen_by_rule',
                  evidence: [
                    {
                      trait: 'audience.priceSensitivity',
                      op: 'eq',
                      expected: 'high',
                      actual: 'high',
                      result: true,
                    },
                  ],
                },
                { key: 'default', priority: 0, specificity: 0, outcome: 'default_not_needed', evidence: [] },
              ],
            },
          ],
          cohorts: {
            count: 30,
            first: { key: '2026-03-01', start: '2026-02-28T16:00:00.000Z', end: '2026-03-01T16:00:00.000Z' },
            last: { key: '2026-03-30', start: '2026-03-29T16:00:00.000Z', end: '2026-03-30T16:00:00.000Z' },
          },
          warnings: [],
          approval: { required: false, threshold: null },
        },
      },
    },
  },
  {
    method: 'get',
    path: '/campaigns',
    tag: TAG,
    operationId: 'listCampaigns',
    summary: 'List campaigns, newest first',
    query: ListQuery,
    responses: {
      200: {
        description: 'A page of campaigns',
        schema: pageOf(CampaignSchema),
        example: { items: [campaignExample], nextCursor: EX.cursor },
      },
    },
  },
  {
    method: 'get',
    path: '/campaigns/:id',
    tag: TAG,
    operationId: 'getCampaign',
    summary: 'Read a campaign with its channels and live workflow state',
    params: CampaignIdParams,
    errors: [404],
    responses: {
      200: {
        description: 'The campaign',
        schema: CampaignDetailSchema,
        name: 'CampaignDetail',
        example: {
          ...campaignExample,
          channels: [
            {
              campaignId: EX.campaignId,
              channelId: EX.channelId,
              variantKey: 'default',
              materialVersionId: EX.materialVersionId,
              explanation: { reason: 'default', summary: 'no rule matched: the default variant' },
              channel: { code: 'mobile-banking', name: 'Mobile banking app', kind: 'financial_scenario' },
            },
          ],
          workflow: {
            workflowId: `campaign-${EX.campaignId}`,
            runId: '01a217e6-62a9-7adb-ac2a-10c5ace91850',
            status: 'RUNNING',
            startTime: EX.at,
            closeTime: null,
            historyLength: 42,
            state: { ...campaignStateExample, paused: false },
          },
        },
      },
    },
  },
  ...(['cancel', 'pause', 'resume', 'rerun-evaluation'] as const).map((action): RouteDoc => ({
    method: 'post',
    path: `/campaigns/:id/${action}`,
    tag: TAG,
    operationId: action === 'rerun-evaluation' ? 'rerunCampaignEvaluation' : `${action}Campaign`,
    summary:
      action === 'rerun-evaluation'
        ? 'Re-run the failed evaluation of a campaign'
        : `${action[0]!.toUpperCase()}${action.slice(1)} a campaign`,
    description:
      (action === 'rerun-evaluation'
        ? 'Allowed only in phase `evaluation_failed` (its reason is in `state.failure`), after the facts or the code were corrected; answers once the evaluation has run again. '
        : '') +
      `Sends the ${action} to the campaign workflow as a Temporal update; the workflow decides whether it is allowed in its current phase (409 with its reason otherwise) and answers with its new state. The action and its actor are written to the audit log first (so a steering action never happens without its record); a request the workflow refuses removes that entry again.`,
    params: CampaignIdParams,
    body: {
      schema: SteeringBody,
      name: 'SteeringRequest',
      example: { reason: 'wrong audience' },
    },
    idempotent: true,
    errors: [404, 409],
    responses: {
      200: {
        description: 'Accepted; the workflow state after the action',
        schema: SteeringReplySchema,
        name: 'SteeringReply',
        example: {
          campaignId: EX.campaignId,
          action,
          state: { ...campaignStateExample, paused: action === 'pause' },
        },
      },
    },
  })),
  ...(['approval', 'rejection'] as const).map((path): RouteDoc => {
    const approve = path === 'approval';
    return {
      method: 'post',
      path: `/campaigns/:id/${path}`,
      tag: TAG,
      operationId: approve ? 'approveCampaignLaunch' : 'rejectCampaignLaunch',
      summary: approve
        ? 'Approve the launch of a campaign awaiting approval (maker-checker)'
        : 'Reject the launch of a campaign awaiting approval (maker-checker)',
      description:
        'A campaign whose acquisition budget was above the deployment threshold (LAUNCH_APPROVAL_ABOVE_MINOR) when it was created waits in phase `awaiting_approval`, with nothing published and registrations refused, until another person than its author decides. ' +
        (approve
          ? 'Approving lets it publish and acquire until its registration window ends (the window is not extended). '
          : 'Rejecting ends it `rejected` (approval.state `rejected`) with nothing published; the reason is required. ') +
        'The decision and its actor are written to the audit log before the workflow is told (`campaign.approve-launch` / `campaign.reject-launch`), and mirrored in the campaign `approval` field. 403 `approval-by-author` for the author; 409 with `reason` `ApprovalNotRequired`, `LaunchAlreadyDecided` or `CampaignNotSteerable`. See docs/api/campaigns.md "Launch approval".',
      params: CampaignIdParams,
      body: approve
        ? {
            schema: ApprovalBody,
            name: 'LaunchApprovalRequest',
            example: { note: 'budget agreed with finance' },
          }
        : {
            schema: RejectionBody,
            name: 'LaunchRejectionRequest',
            example: { reason: 'budget not in this quarter' },
          },
      idempotent: true,
      errors: [403, 404, 409],
      responses: {
        200: {
          description: "Decided; the workflow's state after the decision",
          schema: SteeringReplySchema,
          name: 'SteeringReply',
          example: {
            campaignId: EX.campaignId,
            action: approve ? 'approve-launch' : 'reject-launch',
            state: {
              ...campaignStateExample,
              phase: 'awaiting_approval',
              paused: false,
              acquisitionOpen: false,
              placements: { total: 0, verified: 0, failed: 0, withdrawn: 0, drifted: 0 },
              cohorts: [{ key: '2026-03-01', status: 'pending' }],
              approval: approve
                ? { state: 'approved', by: 'manager-wang', at: EX.later, note: 'budget agreed with finance' }
                : { state: 'rejected', by: 'manager-wang', at: EX.later, note: 'budget not in this quarter' },
            },
          },
        },
      },
    };
  }),
  {
    method: 'get',
    path: '/campaigns/:id/history',
    tag: TAG,
    operationId: 'getCampaignHistory',
    summary: "Page through the campaign workflow's raw event history",
    description:
      "Temporal events as they are (attributes in Temporal's JSON mapping). GET /campaigns/{id}/timeline reads the same history as readable steps.",
    params: CampaignIdParams,
    query: HistoryQuery,
    errors: [404],
    responses: {
      200: {
        description: 'A page of events; `nextPageToken` is null on the last page',
        schema: z.object({
          workflowId: z.string(),
          events: z.array(HistoryEventViewSchema),
          nextPageToken: z.string().nullable(),
        }),
        example: {
          workflowId: `campaign-${EX.campaignId}`,
          events: [
            {
              eventId: '1',
              eventType: 'WORKFLOW_EXECUTION_STARTED',
              eventTime: EX.at,
              attempt: 1,
              attributes: { workflowType: { name: 'campaignWorkflow' }, attempt: 1 },
            },
          ],
          nextPageToken: 'CAEQAhgB',
        },
      },
    },
  },
];
