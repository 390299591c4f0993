// Adjustments (调整): the two ways money already booked in the ledger changes afterwards, as the domain
// names them — a FRAUD FLAG (the bank's anti-fraud or KYC systems reject a registration after it was
// accepted, within the channel's post-attribution window) and a COST CORRECTION (a cost restated up or
// down). Both are written as signed adjustment entries that name the entry they adjust; no entry is ever
// edited or deleted. This module holds the request schemas and the pure rules; the writes are in
// funnel/ingest/fraud-flag-ingest.ts and funnel/ingest/cost-correction.ts.
import { z } from 'zod';
import { durationInRange, durationMs } from './duration';
import { MAX_AMOUNT_MINOR } from './money';
import { text } from './text';

/**
 * Why the anti-fraud or KYC systems rejected a registration after the fact (stable codes, like the
 * mobile measurement partners' post-attribution reasons). `existing_customer` is the same word as the
 * ingest-time exclusion (funnel/registration-flags.ts): the person was already the bank's customer,
 * found out later.
 */
export const FRAUD_REASONS = [
  'fake_identity',
  'device_farm',
  'incentive_abuse',
  'existing_customer',
] as const;
export const FraudReasonSchema = z.enum(FRAUD_REASONS, {
  error: `must be one of ${FRAUD_REASONS.join(', ')}`,
});
export type FraudReason = z.infer<typeof FraudReasonSchema>;

export const FraudFlagRequestSchema = z.strictObject({
  reason: FraudReasonSchema,
  /** The anti-fraud system's own case reference or a short explanation. */
  note: text({ trim: true, min: 1, max: 500 }).optional(),
});
export type FraudFlagRequest = z.infer<typeof FraudFlagRequestSchema>;

/** The post-attribution window when a channel configures none: 7 days, as the measurement partners use. */
export const DEFAULT_POST_ATTRIBUTION_WINDOW = 'P7D';
/** A channel's window: at least a second, at most a year (a flag a year later is an audit, not a clawback). */
export const PostAttributionWindowSchema = durationInRange('PT1S', 'P365D');

/** The last instant (epoch ms, inclusive) at which a registration may still be flagged. */
export function flagDeadline(registeredAt: Date, window: string): number {
  return registeredAt.getTime() + durationMs(window);
}

/** The ledger categories a cost correction can name, each with the fact that identifies the entry. */
export const CORRECTION_TARGET_TYPES = [
  'placement_fee',
  'delivery_report',
  'channel_fee',
  'registration_incentive',
  'activation_reward',
  'message',
] as const;

const ref = text({ min: 1, max: 200 });

export const CorrectionTargetSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('placement_fee'), placementId: ref }),
    z.strictObject({ type: z.literal('delivery_report'), placementId: ref, reportId: ref }),
    z.strictObject({ type: z.literal('channel_fee'), customerRef: ref }),
    z.strictObject({ type: z.literal('registration_incentive'), customerRef: ref }),
    z.strictObject({ type: z.literal('activation_reward'), customerRef: ref }),
    z.strictObject({ type: z.literal('message'), messageId: ref }),
  ],
  { error: `type must be one of ${CORRECTION_TARGET_TYPES.join(', ')}` },
);
export type CorrectionTarget = z.infer<typeof CorrectionTargetSchema>;

export const CostCorrectionRequestSchema = z.strictObject({
  target: CorrectionTargetSchema,
  /** Signed minor units: negative lowers the cost (a channel restating fewer impressions), positive raises it. */
  amountMinor: z
    .int()
    .min(-MAX_AMOUNT_MINOR, `must be at least -${MAX_AMOUNT_MINOR} minor units`)
    .max(MAX_AMOUNT_MINOR, `must be at most ${MAX_AMOUNT_MINOR} minor units`)
    .refine((amount) => amount !== 0, { message: 'must not be 0: a correction changes the cost' }),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO-4217 currency code such as "CNY"'),
  reason: text({ trim: true, min: 1, max: 500 }),
});
export type CostCorrectionRequest = z.infer<typeof CostCorrectionRequestSchema>;

/** The entry after a correction must not cost less than nothing. Pure, so the rule is stated once. */
export function correctedTotal(bookedMinor: bigint, adjustedMinor: bigint, correctionMinor: bigint): bigint {
  return bookedMinor + adjustedMinor + correctionMinor;
}
