// OpenAPI entries of placements (api/placements/routes.ts): the placement-consistency report, a
// material change during a campaign, and the offline placement tasks branch staff acknowledge.
// The response schemas are declared beside their builders (api/placements/placement-views.ts).
import { ChangeMaterialBody, TaskParams, TaskQuery } from '../placements/routes';
import {
  ConsistencyReportSchema,
  MaterialChangeReplySchema,
  OfflineTaskListSchema,
  OfflineTaskSchema,
} from '../placements/placement-views';
import { campaignStateExample } from './campaigns';
import { EX } from './common';
import type { RouteDoc } from './registry';
import { CampaignIdParams } from '../campaigns/params';

const hash = 'sha256:3f2a9c0e5b1d4f6a8c7e2b0d9f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a';
const taskExample = {
  id: 'task_plc_7f1c1b9e_branch-hz-01_0',
  placementId: 'plc_7f1c1b9e_branch-hz-01_0',
  campaignId: EX.campaignId,
  channelId: EX.channelId,
  action: 'publish',
  status: 'open',
  acknowledgedBy: null,
  acknowledgedAt: null,
  createdAt: EX.at,
};

const TAG = 'Placements';

export const placementRoutesDoc: RouteDoc[] = [
  {
    method: 'get',
    path: '/campaigns/:id/placements',
    tag: TAG,
    operationId: 'getPlacementConsistency',
    summary: 'The placement-consistency report: per channel, expected vs observed material version',
    params: CampaignIdParams,
    errors: [404],
    responses: {
      200: {
        description: 'One row per channel',
        schema: ConsistencyReportSchema,
        example: {
          campaignId: EX.campaignId,
          channels: 1,
          summary: { verified: 1 },
          sameContentPerVariant: { default: true },
          rows: [
            {
              channelCode: 'wechat-pay',
              channelName: 'WeChat Pay mini-program',
              channelKind: 'ecosystem_scenario',
              variantKey: 'default',
              expected: { materialVersionId: EX.materialVersionId, version: 1, contentHash: hash },
              observedHash: hash,
              consistent: true,
              status: 'verified',
              error: null,
              attempts: 1,
              placementId: EX.placementId,
              publishedAt: EX.at,
              verifiedAt: EX.later,
              lastCheckedAt: EX.later,
              withdrawnAt: null,
              targeting: { reason: 'default', summary: 'no rule matched: the default variant' },
              history: [],
            },
          ],
        },
      },
    },
  },
  {
    method: 'post',
    path: '/campaigns/:id/material',
    tag: TAG,
    operationId: 'changeCampaignMaterial',
    summary: 'Publish another approved version of a variant while acquisition is open',
    description:
      'Sent to the workflow as an update: it publishes the new version everywhere the variant is shown, withdraws the old one where the new one is verified, and answers with its state. 409 when the workflow refuses (not acquiring, unknown variant).',
    params: CampaignIdParams,
    body: {
      schema: ChangeMaterialBody,
      name: 'ChangeMaterialRequest',
      example: { materialVersionId: EX.materialVersionId, reason: 'price changed' },
    },
    idempotent: true,
    errors: [404, 409],
    responses: {
      200: {
        description: 'The workflow state once the new version is verified everywhere',
        schema: MaterialChangeReplySchema,
        example: { campaignId: EX.campaignId, state: { ...campaignStateExample, paused: false } },
      },
    },
  },
  {
    method: 'get',
    path: '/offline-tasks',
    tag: TAG,
    operationId: 'listOfflineTasks',
    summary: 'Offline placement tasks (posters, branch screens) for staff, oldest first',
    query: TaskQuery,
    errors: [404],
    responses: {
      200: {
        description: 'Up to 500 tasks',
        schema: OfflineTaskListSchema,
        example: { items: [taskExample] },
      },
    },
  },
  {
    method: 'post',
    path: '/offline-tasks/:taskId/acknowledge',
    tag: TAG,
    operationId: 'acknowledgeOfflineTask',
    summary: 'A staff member confirms an offline placement was put up (or taken down)',
    params: TaskParams,
    errors: [404],
    responses: {
      200: {
        description: 'The acknowledged task',
        schema: OfflineTaskSchema,
        example: {
          ...taskExample,
          status: 'acknowledged',
          acknowledgedBy: 'branch-hz-wu',
          acknowledgedAt: EX.later,
        },
      },
    },
  },
];
