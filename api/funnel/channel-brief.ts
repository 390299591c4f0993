// GET /campaigns/:id/channel-brief — what a channel system is told about a campaign it carries: the
// campaign's terms (status, registration window, new-customer period, currency, time zone) and, for the
// key's own channels only, the channel's kind, its latest profile's audience traits and its placements.
// A real partner receives this brief with the material; the prospect traffic generator (traffic/) reads
// it so that it can act as a channel system through the public API alone. The control group, the
// engagement plan and the other channels' figures are not in it: a channel never learns them.
import type { Db } from '../../db/client';
import type { ChannelBrief } from '../../domain/channel-brief';
import { ChannelProfileTraitsSchema } from '../../domain/channel-profile';
import { acquisitionClosedAt } from '../../funnel/ingest/budget';
import { CLOSED_CAMPAIGN_STATUSES, type FunnelCampaign } from '../../funnel/ingest/campaign-context';
import type { Principal } from '../auth/principal';

/** Phases after acquisition: the window is over, or the campaign's life is. */
const PAST_ACQUISITION: ReadonlySet<string> = new Set([
  'withdrawing',
  'in_period',
  'evaluating',
  ...CLOSED_CAMPAIGN_STATUSES,
]);

export async function viewChannelBrief(
  db: Db,
  campaign: FunnelCampaign,
  principal: Principal | undefined,
  now: Date,
): Promise<ChannelBrief> {
  // A channel-system key sees its own channels; admin sees all (the policy admits no other role).
  const own = principal?.role === 'channel-system' ? new Set(principal.channelIds) : null;
  const allocations = [...campaign.channels.values()]
    .filter((c) => own === null || own.has(c.channelCode))
    .sort((a, b) => (a.channelCode < b.channelCode ? -1 : a.channelCode > b.channelCode ? 1 : 0));
  const channelIds = allocations.map((c) => c.channelId);
  const [channels, profiles, placements, spent] = await Promise.all([
    db.channel.findMany({
      where: { id: { in: channelIds } },
      select: { id: true, kind: true, onlineType: true },
    }),
    db.channelProfile.findMany({
      where: { channelId: { in: channelIds } },
      orderBy: [{ channelId: 'asc' }, { version: 'desc' }],
      distinct: ['channelId'],
      select: { channelId: true, traits: true },
    }),
    db.placement.findMany({
      where: { campaignId: campaign.id, channelId: { in: channelIds } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true, channelId: true, materialVersionId: true, variantKey: true, status: true },
    }),
    campaign.plan.acquisitionBudgetMinor === null
      ? Promise.resolve(null)
      : db.ledgerEntry.aggregate({
          where: {
            campaignId: campaign.id,
            kind: 'cost',
            scope: 'acquisition',
            currency: campaign.plan.currency,
          },
          _sum: { amountMinor: true },
        }),
  ]);
  const { plan } = campaign;
  const spentMinor = spent === null ? null : (spent._sum.amountMinor ?? 0n);
  return {
    campaignId: campaign.id,
    status: campaign.status,
    acquisitionOpen:
      !PAST_ACQUISITION.has(campaign.status) &&
      now.getTime() < Date.parse(plan.registrationWindow.end) &&
      !acquisitionClosedAt(campaign, spentMinor),
    registrationWindow: plan.registrationWindow,
    newCustomerPeriod: plan.newCustomerPeriod,
    cohortGranularity: plan.cohortGranularity,
    timeZone: plan.timeZone,
    currency: plan.currency,
    channels: allocations.map((allocation) => {
      const channel = channels.find((c) => c.id === allocation.channelId);
      const traits = ChannelProfileTraitsSchema.safeParse(
        profiles.find((p) => p.channelId === allocation.channelId)?.traits,
      );
      return {
        channelCode: allocation.channelCode,
        kind: channel?.kind ?? 'ecosystem_scenario',
        onlineType: channel?.onlineType ?? null,
        costModelType: allocation.costModel?.type ?? null,
        audience: traits.success ? (traits.data.audience ?? null) : null,
        placements: placements
          .filter((p) => p.channelId === allocation.channelId)
          .map((p) => ({
            placementId: p.id,
            materialVersionId: p.materialVersionId,
            variantKey: p.variantKey,
            status: p.status,
          })),
      };
    }),
  };
}
