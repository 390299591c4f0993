// What an evaluation is computed from: aggregate buckets that the evaluation activity reads with SQL
// GROUP BY (never per-customer rows, so a campaign with a million registrations hands over a few
// thousand buckets at most). One zod schema per input; the TypeScript types come from it.
import { z } from 'zod';

const key = z.string().min(1);
const count = z.number().int().nonnegative();
/** Integer minor units; zod's int() also refuses anything beyond Number.MAX_SAFE_INTEGER. */
const amountMinor = z.number().int();
const seconds = z.number().finite().nonnegative();

export const costScopeSchema = z.enum(['acquisition', 'period']);
export type CostScope = z.infer<typeof costScopeSchema>;

/** Valid registrations of one (channel, material variant, cohort, arm), with their outcome. */
export const registrationBucketSchema = z
  .object({
    channelId: key,
    materialVariant: key,
    cohortKey: key,
    /** Arm name: the control group's name, or a treatment arm's. */
    group: key,
    /** Valid registrations only; flagged ones are counted in FlaggedBucket. */
    registrations: count,
    activated: count,
    /** Revenue of these customers inside their own new-customer period. */
    periodRevenueMinor: amountMinor,
  })
  .refine((bucket) => bucket.activated <= bucket.registrations, {
    message: 'activated exceeds registrations',
    path: ['activated'],
  });
export type RegistrationBucket = z.infer<typeof registrationBucketSchema>;

/** Registrations excluded from the funnel (fraud, duplicate, …), kept with their reason. */
export const flaggedBucketSchema = z.object({
  channelId: key,
  materialVariant: key,
  cohortKey: key,
  reason: key,
  count,
});
export type FlaggedBucket = z.infer<typeof flaggedBucketSchema>;

/**
 * Registrations the bank's anti-fraud or KYC systems flagged AFTER they were accepted (fraud flags). They
 * are in `flagged` too (under the same reason); these buckets say which of them were found after the fact,
 * for the fraud rate: found ÷ (valid + found).
 */
export const fraudFlaggedBucketSchema = z.object({
  channelId: key,
  materialVariant: key,
  cohortKey: key,
  reason: key,
  count,
});
export type FraudFlaggedBucket = z.infer<typeof fraudFlaggedBucketSchema>;

/**
 * Cost ledger totals. A null attribute means the cost cannot be attributed on that dimension
 * (a placement fee serves every cohort; an agency fee serves every channel): it still counts in
 * the overall totals, and shows as "unattributed" on that dimension rather than being spread.
 */
export const costBucketSchema = z.object({
  scope: costScopeSchema,
  category: key,
  channelId: key.nullable(),
  materialVariant: key.nullable(),
  cohortKey: key.nullable(),
  amountMinor,
});
export type CostBucket = z.infer<typeof costBucketSchema>;

export const placementBucketSchema = z.object({ channelId: key, materialVariant: key, placements: count });
export type PlacementBucket = z.infer<typeof placementBucketSchema>;

/**
 * Impressions and clicks the channels reported for their placements of one channel and material variant,
 * and the sign-ups started where the channel reported them (absent: none of its reports carried them).
 */
export const deliveryBucketSchema = z.object({
  channelId: key,
  materialVariant: key,
  impressions: count,
  clicks: count,
  registrationsStarted: count.optional(),
});
export type DeliveryBucket = z.infer<typeof deliveryBucketSchema>;

export const timeToActivateDimensionSchema = z.enum(['overall', 'channel', 'material', 'cohort']);

/** Seconds from registration to activation, computed in SQL with percentile_disc (nearest rank). */
export const timeToActivateRowSchema = z
  .object({
    dimension: timeToActivateDimensionSchema,
    /** '' for the overall row. */
    key: z.string(),
    medianSeconds: seconds,
    p90Seconds: seconds,
  })
  .refine((row) => row.p90Seconds >= row.medianSeconds, {
    message: 'p90Seconds is below medianSeconds',
    path: ['p90Seconds'],
  })
  .refine((row) => (row.dimension === 'overall') === (row.key === ''), {
    message: "key must be '' exactly for the overall row",
    path: ['key'],
  });
export type TimeToActivateRow = z.infer<typeof timeToActivateRowSchema>;

export const evaluationInputSchema = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO-4217 code'),
  /** Arm name of the control group; null when the campaign has none. */
  controlGroup: key.nullable(),
  registrations: z.array(registrationBucketSchema),
  flagged: z.array(flaggedBucketSchema),
  /** Fraud flags found after the fact; absent (as in inputs stored before them) means none. */
  fraudFlagged: z.array(fraudFlaggedBucketSchema).optional(),
  costs: z.array(costBucketSchema),
  placements: z.array(placementBucketSchema),
  /** From the channels' delivery reports; absent (as in inputs stored before them) means none reported. */
  delivery: z.array(deliveryBucketSchema).optional(),
  timeToActivate: z.array(timeToActivateRowSchema),
  /** For an evaluation run before every cohort's period has ended: which cohorts have finished. */
  cohortsMature: z.record(key, z.boolean()).optional(),
});
export type EvaluationInput = z.infer<typeof evaluationInputSchema>;

export class EvaluationInputError extends Error {}

/** Validates an input, or throws an EvaluationInputError naming every problem found. */
export function parseEvaluationInput(input: unknown): EvaluationInput {
  const result = evaluationInputSchema.safeParse(input);
  if (!result.success) throw new EvaluationInputError(z.prettifyError(result.error));
  const seen = new Set<string>();
  for (const row of result.data.timeToActivate) {
    const id = `${row.dimension}:${row.key}`;
    if (seen.has(id)) throw new EvaluationInputError(`timeToActivate has two rows for ${id}`);
    seen.add(id);
  }
  return result.data;
}
