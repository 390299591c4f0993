// OpenAPI entries of a campaign's pacing (api/campaigns/pacing-routes.ts): the read side and the
// freeze / unfreeze steering of adaptive reviews. docs/api/campaigns.md ("Pacing") has the rules.
import { SteeringBody } from '../campaigns/routes';
import { PacingQuery } from '../campaigns/pacing-routes';
import { PacingViewSchema } from '../campaigns/pacing-view';
import { PacingSteeringReplySchema } from '../campaigns/steering-route';
import { campaignStateExample } from './campaigns';
import { EX } from './common';
import type { RouteDoc } from './registry';
import { CampaignIdParams } from '../campaigns/params';

const TAG = 'Campaigns';

const pacingExample = {
  mode: 'adaptive',
  frozen: true,
  frozenBy: { by: 'ops-lead', reason: 'channel audit under way', at: EX.later },
  reviews: 3,
  lastReview: { reviewIndex: 3, outcome: 'changed', method: 'thompson-sampling-v1', moved: 2, at: EX.at },
  lastError: null,
};

export const pacingRoutesDoc: RouteDoc[] = [
  {
    method: 'get',
    path: '/campaigns/:id/pacing',
    tag: TAG,
    operationId: 'getCampaignPacing',
    summary: "A campaign's per-channel caps, spend and pacing history",
    description:
      'The current cap and the acquisition spend of every channel, the mode, whether the adaptive reviews are frozen (the last freeze/unfreeze in the audit log), and every adjustment (review 0: the initial caps; then one fact per channel per review: from → to, why, by whom), newest first, paged by `limit` and `cursor`.',
    params: CampaignIdParams,
    query: PacingQuery,
    errors: [404],
    responses: {
      200: {
        description: 'The pacing of the campaign',
        schema: PacingViewSchema,
        name: 'CampaignPacing',
        example: {
          campaignId: EX.campaignId,
          mode: 'adaptive',
          frozen: false,
          frozenBy: null,
          currency: 'CNY',
          budgetMinor: 1_000_000,
          floorShare: 0.1,
          reviewEvery: 'P1D',
          channels: [
            {
              channelId: EX.channelId,
              channelCode: 'wechat-pay',
              capMinor: 620_000,
              spentMinor: 240_500,
              reviewIndex: 2,
            },
          ],
          adjustments: {
            items: [
              {
                id: `${EX.campaignId}:2:${EX.channelId}`,
                reviewIndex: 2,
                channelId: EX.channelId,
                channelCode: 'wechat-pay',
                fromMinor: 500_000,
                toMinor: 620_000,
                reason: 'cheapest early activations so far: more budget',
                actor: 'pacing',
                at: EX.at,
              },
            ],
            nextCursor: null,
          },
        },
      },
    },
  },
  ...(['freeze', 'unfreeze'] as const).map((action): RouteDoc => ({
    method: 'post',
    path: `/campaigns/:id/pacing/${action}`,
    tag: TAG,
    operationId: `${action}CampaignPacing`,
    summary:
      action === 'freeze'
        ? 'Freeze the adaptive pacing of a campaign'
        : 'Unfreeze the adaptive pacing of a campaign',
    description:
      (action === 'freeze'
        ? 'While frozen, every review records "frozen: no change" and the caps stay. '
        : 'The next review moves the caps again. ') +
      'Sent to the campaign workflow as a Temporal update, validated there: 409 when the plan is not adaptive (`reason: PacingNotAdaptive`), when pacing already is in that state (`PacingAlreadyInState`) or once acquisition has closed (`CampaignNotSteerable`). As every steering action, it is written to the audit log first under the update id; a refused request removes the entry; a retry with the same Idempotency-Key is applied once.',
    params: CampaignIdParams,
    body: { schema: SteeringBody, name: 'SteeringRequest', example: { reason: 'channel audit under way' } },
    idempotent: true,
    errors: [404, 409],
    responses: {
      200: {
        description: "Applied; the workflow's state after it",
        schema: PacingSteeringReplySchema,
        name: action === 'freeze' ? 'PacingFreezeReply' : 'PacingUnfreezeReply',
        example: {
          campaignId: EX.campaignId,
          action: `${action}-pacing`,
          state: { ...campaignStateExample, pacing: { ...pacingExample, frozen: action === 'freeze' } },
        },
      },
    },
  })),
];
