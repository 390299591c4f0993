// OpenAPI entries of /campaigns (api/campaigns/routes.ts): create, list, read, steer, history.
// The response schemas are declared where the responses are built (api/campaigns/campaign-view.ts,
// dry-run.ts, steering-route.ts, workflow-view.ts), whose builders are typed by them.
import { z } from 'zod';
import { CreateCampaignSchema } from '../../domain/campaign-plan';
import { CampaignDetailSchema, CampaignSchema, CreatedCampaignSchema } from '../campaigns/campaign-view';
import { CampaignDryRunSchema } from '../campaigns/dry-run';
import { ApprovalBody, RejectionBody } from '../campaigns/launch-approval-route';
import { HistoryQuery, ListQuery, SteeringBody } from '../campaigns/routes';
import { CampaignSteeringReplySchema } from '../campaigns/steering-route';
import { HistoryEventViewSchema } from '../campaigns/workflow-view';
import { EX, pageOf } from './common';
import type { RouteDoc } from './registry';
import { CampaignIdParams } from '../campaigns/params';

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
              explanation: {
                reason: 'default',
                summary: 'no rule matched: the default variant',
                matched: null,
                profileVersion: 3,
              },
              clickThroughWindow: 'P7D',
              viewThroughWindow: 'PT24H',
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
        schema: CampaignSteeringReplySchema,
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
          schema: CampaignSteeringReplySchema,
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
