// Which channels bring ACTIVE customers cheapest: a comparison by channel over the last N evaluated
// campaigns in one currency, read from their stored reports. Each channel's AAC is its total acquisition
// cost ÷ its total activated customers over those campaigns — exact sums, not an average of per-campaign
// ratios (which would weigh a campaign with 3 activations like one with 3,000).
// The reply's zod schema is declared here and types it; the API reference (api/openapi/evaluation.ts)
// imports it.
import { z } from 'zod';
import { UNATTRIBUTED_CHANNEL_ID } from '../domain/attribution';
import type { Db } from '../db/client';
import { money, MoneySchema } from '../domain/money';
import * as metrics from './metrics';
import { compare } from './rational';
import { renderMoneyRatio, renderRatio } from './render';
import { byCodeUnits } from './segment';
import { safeNumber } from './sql';
import { MoneyRatioValueSchema, RatioValueSchema } from './report-schema';

export const ComparedCampaignSchema = z.object({
  campaignId: z.uuid(),
  name: z.string(),
  reportId: z.uuid(),
  reportVersion: z.int(),
  provisional: z.boolean(),
  computedAt: z.iso.datetime({ offset: true }),
});

export const ChannelComparisonRowSchema = z.object({
  rank: z.int().positive().nullable().meta({
    description: '1 = cheapest active customers; channels whose AAC is undefined come last and share no rank',
  }),
  channelId: z.string(),
  channelCode: z.string().nullable().meta({ description: 'Null when the channel is not in the registry' }),
  channelName: z.string().nullable(),
  campaigns: z.int().nonnegative().meta({
    description: 'Campaigns (of those compared) in which the channel brought registrations or cost',
  }),
  registrations: z.int().nonnegative(),
  activated: z.int().nonnegative(),
  acquisitionCost: MoneySchema,
  activationRate: RatioValueSchema,
  cac: MoneyRatioValueSchema,
  aac: MoneyRatioValueSchema,
});
export type ChannelComparisonRow = z.infer<typeof ChannelComparisonRowSchema>;

/** The reply of GET /evaluations/channels; the API reference documents this schema. */
export const ChannelComparisonSchema = z.object({
  currency: z.string(),
  lastCampaigns: z.int(),
  includeProvisional: z.boolean(),
  definition: z.string(),
  campaigns: z.array(ComparedCampaignSchema).meta({ description: "The compared campaigns' reports" }),
  channels: z.array(ChannelComparisonRowSchema).meta({ description: 'Ranked by AAC, cheapest first' }),
});
export type ChannelComparison = z.infer<typeof ChannelComparisonSchema>;

interface CampaignRow {
  reportId: string;
  campaignId: string;
  name: string;
  version: number;
  provisional: boolean;
  computedAt: Date;
}

interface ChannelSumRow {
  channelId: string;
  code: string | null;
  name: string | null;
  campaigns: bigint;
  registrations: bigint;
  activated: bigint;
  acquisitionCost: bigint;
}

export async function compareChannels(
  db: Db,
  options: { currency: string; lastCampaigns: number; includeProvisional: boolean },
): Promise<ChannelComparison> {
  const { currency, lastCampaigns, includeProvisional } = options;
  // Each campaign's latest report (the latest final one unless provisional ones are asked for), then the
  // N most recently computed of those.
  const chosen = await db.$queryRaw<CampaignRow[]>`
    SELECT "reportId", "campaignId", name, version, provisional, "computedAt"
    FROM (
      SELECT DISTINCT ON (er."campaignId") er.id AS "reportId", er."campaignId", c.name, er.version,
             er.provisional, er."computedAt"
      FROM "EvaluationReport" er
      JOIN "Campaign" c ON c.id = er."campaignId"
      WHERE c.currency = ${currency} AND (${includeProvisional} OR NOT er.provisional)
      ORDER BY er."campaignId", er.version DESC
    ) latest
    ORDER BY "computedAt" DESC, "campaignId" DESC
    LIMIT ${lastCampaigns}`;

  const reportIds = chosen.map((row) => row.reportId);
  // The unattributed row of a report (domain/attribution.ts) is no channel: it takes no rank.
  const sums =
    reportIds.length === 0
      ? []
      : await db.$queryRaw<ChannelSumRow[]>`
    SELECT ch.row->>'key' AS "channelId", channel.code, channel.name,
           count(*) AS campaigns,
           sum((ch.row->'funnel'->>'registrationsValid')::bigint)::bigint AS registrations,
           sum((ch.row->'funnel'->>'activated')::bigint)::bigint AS activated,
           sum((ch.row->'costs'->'acquisition'->>'minor')::bigint)::bigint AS "acquisitionCost"
    FROM "EvaluationReport" er
    CROSS JOIN LATERAL jsonb_array_elements(er.report->'byChannel') AS ch(row)
    LEFT JOIN "Channel" channel ON channel.id = ch.row->>'key'
    WHERE er.id = ANY(${reportIds}::text[]) AND ch.row->>'key' <> ${UNATTRIBUTED_CHANNEL_ID}
    GROUP BY ch.row->>'key', channel.code, channel.name`;

  const rows = sums.map((row) => {
    const activated = safeNumber(row.activated, 'activated');
    const registrations = safeNumber(row.registrations, 'registrations');
    const cost = safeNumber(row.acquisitionCost, 'acquisition cost');
    const aac = metrics.aac(cost, activated);
    return {
      exactAac: aac,
      sortKey: row.code ?? row.channelId,
      row: {
        rank: null,
        channelId: row.channelId,
        channelCode: row.code,
        channelName: row.name,
        campaigns: safeNumber(row.campaigns, 'campaigns'),
        registrations,
        activated,
        acquisitionCost: money(cost, currency),
        activationRate: renderRatio(metrics.activationRate(activated, registrations)),
        cac: renderMoneyRatio(metrics.cac(cost, registrations), currency),
        aac: renderMoneyRatio(aac, currency),
      } satisfies ChannelComparisonRow,
    };
  });
  rows.sort((a, b) => {
    if (a.exactAac.defined && b.exactAac.defined) {
      return compare(a.exactAac.value, b.exactAac.value) || byCodeUnits(a.sortKey, b.sortKey);
    }
    if (a.exactAac.defined !== b.exactAac.defined) return a.exactAac.defined ? -1 : 1;
    return byCodeUnits(a.sortKey, b.sortKey);
  });
  let rank = 0;
  const channels = rows.map(({ exactAac, row }) => ({ ...row, rank: exactAac.defined ? ++rank : null }));

  return {
    currency,
    lastCampaigns,
    includeProvisional,
    definition:
      'Per channel over the compared campaigns: AAC = Σ acquisition-scope cost ÷ Σ activated customers, CAC = ' +
      'Σ acquisition-scope cost ÷ Σ valid registrations, from each campaign’s latest report (latest final report ' +
      'unless includeProvisional). Sorted by AAC, cheapest first; channels with no activations (AAC undefined) last.',
    campaigns: chosen.map((row) => ({
      campaignId: row.campaignId,
      name: row.name,
      reportId: row.reportId,
      reportVersion: row.version,
      provisional: row.provisional,
      computedAt: row.computedAt.toISOString(),
    })),
    channels,
  };
}
