// OpenAPI entries of the operations views (api/ops/routes.ts): campaigns with their workflow status from
// Temporal visibility, a campaign's workflow timeline, its audit log. The response schemas are declared
// where the responses are built (api/ops/timeline-schemas.ts, api/ops/campaign-list.ts, api/ops/audit.ts), whose types are
// inferred from them, so this description cannot drift from what the endpoints return.
import { AuditQuerySchema, OpsCampaignListQuerySchema } from '../ops/schemas';
import { AuditPageSchema } from '../ops/audit';
import { OpsCampaignPageSchema } from '../ops/campaign-list';
import { CampaignTimelineSchema } from '../ops/timeline-schemas';
import { EX } from './common';
import type { RouteDoc } from './registry';
import { CampaignIdParams } from '../campaigns/params';

const channelStep = (
  label: string,
  kind: 'publish' | 'withdraw',
  id: string,
  at: [string, string, string],
) => ({
  kind,
  label,
  name: kind === 'publish' ? 'publishPlacement' : 'withdrawPlacement',
  workflowId: `campaign-${EX.campaignId}`,
  id,
  status: 'completed',
  channelCode: 'wechat-pay',
  placementId: EX.placementId,
  cohortKey: null,
  stepId: null,
  phase: null,
  scheduledAt: at[0],
  startedAt: at[1],
  endedAt: at[2],
  attempts: kind === 'publish' ? 2 : 1,
  nextAttemptAt: null,
  failures:
    kind === 'publish'
      ? [
          {
            message: 'publish on channel wechat-pay failed with HTTP 503',
            type: 'ChannelUnavailable',
            attempt: 1,
          },
        ]
      : [],
  detail:
    kind === 'publish'
      ? { variantKey: 'default', generation: 0, outcome: 'verified' }
      : { outcome: 'withdrawn' },
});

const timelineExample = {
  campaignId: EX.campaignId,
  workflowId: `campaign-${EX.campaignId}`,
  workflow: {
    status: 'completed',
    workflowType: 'campaignWorkflow',
    startedAt: '2026-03-01T00:00:00.120Z',
    closedAt: '2026-03-01T00:05:01.010Z',
    failure: null,
  },
  steps: [
    channelStep('publish to wechat-pay', 'publish', '3', [
      '2026-03-01T00:00:00.400Z',
      '2026-03-01T00:00:01.520Z',
      '2026-03-01T00:00:01.700Z',
    ]),
    {
      kind: 'cohort',
      label: 'cohort 2026-03-01',
      name: 'cohortWorkflow',
      workflowId: `campaign-${EX.campaignId}`,
      id: `campaign-${EX.campaignId}-cohort-2026-03-01`,
      status: 'cancelled',
      channelCode: null,
      placementId: null,
      cohortKey: '2026-03-01',
      stepId: null,
      phase: null,
      scheduledAt: '2026-03-01T00:00:01.800Z',
      startedAt: '2026-03-01T00:00:01.850Z',
      endedAt: '2026-03-01T00:05:00.700Z',
      attempts: 1,
      nextAttemptAt: null,
      failures: [],
      detail: {
        start: '2026-02-28T16:00:00.000Z',
        end: '2026-03-01T16:00:00.000Z',
        workflowStatus: 'cancelled',
      },
      steps: [],
    },
    channelStep('withdraw from wechat-pay', 'withdraw', '8', [
      '2026-03-01T00:05:00.300Z',
      '2026-03-01T00:05:00.310Z',
      '2026-03-01T00:05:00.420Z',
    ]),
  ],
  timers: [],
  pendingTimers: [],
  messages: [
    {
      kind: 'update',
      name: 'cancelCampaign',
      workflowId: `campaign-${EX.campaignId}`,
      at: '2026-03-01T00:05:00.100Z',
      actor: 'ops-wang',
      reason: 'wrong audience',
      identity: '4884@api-1',
      outcome: 'completed',
      failure: null,
    },
  ],
  actions: [
    {
      id: '8e9f0a1b-2c3d-4e5f-8a6b-7c8d9e0f1a2b',
      actor: 'ops-wang',
      action: 'campaign.cancel',
      at: '2026-03-01T00:05:00.200Z',
      reason: 'wrong audience',
      payload: { reason: 'wrong audience' },
    },
  ],
  history: {
    eventCap: 10000,
    eventsRead: 97,
    truncated: false,
    cohortHistoriesRead: 1,
    cohortHistoriesNotRead: 0,
  },
};

const TAG = 'Operations';

export const opsRoutesDoc: RouteDoc[] = [
  {
    method: 'get',
    path: '/ops/campaigns',
    tag: TAG,
    operationId: 'listCampaignsWithWorkflows',
    summary: 'Campaigns with their workflow status from Temporal visibility',
    description:
      'A page of campaigns from the database (newest first, without the plan), each joined with its workflow as Temporal visibility lists it: execution status, run, start/close time, history length and the CampaignStatus search attribute (phase). Visibility is eventually consistent: a workflow started a moment ago may show NOT_VISIBLE. When visibility cannot be asked, the page still answers, with `visibility.available: false` and status UNKNOWN.',
    query: OpsCampaignListQuerySchema,
    responses: {
      200: {
        description: 'A page of campaigns with workflow status',
        schema: OpsCampaignPageSchema,
        example: {
          items: [
            {
              id: EX.campaignId,
              name: 'Spring account-opening push',
              status: 'acquiring',
              planVersion: 1,
              materialId: EX.materialId,
              currency: 'CNY',
              workflowId: `campaign-${EX.campaignId}`,
              workflowStartedAt: EX.at,
              origin: 'live',
              createdBy: 'marketer-li',
              createdAt: EX.at,
              updatedAt: EX.later,
              approval: {
                required: false,
                threshold: null,
                state: 'not_required',
                by: null,
                at: null,
                note: null,
              },
              workflow: {
                workflowId: `campaign-${EX.campaignId}`,
                status: 'RUNNING',
                runId: '01a217e6-62a9-7adb-ac2a-10c5ace91850',
                startTime: EX.at,
                closeTime: null,
                historyLength: 42,
                phase: 'acquiring',
              },
            },
          ],
          nextCursor: null,
          visibility: { available: true, error: null },
        },
      },
    },
  },
  {
    method: 'get',
    path: '/campaigns/:id/timeline',
    tag: TAG,
    operationId: 'getCampaignTimeline',
    summary: "The campaign workflow's history as a readable timeline, with the steering actions",
    description:
      "Steps of the campaign workflow (phases, publishing per channel, verification rounds, withdrawals, each cohort and — read from the cohort's own workflow — its education/engagement steps, the evaluation) with scheduled/started/ended times, attempts and failure reasons; timers (pending ones with their fire time); signals and updates received; and the campaign's audit trail. The whole history is read up to `history.eventCap` events per workflow; `history.truncated` says when it was capped. docs/api/operations.md describes every field.",
    params: CampaignIdParams,
    errors: [404],
    responses: {
      200: {
        description: 'The timeline',
        schema: CampaignTimelineSchema,
        name: 'CampaignTimeline',
        example: timelineExample,
      },
    },
  },
  {
    method: 'get',
    path: '/campaigns/:id/audit',
    tag: TAG,
    operationId: 'getCampaignAudit',
    summary: "The campaign's audit log: who did what, when (newest first)",
    params: CampaignIdParams,
    query: AuditQuerySchema,
    errors: [404],
    responses: {
      200: {
        description: 'A page of audit entries',
        schema: AuditPageSchema,
        example: {
          items: [
            {
              id: '8e9f0a1b-2c3d-4e5f-8a6b-7c8d9e0f1a2b',
              actor: 'ops-wang',
              action: 'campaign.cancel',
              at: '2026-03-01T00:05:00.200Z',
              payload: { reason: 'wrong audience' },
            },
          ],
          nextCursor: EX.cursor,
        },
      },
    },
  },
];
