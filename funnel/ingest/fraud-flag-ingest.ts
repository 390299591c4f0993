// Fraud found after the fact (事后反欺诈) and its clawback: the bank's anti-fraud or KYC systems flag a
// registration that was accepted, within its channel's post-attribution window. In ONE transaction, holding
// the campaign's registration and event locks (so that no activation reward or registration of the same
// customer is written around it): the registration takes the reason as its flagReason, which takes it out
// of the funnel, its counts and its cohorts' next steps; its incentive, per-registration channel fee and
// activation reward — net of any correction made to them — are reversed by signed adjustment entries; and
// the flag is recorded. Entries are never edited. A repeat of the same flag is the same flag (nothing new).
import { UNATTRIBUTED_CHANNEL_ID } from '../../domain/attribution';
import type { Db } from '../../db/client';
import { flagDeadline, type FraudFlagRequest } from '../../domain/adjustment';
import type { FraudFlag } from '../../generated/prisma/client';
import { BATCH_TRANSACTION, lockCampaignFunnel, type Tx } from './campaign-lock';
import { adjustmentEntry, adjustmentIds, ledgerIds } from './ledger-entries';

/** Why a flag was refused; `field` names what the caller sent that the refusal is about. */
export class FraudFlagRefusal extends Error {
  constructor(
    readonly kind: 'not_found' | 'window_closed' | 'already_excluded' | 'other_reason',
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ReversalRecord {
  entryId: string;
  adjustsEntryId: string;
  category: string;
  /** Signed minor units (negative: a cost taken back), as a decimal string of the bigint. */
  amountMinor: string;
  currency: string;
}

export interface FraudFlagOutcome {
  flag: FraudFlag;
  /** False when the same flag had been recorded before: nothing was written this time. */
  created: boolean;
}

export interface FlagInput extends FraudFlagRequest {
  campaignId: string;
  customerRef: string;
  actor: string;
  now: Date;
}

/** The costs a registration caused, by the deterministic ids its ingest gave them (ledger-entries.ts). */
function costEntryIds(registrationId: string): string[] {
  return [
    ledgerIds.registrationIncentive(registrationId),
    ledgerIds.channelFee(registrationId),
    ledgerIds.activationReward(registrationId),
  ];
}

export async function flagRegistration(db: Db, input: FlagInput): Promise<FraudFlagOutcome> {
  return db.$transaction(async (tx) => {
    // Always in this order (registration ingest takes only the first, event ingest only the second).
    await lockCampaignFunnel(tx, input.campaignId, 'registrations');
    await lockCampaignFunnel(tx, input.campaignId, 'events');
    const registration = await tx.registration.findUnique({
      where: { campaignId_customerRef: { campaignId: input.campaignId, customerRef: input.customerRef } },
    });
    if (!registration) {
      throw new FraudFlagRefusal(
        'not_found',
        'params.customerRef',
        `customer ${input.customerRef} has no registration in campaign ${input.campaignId}`,
      );
    }
    const earlier = await tx.fraudFlag.findUnique({ where: { id: registration.id } });
    if (earlier) {
      if (earlier.reason === input.reason) return { flag: earlier, created: false };
      throw new FraudFlagRefusal(
        'other_reason',
        'reason',
        `the registration was already flagged as ${earlier.reason} on ${earlier.flaggedAt.toISOString()}; a registration carries one fraud flag`,
      );
    }
    if (registration.flagReason !== null) {
      throw new FraudFlagRefusal(
        'already_excluded',
        'params.customerRef',
        `the registration was excluded when it arrived (${registration.flagReason}): it counted for nothing and cost nothing to claw back`,
      );
    }
    // The window of the channel that was paid for it; an unattributed registration paid no channel, so the
    // channel that reported it sets the window.
    const windowChannelId =
      registration.channelId === UNATTRIBUTED_CHANNEL_ID && registration.reportedChannelId
        ? registration.reportedChannelId
        : registration.channelId;
    const channel = await tx.channel.findUniqueOrThrow({
      where: { id: windowChannelId },
      select: { code: true, postAttributionWindow: true },
    });
    const deadline = flagDeadline(registration.registeredAt, channel.postAttributionWindow);
    if (input.now.getTime() > deadline) {
      throw new FraudFlagRefusal(
        'window_closed',
        'params.customerRef',
        `registered at ${registration.registeredAt.toISOString()} through channel ${channel.code}, whose post-attribution window (${channel.postAttributionWindow}) closed at ${new Date(deadline).toISOString()}`,
      );
    }

    const reversals = await reverseCosts(tx, costEntryIds(registration.id), input.now);
    await tx.registration.update({ where: { id: registration.id }, data: { flagReason: input.reason } });
    const flag = await tx.fraudFlag.create({
      data: {
        id: registration.id,
        campaignId: registration.campaignId,
        customerRef: registration.customerRef,
        channelId: registration.channelId,
        variantKey: registration.variantKey,
        cohortKey: registration.cohortKey,
        reason: input.reason,
        note: input.note ?? null,
        actor: input.actor,
        registeredAt: registration.registeredAt,
        flaggedAt: input.now,
        reversals: reversals as unknown as object[],
      },
    });
    return { flag, created: true };
  }, BATCH_TRANSACTION);
}

/**
 * One reversal per cost entry, of what the entry amounts to now (the booking plus every correction of
 * it), so that after the reversal the registration costs exactly nothing.
 */
async function reverseCosts(tx: Tx, entryIds: string[], at: Date): Promise<ReversalRecord[]> {
  const booked = await tx.ledgerEntry.findMany({ where: { id: { in: entryIds } }, orderBy: { id: 'asc' } });
  if (booked.length === 0) return [];
  const adjustments = await tx.ledgerEntry.groupBy({
    by: ['adjustsEntryId'],
    where: { adjustsEntryId: { in: booked.map((entry) => entry.id) } },
    _sum: { amountMinor: true },
  });
  const adjustedBy = new Map(adjustments.map((row) => [row.adjustsEntryId, row._sum.amountMinor ?? 0n]));
  const rows = booked
    .map((entry) => ({ entry, net: entry.amountMinor + (adjustedBy.get(entry.id) ?? 0n) }))
    .filter(({ net }) => net !== 0n)
    .map(({ entry, net }) => adjustmentEntry(adjustmentIds.reversal(entry.id), entry, -net, at));
  await tx.ledgerEntry.createMany({ data: rows, skipDuplicates: true });
  return rows.map((row) => ({
    entryId: row.id,
    adjustsEntryId: row.adjustsEntryId,
    category: row.category,
    amountMinor: BigInt(row.amountMinor).toString(),
    currency: row.currency,
  }));
}
