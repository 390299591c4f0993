// The acquisition budget cap (plan.acquisitionBudgetMinor): what a registration costs it, when it closes
// acquisition, and the one-time notice to the campaign workflow that it has. The ledger is the only record
// of spending (incentives, per-registration channel fees, placement fees), so the cap is checked against
// the ledger's acquisition-scope costs, inside the campaign's registration lock.
import type { CampaignChannelAllocation, FunnelCampaign } from './campaign-context';

export const BUDGET_EXHAUSTED_ACTION = 'funnel.budget_exhausted';

/**
 * What one valid registration through this channel costs the acquisition budget: the incentive plus the
 * channel's per-registration fee. A fee in another currency than the campaign's is recorded in the ledger
 * but cannot be weighed against the budget (which is in the campaign's currency), so it counts 0 here.
 */
export function acquisitionCostOf(campaign: FunnelCampaign, channel: CampaignChannelAllocation): bigint {
  const fee = channel.costModel;
  const feeMinor =
    fee?.type === 'per_registration' && fee.currency === campaign.plan.currency ? fee.amountMinor : 0;
  return BigInt(campaign.plan.incentive.perRegistrationMinor) + BigInt(feeMinor);
}

/**
 * Acquisition is closed by the budget when it is spent, or when the registration at hand would overspend
 * it: `spent >= cap || spent + cost > cap`. So the cap is never exceeded by registrations. Flagged
 * registrations cost nothing, but callers pass what the registration would cost if valid, so that once
 * closed, acquisition stays closed for everyone.
 */
export function budgetRefuses(cap: number | null, spent: bigint | null, cost: bigint): boolean {
  if (cap === null || spent === null) return false;
  return spent >= BigInt(cap) || spent + cost > BigInt(cap);
}

/** After a batch: can the budget still pay for a valid registration through the cheapest channel? */
export function acquisitionClosedAt(campaign: FunnelCampaign, spent: bigint | null): boolean {
  const costs = [...campaign.channels.values()].map((channel) => acquisitionCostOf(campaign, channel));
  if (costs.length === 0) return false;
  const cheapest = costs.reduce((a, b) => (b < a ? b : a));
  return budgetRefuses(campaign.plan.acquisitionBudgetMinor, spent, cheapest);
}

// The one-time audit entry and its claim: claimBudgetExhaustion in registration-sql.ts.
