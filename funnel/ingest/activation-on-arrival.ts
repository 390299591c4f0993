// Activation decided when events arrive (architecture.md, "Activation"): for each customer who just got an
// event inside their new-customer period, the campaign's activation rule is evaluated over all their stored
// events, and the first time it holds, Registration.activatedAt is set — once, by a conditional update
// (`WHERE activatedAt IS NULL`), together with the activation reward in the ledger, in the caller's transaction.
//
// Once recorded, activatedAt never moves: an event that arrives late but happened earlier could make the rule
// hold earlier (evaluateActivation would then say so), but the recorded time — the one on which rewards and
// messages were already acted — is kept. Flagged registrations are never activated.
import { Prisma } from '../../generated/prisma/client';
import { evaluateActivation, type CustomerEventFact } from '../activation-evaluation';
import type { FunnelCampaign } from './campaign-context';
import type { Tx } from './campaign-lock';
import { insertLedgerEntries } from '../../db/bulk-insert';
import { ledgerEntries, type LedgerRow } from './ledger-entries';

export interface ActivationCandidate {
  id: string;
  customerRef: string;
  channelId: string;
  variantKey: string | null;
  cohortKey: string;
  registeredAt: Date;
  periodEndsAt: Date;
}

/** The steps of recordActivations, as scripts/bench/event-profile.ts times them. */
export const ACTIVATION_STEPS = ['activationEvents', 'activationUpdate', 'activationRewards'] as const;
export type ActivationStep = (typeof ACTIVATION_STEPS)[number];

/** Evaluates the candidates and records those now activated; returns registration id → activatedAt. */
export async function recordActivations(
  tx: Tx,
  campaign: FunnelCampaign,
  candidates: readonly ActivationCandidate[],
  step: <T>(name: ActivationStep, run: () => Promise<T>) => Promise<T> = (_name, run) => run(),
): Promise<Map<string, Date>> {
  if (candidates.length === 0) return new Map();
  const events = await step('activationEvents', () =>
    tx.customerEvent.findMany({
      where: { campaignId: campaign.id, customerRef: { in: candidates.map((c) => c.customerRef) } },
      select: {
        eventId: true,
        customerRef: true,
        type: true,
        amountMinor: true,
        currency: true,
        occurredAt: true,
      },
    }),
  );
  const byCustomer = new Map<string, CustomerEventFact[]>();
  for (const event of events) {
    const fact: CustomerEventFact = {
      id: event.eventId,
      type: event.type,
      amountMinor: event.amountMinor === null ? null : Number(event.amountMinor),
      currency: event.currency,
      occurredAt: event.occurredAt.toISOString(),
    };
    const list = byCustomer.get(event.customerRef);
    if (list) list.push(fact);
    else byCustomer.set(event.customerRef, [fact]);
  }

  const activations: { candidate: ActivationCandidate; at: string }[] = [];
  for (const candidate of candidates) {
    const result = evaluateActivation(
      campaign.plan.activationRule,
      byCustomer.get(candidate.customerRef) ?? [],
      { start: candidate.registeredAt.toISOString(), end: candidate.periodEndsAt.toISOString() },
      campaign.plan.currency,
    );
    if (result.activated && result.activatedAt) activations.push({ candidate, at: result.activatedAt });
  }
  if (activations.length === 0) return new Map();

  // One statement for the whole batch; only rows still without activatedAt are touched and returned, so a
  // concurrent or repeated evaluation can never set it twice nor pay the reward twice.
  //
  // Each row is found by its primary key alone, one probe per candidate, and locked there (FOR UPDATE
  // rechecks the conditions on the row's latest version, as the UPDATE's own WHERE would). The
  // conditions are NOT on the updated table: written there, `"flagReason" IS NULL` matches the
  // (campaignId, cohortKey, flagReason) index and, without column statistics (a table never analysed:
  // autovacuum off, or a fresh database), the planner takes IS NULL to hold for 0.5% of the rows, so it
  // scanned the campaign's unflagged registrations and compared each with every candidate — 250 × 60,000
  // comparisons, 3–14 s per event batch at 30,000 registrations (docs/benchmarks.md, 2026-12-03).
  // The lateral subquery (not flattened: FOR UPDATE) can only be a primary-key probe per candidate.
  const ids = activations.map((a) => a.candidate.id);
  const ats = activations.map((a) => a.at);
  const updated = await step('activationUpdate', () =>
    tx.$queryRaw<{ id: string }[]>(Prisma.sql`
    UPDATE "Registration" AS r
       SET "activatedAt" = (due.at::timestamptz AT TIME ZONE 'UTC')
      FROM (SELECT still.id, v.at
              FROM unnest(${ids}::text[], ${ats}::text[]) AS v(id, at)
             CROSS JOIN LATERAL (
                   SELECT x.id FROM "Registration" AS x
                    WHERE x.id = v.id AND x."activatedAt" IS NULL AND x."flagReason" IS NULL
                      FOR UPDATE) AS still) AS due
     WHERE r.id = due.id
 RETURNING r.id`),
  );
  const recorded = new Set(updated.map((row) => row.id));
  const activatedNow = new Map<string, Date>();
  const reward = campaign.plan.incentive.perActivationMinor;
  const rewards: LedgerRow[] = [];
  for (const { candidate, at } of activations) {
    if (!recorded.has(candidate.id)) continue;
    const when = new Date(at);
    activatedNow.set(candidate.id, when);
    if (reward > 0) {
      rewards.push(
        ledgerEntries.activationReward(
          candidate.id,
          { campaignId: campaign.id, ...candidate },
          reward,
          campaign.plan.currency,
          when,
        ),
      );
    }
  }
  await step('activationRewards', () => insertLedgerEntries(tx, rewards));
  return activatedNow;
}
