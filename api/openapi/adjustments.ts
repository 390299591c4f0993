// OpenAPI entries of the adjustments (api/adjustments/routes.ts): fraud flags with their clawback, and
// cost corrections. docs/api/adjustments.md has the rules in full.
import {
  AdjustmentListQuery,
  CostCorrectionPageSchema,
  CostCorrectionReplySchema,
  CostCorrectionRequestSchema,
  FlagParams,
  FraudFlagPageSchema,
  FraudFlagReplySchema,
  FraudFlagRequestSchema,
} from '../adjustments/schemas';
import { EX } from './common';
import type { RouteDoc } from './registry';
import { CampaignIdParams } from '../campaigns/params';

const TAG = 'Adjustments';

const flagExample = {
  registrationId: '5d6e7f80-91a2-4b3c-8d4e-5f6071829304',
  campaignId: EX.campaignId,
  customerRef: 'cust-000123',
  channelCode: 'wechat-pay',
  variantKey: 'default',
  cohortKey: '2026-03-02',
  reason: 'device_farm',
  note: 'case AF-2026-0311',
  actor: 'kyc-screening',
  registeredAt: '2026-03-02T02:15:00.000Z',
  flaggedAt: '2026-03-06T09:40:00.000Z',
  reversals: [
    {
      entryId: 'reversal:incentive:5d6e7f80-91a2-4b3c-8d4e-5f6071829304',
      adjustsEntryId: 'incentive:5d6e7f80-91a2-4b3c-8d4e-5f6071829304',
      category: 'registration_incentive',
      amount: { minor: -5000, currency: 'CNY' },
    },
    {
      entryId: 'reversal:channelfee:5d6e7f80-91a2-4b3c-8d4e-5f6071829304',
      adjustsEntryId: 'channelfee:5d6e7f80-91a2-4b3c-8d4e-5f6071829304',
      category: 'channel_fee',
      amount: { minor: -1200, currency: 'CNY' },
    },
  ],
};

const correctionRequestExample = {
  target: { type: 'placement_fee', placementId: EX.placementId },
  amountMinor: -1_200,
  currency: 'CNY',
  reason: 'the channel invoiced the placement ¥12 below its list fee (invoice INV-0311)',
};

const correctionExample = {
  id: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5',
  campaignId: EX.campaignId,
  target: correctionRequestExample.target,
  correctsEntryId: `fee:${EX.placementId}`,
  channelCode: 'douyin-feed',
  category: 'placement_fee',
  amount: { minor: -1_200, currency: 'CNY' },
  reason: correctionRequestExample.reason,
  actor: 'li.wei',
  ledgerEntryId: 'correction:0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5',
  createdAt: '2026-03-09T03:00:00.000Z',
};

const evaluationExample = { status: 'computed', version: 3, provisional: false, reused: false };

export const adjustmentRoutesDoc: RouteDoc[] = [
  {
    method: 'post',
    path: '/campaigns/:id/registrations/:customerRef/flags',
    tag: TAG,
    operationId: 'flagRegistration',
    summary: 'Flag a registration as fraud after the fact, and claw back what it cost',
    description:
      "From the bank's anti-fraud / KYC systems (role anti-fraud), within the registration's channel's post-attribution window (the channel's postAttributionWindow, P7D by default, counted from registeredAt). The registration leaves the funnel (counts, cohorts, later steps); its incentive, per-registration channel fee and activation reward — net of any correction — are reversed by signed adjustment entries; a new evaluation version follows (final if the latest was final, else provisional). The same flag again is the same flag (200, nothing written); another reason for a flagged registration is 409; a registration excluded at ingest is 409; outside the window 422 post-attribution-window-closed.",
    params: FlagParams,
    body: {
      schema: FraudFlagRequestSchema,
      name: 'FraudFlagRequest',
      example: { reason: 'device_farm', note: 'case AF-2026-0311' },
    },
    idempotent: true,
    errors: [404, 409, 422],
    responses: {
      201: {
        description: 'Flagged: the reversals written and the evaluation version that followed',
        schema: FraudFlagReplySchema,
        name: 'FraudFlagReply',
        example: { flag: flagExample, created: true, evaluation: evaluationExample },
        headers: ['Location'],
      },
      200: {
        description: 'The same flag was already recorded: nothing new was written',
        schema: FraudFlagReplySchema,
        example: { flag: flagExample, created: false, evaluation: { ...evaluationExample, reused: true } },
      },
    },
  },
  {
    method: 'get',
    path: '/campaigns/:id/fraud-flags',
    tag: TAG,
    operationId: 'listFraudFlags',
    summary: "A campaign's fraud flags, newest first, with their reversals",
    params: CampaignIdParams,
    query: AdjustmentListQuery,
    errors: [404],
    responses: {
      200: {
        description: 'A page of flags',
        schema: FraudFlagPageSchema,
        name: 'FraudFlagPage',
        example: { items: [flagExample], nextCursor: null },
      },
    },
  },
  {
    method: 'post',
    path: '/campaigns/:id/cost-corrections',
    tag: TAG,
    operationId: 'correctCost',
    summary: 'Correct a booked cost up or down (a delivery report, a fee, an incentive, a message)',
    description:
      'One signed adjustment entry naming the entry it corrects, with its attribution, reason and actor; nothing is edited. The target names the fact whose cost is corrected. A correction that would make that cost (booking plus every adjustment) negative is refused (422 negative-total naming amountMinor); a cost clawed back by a fraud flag cannot be corrected (409). Idempotency-Key is required here (400 naming header.Idempotency-Key without it): a correction retried without one would be booked twice. A new evaluation version follows.',
    params: CampaignIdParams,
    body: {
      schema: CostCorrectionRequestSchema,
      name: 'CostCorrectionRequest',
      example: correctionRequestExample,
    },
    idempotent: true,
    headers: [
      {
        name: 'Idempotency-Key',
        required: true,
        description:
          'Required here (400 without it): a correction retried without one would be booked twice. The same key and body get the stored reply.',
        example: 'corr-2026-03-09-001',
      },
    ],
    errors: [404, 409, 422],
    responses: {
      201: {
        description: 'Booked: the correction, the cost before and after, and the evaluation that followed',
        schema: CostCorrectionReplySchema,
        name: 'CostCorrectionReply',
        example: {
          correction: correctionExample,
          totalBefore: { minor: 10_000, currency: 'CNY' },
          totalAfter: { minor: 8_800, currency: 'CNY' },
          evaluation: evaluationExample,
        },
        headers: ['Location'],
      },
    },
  },
  {
    method: 'get',
    path: '/campaigns/:id/cost-corrections',
    tag: TAG,
    operationId: 'listCostCorrections',
    summary: "A campaign's cost corrections, newest first",
    params: CampaignIdParams,
    query: AdjustmentListQuery,
    errors: [404],
    responses: {
      200: {
        description: 'A page of corrections',
        schema: CostCorrectionPageSchema,
        name: 'CostCorrectionPage',
        example: { items: [correctionExample], nextCursor: null },
      },
    },
  },
];
