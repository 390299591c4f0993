// Cost corrections: a cost booked earlier — a placement fee, a delivery report's CPM/CPC cost, a
// per-registration channel fee, an incentive, an activation reward, a message — restated up or down by
// ONE signed adjustment entry that names the entry it corrects and carries its attribution (so that every
// figure nets out in the same bucket), recorded with its reason and actor. The booking plus all its
// adjustments may never fall below zero. Written under the campaign's registration lock, which fraud
// flags also hold, so a correction and a clawback of the same entry are serialised.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';
import { correctedTotal, type CorrectionTarget, type CostCorrectionRequest } from '../../domain/adjustment';
import type { CostCorrection, LedgerEntry } from '../../generated/prisma/client';
import { BATCH_TRANSACTION, lockCampaignFunnel, type Tx } from './campaign-lock';
import { adjustmentEntry, adjustmentIds, ledgerIds } from './ledger-entries';

export class CostCorrectionRefusal extends Error {
  constructor(
    readonly kind: 'unknown_target' | 'currency_mismatch' | 'negative_total' | 'clawed_back',
    readonly field: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface CorrectionInput extends CostCorrectionRequest {
  campaignId: string;
  actor: string;
  now: Date;
}

export interface CorrectionOutcome {
  correction: CostCorrection;
  /** The corrected entry's total before and after (booking + adjustments), signed minor units. */
  totalBeforeMinor: bigint;
  totalAfterMinor: bigint;
}

const PER_REGISTRATION = {
  channel_fee: ledgerIds.channelFee,
  registration_incentive: ledgerIds.registrationIncentive,
  activation_reward: ledgerIds.activationReward,
} as const;

/** The id of the entry the target names, or null when the fact it names does not exist. */
async function entryIdOf(tx: Tx, campaignId: string, target: CorrectionTarget): Promise<string | null> {
  switch (target.type) {
    case 'placement_fee':
      return ledgerIds.placementFee(target.placementId);
    case 'delivery_report':
      return ledgerIds.deliveryReport(target.placementId, target.reportId);
    case 'message':
      return ledgerIds.message(target.messageId);
    default: {
      const registration = await tx.registration.findUnique({
        where: { campaignId_customerRef: { campaignId, customerRef: target.customerRef } },
        select: { id: true },
      });
      return registration ? PER_REGISTRATION[target.type](registration.id) : null;
    }
  }
}

function targetField(target: CorrectionTarget): string {
  switch (target.type) {
    case 'placement_fee':
      return 'target.placementId';
    case 'delivery_report':
      return 'target.reportId';
    case 'message':
      return 'target.messageId';
    default:
      return 'target.customerRef';
  }
}

export async function correctCost(db: Db, input: CorrectionInput): Promise<CorrectionOutcome> {
  return db.$transaction(async (tx) => {
    await lockCampaignFunnel(tx, input.campaignId, 'registrations');
    const entryId = await entryIdOf(tx, input.campaignId, input.target);
    const entry: LedgerEntry | null = entryId
      ? await tx.ledgerEntry.findFirst({ where: { id: entryId, campaignId: input.campaignId, kind: 'cost' } })
      : null;
    if (!entry) {
      throw new CostCorrectionRefusal(
        'unknown_target',
        targetField(input.target),
        `campaign ${input.campaignId} booked no ${input.target.type} cost for this ${targetField(input.target).slice('target.'.length)}`,
      );
    }
    if (entry.currency !== input.currency) {
      throw new CostCorrectionRefusal(
        'currency_mismatch',
        'currency',
        `the cost was booked in ${entry.currency}; a correction is in the same currency`,
      );
    }
    const reversal = await tx.ledgerEntry.findUnique({ where: { id: adjustmentIds.reversal(entry.id) } });
    if (reversal) {
      throw new CostCorrectionRefusal(
        'clawed_back',
        targetField(input.target),
        'the registration was flagged as fraud and this cost was reversed; it can no longer be corrected',
      );
    }
    const adjusted = await tx.ledgerEntry.aggregate({
      where: { adjustsEntryId: entry.id },
      _sum: { amountMinor: true },
    });
    const before = entry.amountMinor + (adjusted._sum.amountMinor ?? 0n);
    const after = correctedTotal(
      entry.amountMinor,
      adjusted._sum.amountMinor ?? 0n,
      BigInt(input.amountMinor),
    );
    if (after < 0n) {
      throw new CostCorrectionRefusal(
        'negative_total',
        'amountMinor',
        `would make the ${entry.category} cost ${after} ${entry.currency} minor units: it stands at ${before}, so a correction may lower it by at most ${before}`,
        { totalMinor: before.toString() },
      );
    }
    const id = randomUUID();
    const row = adjustmentEntry(adjustmentIds.correction(id), entry, BigInt(input.amountMinor), input.now);
    await tx.ledgerEntry.create({ data: row });
    const correction = await tx.costCorrection.create({
      data: {
        id,
        campaignId: input.campaignId,
        correctsEntryId: entry.id,
        target: input.target,
        channelId: entry.channelId,
        category: entry.category,
        amountMinor: BigInt(input.amountMinor),
        currency: input.currency,
        reason: input.reason,
        actor: input.actor,
        ledgerEntryId: row.id,
        createdAt: input.now,
      },
    });
    return { correction, totalBeforeMinor: before, totalAfterMinor: after };
  }, BATCH_TRANSACTION);
}
