// The cost and revenue ledger entries the funnel writes, with the deterministic ids that make each one
// idempotent: an entry's id names the fact that caused it (a registration, an activation, an event, a
// message), so a retried write is skipped by the primary key instead of counted twice.
import type { LedgerRow } from '../../db/bulk-insert';

export type { LedgerRow };

/** Who the money is attributed to: the channel that acquired the customer, its variant and cohort. */
export interface LedgerAttribution {
  campaignId: string;
  channelId: string;
  variantKey: string | null;
  cohortKey: string;
  customerRef: string;
}

export const ledgerIds = {
  /** Written by the publishing activity (activities/publishing.ts) for fixed-fee channels. */
  placementFee: (placementId: string) => `fee:${placementId}`,
  registrationIncentive: (registrationId: string) => `incentive:${registrationId}`,
  channelFee: (registrationId: string) => `channelfee:${registrationId}`,
  activationReward: (registrationId: string) => `activation:${registrationId}`,
  revenue: (eventId: string) => `revenue:${eventId}`,
  message: (messageId: string) => `message:${messageId}`,
  deliveryReport: (placementId: string, reportId: string) => `delivery:${placementId}:${reportId}`,
};

function entry(
  id: string,
  kind: 'cost' | 'revenue',
  scope: 'acquisition' | 'period',
  category: string,
  who: LedgerAttribution,
  amountMinor: number,
  currency: string,
  occurredAt: Date,
): LedgerRow {
  return {
    id,
    campaignId: who.campaignId,
    kind,
    scope,
    category,
    channelId: who.channelId,
    variantKey: who.variantKey,
    cohortKey: who.cohortKey,
    customerRef: who.customerRef,
    amountMinor: BigInt(amountMinor),
    currency,
    occurredAt,
  };
}

export const ledgerEntries = {
  /** The reward promised for registering: part of what the campaign paid to acquire the customer. */
  registrationIncentive: (
    registrationId: string,
    who: LedgerAttribution,
    amountMinor: number,
    currency: string,
    at: Date,
  ) =>
    entry(
      ledgerIds.registrationIncentive(registrationId),
      'cost',
      'acquisition',
      'registration_incentive',
      who,
      amountMinor,
      currency,
      at,
    ),
  /** A channel paid per registration it brings (cost model 'per_registration'). */
  channelFee: (
    registrationId: string,
    who: LedgerAttribution,
    amountMinor: number,
    currency: string,
    at: Date,
  ) =>
    entry(
      ledgerIds.channelFee(registrationId),
      'cost',
      'acquisition',
      'channel_fee',
      who,
      amountMinor,
      currency,
      at,
    ),
  /** The reward for becoming active: a cost of the new-customer period. */
  activationReward: (
    registrationId: string,
    who: LedgerAttribution,
    amountMinor: number,
    currency: string,
    at: Date,
  ) =>
    entry(
      ledgerIds.activationReward(registrationId),
      'cost',
      'period',
      'activation_reward',
      who,
      amountMinor,
      currency,
      at,
    ),
  /** What the bank earned from a customer event inside the customer's new-customer period. */
  revenue: (eventId: string, who: LedgerAttribution, amountMinor: number, currency: string, at: Date) =>
    entry(ledgerIds.revenue(eventId), 'revenue', 'period', 'revenue', who, amountMinor, currency, at),
  /** One education/engagement message sent in the new-customer period. */
  message: (messageId: string, who: LedgerAttribution, amountMinor: number, currency: string, at: Date) =>
    entry(ledgerIds.message(messageId), 'cost', 'period', 'message', who, amountMinor, currency, at),
};

/**
 * Adjustment entries: signed, naming the entry they adjust (`adjustsEntryId`), with the same kind, scope,
 * category and attribution, so that every figure computed from the ledger nets out in the same bucket.
 * A reversal's id is derived from the entry it reverses (one reversal per entry, a retry is a no-op); a
 * correction's from the correction's id.
 */
export const adjustmentIds = {
  reversal: (entryId: string) => `reversal:${entryId}`,
  correction: (correctionId: string) => `correction:${correctionId}`,
};

export interface AdjustableEntry {
  id: string;
  campaignId: string;
  kind: string;
  scope: string;
  category: string;
  channelId: string;
  variantKey: string | null;
  cohortKey: string | null;
  customerRef: string | null;
  currency: string;
}

export function adjustmentEntry(
  id: string,
  of: AdjustableEntry,
  amountMinor: bigint,
  at: Date,
): LedgerRow & { adjustsEntryId: string } {
  return {
    id,
    campaignId: of.campaignId,
    kind: of.kind,
    scope: of.scope,
    category: of.category,
    channelId: of.channelId,
    variantKey: of.variantKey,
    cohortKey: of.cohortKey,
    customerRef: of.customerRef,
    amountMinor,
    currency: of.currency,
    occurredAt: at,
    adjustsEntryId: of.id,
  };
}
