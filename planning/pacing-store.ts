// Where a campaign's pacing lives in PostgreSQL (issue 11): the current cap per channel
// (CampaignChannelPacing, read by the registration ingest under the campaign's lock) and the append-only
// facts of every change (PacingAdjustment: campaign, review index, channel, from → to, reason, actor, at).
// Review 0 is the campaign's creation: its facts say where each channel's cap came from.
import type { Prisma } from '../generated/prisma/client';
import type { CampaignPlan } from '../domain/campaign-plan';
import { initialChannelCaps } from '../domain/pacing-plan';

type Tx = Prisma.TransactionClient;

/** The system's own actor name on pacing facts and audit entries (reviews are not a person's doing). */
export const PACING_ACTOR = 'pacing';

export const adjustmentId = (campaignId: string, reviewIndex: number, channelId: string) =>
  `${campaignId}:${reviewIndex}:${channelId}`;

/** Writes the initial caps (review 0) of a new campaign; nothing for a plan without pacing or caps. */
export async function writeInitialPacing(
  tx: Tx,
  campaignId: string,
  plan: CampaignPlan,
  channels: readonly { channelId: string; channelCode: string }[],
  actor: string,
  at: Date,
): Promise<void> {
  const caps = initialChannelCaps(
    plan.pacing,
    channels.map((c) => c.channelCode),
    plan.acquisitionBudgetMinor,
  );
  const rows = channels.flatMap((c) => {
    const cap = caps.get(c.channelCode);
    return cap === undefined ? [] : [{ ...c, cap }];
  });
  if (rows.length === 0) return;
  const given = plan.pacing?.channelCaps ?? {};
  await tx.campaignChannelPacing.createMany({
    data: rows.map((r) => ({ campaignId, channelId: r.channelId, capMinor: r.cap, reviewIndex: 0 })),
  });
  await tx.pacingAdjustment.createMany({
    data: rows.map((r) => ({
      id: adjustmentId(campaignId, 0, r.channelId),
      campaignId,
      reviewIndex: 0,
      channelId: r.channelId,
      fromMinor: 0n,
      toMinor: r.cap,
      reason:
        given[r.channelCode] !== undefined
          ? 'initial cap from the plan (plan.pacing.channelCaps)'
          : 'initial cap: the budget not capped by the plan, split evenly over the channels without a cap',
      actor,
      at,
    })),
    skipDuplicates: true,
  });
}
