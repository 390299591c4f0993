// Request and response schemas of the adjustment routes (fraud flags and cost corrections): the router
// validates with the request schemas, the views are typed by the response schemas, and the OpenAPI
// document (api/openapi/adjustments.ts) is generated from both.
import { z } from 'zod';
import {
  CorrectionTargetSchema,
  CostCorrectionRequestSchema,
  FraudFlagRequestSchema,
  FraudReasonSchema,
} from '../../domain/adjustment';
import { PageQuerySchema } from '../pagination';
import { CampaignIdParams } from '../campaigns/params';

export { CostCorrectionRequestSchema, FraudFlagRequestSchema };

export const FlagParams = CampaignIdParams.extend({ customerRef: z.string().min(1).max(200) });
export const AdjustmentListQuery = z.strictObject(PageQuerySchema.shape);

const Timestamp = z.iso.datetime({ offset: true });
const MoneySchema = z.object({
  minor: z.int().meta({ description: 'Signed integer minor units (fen for CNY)' }),
  currency: z.string(),
});

export const AdjustmentEntrySchema = z.object({
  entryId: z.string().meta({ description: 'The adjustment entry in the ledger' }),
  adjustsEntryId: z.string().meta({ description: 'The entry it reverses or corrects' }),
  category: z.string(),
  amount: MoneySchema,
});

/** The evaluation version that followed the adjustment, or why none could be computed. */
export const FollowingEvaluationSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('computed'),
    version: z.int(),
    provisional: z.boolean(),
    reused: z.boolean().meta({ description: 'The latest version already covered these facts' }),
  }),
  z.object({ status: z.literal('failed'), reason: z.string() }),
]);

export const FraudFlagSchema = z.object({
  registrationId: z.string(),
  campaignId: z.string(),
  customerRef: z.string(),
  channelCode: z.string(),
  variantKey: z.string().nullable(),
  cohortKey: z.string(),
  reason: FraudReasonSchema,
  note: z.string().nullable(),
  actor: z.string(),
  registeredAt: Timestamp,
  flaggedAt: Timestamp,
  reversals: z.array(AdjustmentEntrySchema),
});
export type FraudFlagView = z.infer<typeof FraudFlagSchema>;

export const FraudFlagReplySchema = z.object({
  flag: FraudFlagSchema,
  /** False for a repeat of a recorded flag (nothing new was written). */
  created: z.boolean(),
  evaluation: FollowingEvaluationSchema,
});

export const CostCorrectionSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  target: CorrectionTargetSchema,
  correctsEntryId: z.string(),
  channelCode: z.string(),
  category: z.string(),
  amount: MoneySchema,
  reason: z.string(),
  actor: z.string(),
  ledgerEntryId: z.string(),
  createdAt: Timestamp,
});
export type CostCorrectionView = z.infer<typeof CostCorrectionSchema>;

export const CostCorrectionReplySchema = z.object({
  correction: CostCorrectionSchema,
  /** The corrected cost before and after this correction (booking plus every adjustment of it). */
  totalBefore: MoneySchema,
  totalAfter: MoneySchema,
  evaluation: FollowingEvaluationSchema,
});

export const FraudFlagPageSchema = z.object({
  items: z.array(FraudFlagSchema),
  nextCursor: z.string().nullable(),
});
export const CostCorrectionPageSchema = z.object({
  items: z.array(CostCorrectionSchema),
  nextCursor: z.string().nullable(),
});
