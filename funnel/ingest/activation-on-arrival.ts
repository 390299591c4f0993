// Activation decided when events arrive (architecture.md, "Activation"): for each customer who just got an
// event inside their new-customer period, the campaign's activation rule is evaluated over all their stored
// events, and the first time it holds, Registration.activatedAt is set — once, by a conditional update
// (`WHERE activatedAt IS NULL`), together with the activation reward in the ledger, in the caller's transaction.
//
// Once recorded, activatedAt never moves: an event that arrives late but happened earlier could make the rule
// hold earlier (evaluateActivation would then say so), but the recorded time — the one on which rewards and
// messages were already acted — is kept. Flagged registrations are never activated.
import { evaluateActivation } from '../activation-evaluation';
import type { FunnelCampaign } from './campaign-context';
import { customerEventFacts, writeActivations } from './event-sql';
import { ledgerEntries, type LedgerRow } from './ledger-entries';
import type { PgClient } from './registration-sql';

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
export const ACTIVATION_STEPS = ['activationEvents', 'activationWrite'] as const;
export type ActivationStep = (typeof ACTIVATION_STEPS)[number];

/** Evaluates the candidates and records those now activated; returns registration id → activatedAt. */
export async function recordActivations(
  client: PgClient,
  campaign: FunnelCampaign,
  candidates: readonly ActivationCandidate[],
  step: <T>(name: ActivationStep, run: () => Promise<T>) => Promise<T> = (_name, run) => run(),
): Promise<Map<string, Date>> {
  if (candidates.length === 0) return new Map();
  const byCustomer = await step('activationEvents', () =>
    customerEventFacts(
      client,
      campaign.id,
      candidates.map((c) => c.customerRef),
    ),
  );
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

  // The reward of every activation found; the statement writes only those of the rows it activated.
  const reward = campaign.plan.incentive.perActivationMinor;
  const rewards: LedgerRow[] =
    reward > 0
      ? activations.map(({ candidate, at }) =>
          ledgerEntries.activationReward(
            candidate.id,
            { campaignId: campaign.id, ...candidate },
            reward,
            campaign.plan.currency,
            new Date(at),
          ),
        )
      : [];
  const recorded = await step('activationWrite', () =>
    writeActivations(
      client,
      activations.map(({ candidate, at }) => ({ id: candidate.id, at })),
      rewards,
      reward > 0 ? activations.map(({ candidate }) => candidate.id) : [],
    ),
  );
  const activatedNow = new Map<string, Date>();
  for (const { candidate, at } of activations) {
    if (recorded.has(candidate.id)) activatedNow.set(candidate.id, new Date(at));
  }
  return activatedNow;
}
