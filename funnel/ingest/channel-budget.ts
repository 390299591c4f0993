// Per-channel acquisition caps (plan.pacing, issue 11) as the registration ingest sees them: each capped
// channel's current cap (CampaignChannelPacing, moved by the adaptive reviews) and what the ledger has
// charged to that channel so far. Read inside the batch's transaction, under the campaign's registration
// lock — the same lock the campaign budget cap is checked under — so two concurrent batches can never
// both take the last of a channel's cap, and a review that moves a cap waits for (or is waited for by)
// the batch: the caps a batch is judged against are the ones committed before it took the lock.
import { Prisma } from '../../generated/prisma/client';
import type { FunnelCampaign } from './campaign-context';
import type { Tx } from './campaign-lock';

export const CHANNEL_BUDGET_EXHAUSTED_ACTION = 'funnel.channel_budget_exhausted';

export interface ChannelBudget {
  capMinor: bigint;
  spentMinor: bigint;
  /** The review that set the cap (0: creation). */
  reviewIndex: number;
}

/** Keyed by channel id; only channels with a cap of their own. Empty for a plan without pacing. */
export type ChannelBudgets = Map<string, ChannelBudget>;

export async function readChannelBudgets(tx: Tx, campaign: FunnelCampaign): Promise<ChannelBudgets> {
  const budgets: ChannelBudgets = new Map();
  if (!campaign.plan.pacing) return budgets;
  const rows = await tx.$queryRaw<
    { channelId: string; capMinor: bigint; spentMinor: bigint; reviewIndex: number }[]
  >(Prisma.sql`
    SELECT p."channelId", p."capMinor", p."reviewIndex",
           COALESCE((SELECT SUM(l."amountMinor") FROM "LedgerEntry" l
                      WHERE l."campaignId" = p."campaignId" AND l."channelId" = p."channelId"
                        AND l.kind = 'cost' AND l.scope = 'acquisition'
                        AND l.currency = ${campaign.plan.currency}), 0)::bigint AS "spentMinor"
      FROM "CampaignChannelPacing" p
     WHERE p."campaignId" = ${campaign.id}`);
  for (const row of rows)
    budgets.set(row.channelId, {
      capMinor: BigInt(row.capMinor),
      spentMinor: BigInt(row.spentMinor),
      reviewIndex: Number(row.reviewIndex),
    });
  return budgets;
}

/** The same rule as the campaign budget (budget.ts): closed when spent, or when this one would overspend it. */
export function channelBudgetRefuses(budget: ChannelBudget | undefined, cost: bigint): boolean {
  if (!budget) return false;
  return budget.spentMinor >= budget.capMinor || budget.spentMinor + cost > budget.capMinor;
}

/**
 * Records once per campaign channel (an audit entry with a deterministic id) that its cap closed it, for
 * the timeline; a later review that raises the cap reopens the channel without another entry being
 * needed, and a second closing after that is recorded under the review's index.
 */
export async function recordChannelExhaustion(
  tx: Tx,
  campaign: FunnelCampaign,
  closed: ({ channelId: string; channelCode: string } & ChannelBudget)[],
): Promise<void> {
  if (closed.length === 0) return;
  await tx.auditLog.createMany({
    data: closed.map((c) => ({
      id: `channel-exhausted:${campaign.id}:${c.channelId}:${c.reviewIndex}`,
      campaignId: campaign.id,
      actor: 'registration-ingest',
      action: CHANNEL_BUDGET_EXHAUSTED_ACTION,
      payload: {
        channelCode: c.channelCode,
        capMinor: c.capMinor.toString(),
        spentMinor: c.spentMinor.toString(),
        currency: campaign.plan.currency,
      },
    })),
    skipDuplicates: true,
  });
}
