// Per-channel acquisition caps (plan.pacing, issue 11) as the registration ingest sees them: each capped
// channel's current cap (CampaignChannelPacing, moved by the adaptive reviews) and what the ledger has
// charged to that channel so far. Read inside the batch's transaction, under the campaign's registration
// lock — the same lock the campaign budget cap is checked under — so two concurrent batches can never
// both take the last of a channel's cap, and a review that moves a cap waits for (or is waited for by)
// the batch: the caps a batch is judged against are the ones committed before it took the lock.

export const CHANNEL_BUDGET_EXHAUSTED_ACTION = 'funnel.channel_budget_exhausted';

export interface ChannelBudget {
  capMinor: bigint;
  spentMinor: bigint;
  /** The review that set the cap (0: creation). */
  reviewIndex: number;
}

/** Keyed by channel id; only channels with a cap of their own. Empty for a plan without pacing. */
export type ChannelBudgets = Map<string, ChannelBudget>;

// Read with the batch's other locked facts: lookUpLockedFacts in registration-sql.ts.

/** The same rule as the campaign budget (budget.ts): closed when spent, or when this one would overspend it. */
export function channelBudgetRefuses(budget: ChannelBudget | undefined, cost: bigint): boolean {
  if (!budget) return false;
  return budget.spentMinor >= budget.capMinor || budget.spentMinor + cost > budget.capMinor;
}

// The audit entry when a cap closes a channel: recordChannelExhaustion in registration-sql.ts.
