// GET /campaigns/:id/pacing: a campaign's per-channel caps as they stand (CampaignChannelPacing), what
// each channel has spent against its cap (the ledger's acquisition costs), the mode, whether an operator
// froze the reviews, and the adjustment facts (PacingAdjustment) newest first, paged. Reads the database
// only, so it answers while Temporal is down: "frozen" is the last freeze/unfreeze in the audit log, which
// the steering pattern writes before the update and removes again when the workflow refuses it.
import { z } from 'zod';
import type { Db } from '../../db/client';
import { parseStoredPlan } from '../../domain/campaign-plan';
import { PACING_MODES } from '../../domain/pacing-plan';
import { Timestamp, Uuid } from '../openapi/common';
import { encodeCursor, type Cursor } from '../pagination';

export const FREEZE_PACING_ACTION = 'freeze-pacing';
export const UNFREEZE_PACING_ACTION = 'unfreeze-pacing';

export const PacingAdjustmentSchema = z.object({
  id: z.string().meta({ description: 'campaign:reviewIndex:channel' }),
  reviewIndex: z.int().meta({ description: '0: the caps the campaign was created with; n: the n-th review' }),
  channelId: Uuid,
  channelCode: z.string().nullable(),
  fromMinor: z.int(),
  toMinor: z.int(),
  reason: z.string(),
  actor: z.string().meta({ description: "'pacing' for the system's reviews; the creator for review 0" }),
  at: Timestamp,
});

/** The reply of GET /campaigns/:id/pacing; the OpenAPI document imports it. */
export const PacingViewSchema = z.object({
  campaignId: Uuid,
  mode: z.enum(PACING_MODES).nullable().meta({ description: 'null: the plan has no pacing' }),
  frozen: z.boolean(),
  frozenBy: z.object({ by: z.string(), reason: z.string().nullable(), at: Timestamp }).nullable(),
  currency: z.string(),
  budgetMinor: z.int().nullable(),
  floorShare: z.number().nullable(),
  reviewEvery: z.string().nullable().meta({ description: 'adaptive only: the review interval in force' }),
  channels: z.array(
    z.object({
      channelId: Uuid,
      channelCode: z.string(),
      capMinor: z
        .int()
        .nullable()
        .meta({ description: 'null: no cap of its own (the campaign budget only)' }),
      spentMinor: z
        .int()
        .meta({ description: 'acquisition costs charged to the channel, campaign currency' }),
      reviewIndex: z.int().nullable().meta({ description: 'the review that set the cap' }),
    }),
  ),
  adjustments: z.object({ items: z.array(PacingAdjustmentSchema), nextCursor: z.string().nullable() }),
});
export type PacingView = z.infer<typeof PacingViewSchema>;

export async function pacingView(
  db: Db,
  campaign: { id: string; plan: unknown; currency: string },
  paging: { limit: number; cursor: Cursor | null },
): Promise<PacingView> {
  const plan = parseStoredPlan(campaign.plan);
  const pacing = plan.success ? (plan.data.pacing ?? null) : null;
  const [caps, spent, allocated, lastSteer, adjustments] = await Promise.all([
    db.campaignChannelPacing.findMany({ where: { campaignId: campaign.id } }),
    db.ledgerEntry.groupBy({
      by: ['channelId'],
      where: { campaignId: campaign.id, kind: 'cost', scope: 'acquisition', currency: campaign.currency },
      _sum: { amountMinor: true },
    }),
    db.campaignChannel.findMany({
      where: { campaignId: campaign.id },
      include: { channel: { select: { code: true } } },
    }),
    db.auditLog.findFirst({
      where: {
        campaignId: campaign.id,
        action: { in: [`campaign.${FREEZE_PACING_ACTION}`, `campaign.${UNFREEZE_PACING_ACTION}`] },
      },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
    }),
    db.pacingAdjustment.findMany({
      where: {
        campaignId: campaign.id,
        ...(paging.cursor
          ? (() => {
              const at = new Date(paging.cursor.createdAt);
              return { OR: [{ at: { lt: at } }, { at, id: { lt: paging.cursor.id } }] };
            })()
          : {}),
      },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: paging.limit + 1,
    }),
  ]);
  const codeOf = new Map(allocated.map((a) => [a.channelId, a.channel.code]));
  const capOf = new Map(caps.map((c) => [c.channelId, c]));
  const spentOf = new Map(spent.map((s) => [s.channelId, s._sum.amountMinor ?? 0n]));
  const frozen = lastSteer?.action === `campaign.${FREEZE_PACING_ACTION}`;
  const items = adjustments.slice(0, paging.limit);
  const last = items[items.length - 1];
  return {
    campaignId: campaign.id,
    mode: pacing?.mode ?? null,
    frozen,
    frozenBy:
      frozen && lastSteer
        ? {
            by: lastSteer.actor,
            reason: ((lastSteer.payload as { reason?: string | null }).reason ?? null) as string | null,
            at: lastSteer.at.toISOString(),
          }
        : null,
    currency: campaign.currency,
    budgetMinor: plan.success ? plan.data.acquisitionBudgetMinor : null,
    floorShare: pacing?.floorShare ?? null,
    reviewEvery: pacing?.mode === 'adaptive' ? (pacing.reviewEvery ?? plan.data!.cohortGranularity) : null,
    channels: allocated
      .map((a) => {
        const cap = capOf.get(a.channelId);
        return {
          channelId: a.channelId,
          channelCode: a.channel.code,
          capMinor: cap ? Number(cap.capMinor) : null,
          spentMinor: Number(spentOf.get(a.channelId) ?? 0n),
          reviewIndex: cap?.reviewIndex ?? null,
        };
      })
      .sort((x, y) => x.channelCode.localeCompare(y.channelCode)),
    adjustments: {
      items: items.map((a) => ({
        id: a.id,
        reviewIndex: a.reviewIndex,
        channelId: a.channelId,
        channelCode: codeOf.get(a.channelId) ?? null,
        fromMinor: Number(a.fromMinor),
        toMinor: Number(a.toMinor),
        reason: a.reason,
        actor: a.actor,
        at: a.at.toISOString(),
      })),
      nextCursor:
        adjustments.length > paging.limit && last ? encodeCursor({ createdAt: last.at, id: last.id }) : null,
    },
  };
}
