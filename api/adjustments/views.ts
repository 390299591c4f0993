// How fraud flags and cost corrections are shown: channel codes rather than internal ids, money as
// { minor, currency } (exact integers; the ledger's bigint amounts are checked to be safe integers).
import { money } from '../../domain/money';
import type { CostCorrection, FraudFlag } from '../../generated/prisma/client';
import type { ReversalRecord } from '../../funnel/ingest/fraud-flag-ingest';
import type { FraudReason } from '../../domain/adjustment';
import type { CorrectionTarget } from '../../domain/adjustment';
import type { CostCorrectionView, FraudFlagView } from './schemas';

export function fraudFlagView(flag: FraudFlag, channelCode: string): FraudFlagView {
  const reversals = flag.reversals as unknown as ReversalRecord[];
  return {
    registrationId: flag.id,
    campaignId: flag.campaignId,
    customerRef: flag.customerRef,
    channelCode,
    variantKey: flag.variantKey,
    cohortKey: flag.cohortKey,
    reason: flag.reason as FraudReason,
    note: flag.note,
    actor: flag.actor,
    registeredAt: flag.registeredAt.toISOString(),
    flaggedAt: flag.flaggedAt.toISOString(),
    reversals: reversals.map((r) => ({
      entryId: r.entryId,
      adjustsEntryId: r.adjustsEntryId,
      category: r.category,
      amount: money(BigInt(r.amountMinor), r.currency),
    })),
  };
}

export function costCorrectionView(correction: CostCorrection, channelCode: string): CostCorrectionView {
  return {
    id: correction.id,
    campaignId: correction.campaignId,
    target: correction.target as unknown as CorrectionTarget,
    correctsEntryId: correction.correctsEntryId,
    channelCode,
    category: correction.category,
    amount: money(correction.amountMinor, correction.currency),
    reason: correction.reason,
    actor: correction.actor,
    ledgerEntryId: correction.ledgerEntryId,
    createdAt: correction.createdAt.toISOString(),
  };
}
