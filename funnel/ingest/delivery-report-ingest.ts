// Delivery-report ingest: stores what each placement was shown and clicked per period and books what
// CPM and CPC channels bill for it to the acquisition ledger (so CAC, AAC and the budget see it). A
// batch runs in one transaction holding its placements' rows FOR UPDATE, so reports of one placement
// are billed one after another on its running totals (funnel/delivery-cost.ts) and never twice.
import type { Db } from '../../db/client';
import { insertLedgerEntries, type LedgerRow } from '../../db/bulk-insert';
import { Prisma } from '../../generated/prisma/client';
import { DELIVERY_COST_CATEGORY, reportCostMinor, type DeliveryTotals } from '../delivery-cost';
import { z } from 'zod';
import { itemError, ItemResultSchema, type ParsedItem } from './batch';
import type { FunnelCampaign } from './campaign-context';
import { BATCH_TRANSACTION, type Tx } from './campaign-lock';
import type { DeliveryReportItem } from './delivery-report-schema';
import { ledgerIds } from './ledger-entries';
import { MAX_CLOCK_SKEW_MS } from '../../domain/clock-skew';

/** One delivery report's result, as the ingest API answers it (api/openapi/funnel.ts imports it). */
export const DeliveryReportResultSchema = ItemResultSchema.extend({
  reportId: z.string().optional(),
  placementId: z.string().optional(),
  costMinor: z
    .int()
    .optional()
    .describe(
      'What the report booked to the acquisition ledger, in minor units of `currency` (0: nothing to bill; CPM/CPC channels)',
    ),
  currency: z.string().optional(),
});
export type DeliveryReportResult = z.infer<typeof DeliveryReportResultSchema>;

interface PlacementRow {
  id: string;
  campaignId: string;
  channelId: string;
  variantKey: string;
}

interface Period {
  reportId: string;
  start: number;
  end: number;
  impressions: bigint;
  clicks: bigint;
  registrationsStarted: bigint | null;
}

export async function ingestDeliveryReports(
  db: Db,
  campaign: FunnelCampaign,
  items: readonly ParsedItem<DeliveryReportItem>[],
  options: { now?: Date } = {},
): Promise<DeliveryReportResult[]> {
  const now = options.now ?? new Date();
  const valid = items.flatMap((item) => (item.value ? [item.value] : []));
  return db.$transaction(async (tx) => {
    const placements = await lockPlacements(tx, [...new Set(valid.map((r) => r.placementId))]);
    const periods = await storedPeriods(tx, [...placements.keys()]);
    const channelCodeOf = new Map([...campaign.channels.values()].map((c) => [c.channelId, c.channelCode]));

    const reports: Prisma.DeliveryReportCreateManyInput[] = [];
    const ledger: LedgerRow[] = [];
    const results = items.map(({ index, value: report, errors }): DeliveryReportResult => {
      if (!report) return { index, status: 'rejected', errors: errors ?? [] };
      const reject = (field: string, reason: string, message: string): DeliveryReportResult => ({
        index,
        status: 'rejected',
        reportId: report.reportId,
        errors: [itemError(field, reason, message)],
      });
      const placement = placements.get(report.placementId);
      if (!placement || placement.campaignId !== campaign.id)
        return reject('placementId', 'unknown_placement', 'no placement of this campaign has this id');
      const placementChannel = channelCodeOf.get(placement.channelId);
      if (placementChannel !== report.channelCode)
        return reject(
          'channelCode',
          'channel_mismatch',
          `the placement is on channel "${placementChannel ?? placement.channelId}"`,
        );

      const start = Date.parse(report.periodStart);
      const end = Date.parse(report.periodEnd);
      const impressions = BigInt(report.impressions);
      const clicks = BigInt(report.clicks);
      const started = report.registrationsStarted === undefined ? null : BigInt(report.registrationsStarted);
      const known = periods.get(placement.id) ?? [];
      const same = known.find((p) => p.reportId === report.reportId);
      if (same) {
        const identical =
          same.start === start &&
          same.end === end &&
          same.impressions === impressions &&
          same.clicks === clicks &&
          same.registrationsStarted === started;
        return identical
          ? { index, status: 'duplicate_request', reportId: report.reportId, placementId: placement.id }
          : reject('reportId', 'report_id_reused', 'this report id was already used with other figures');
      }
      if (end > now.getTime() + MAX_CLOCK_SKEW_MS)
        return reject('periodEnd', 'in_future', 'the period has not ended yet');
      const overlapping = known.find((p) => start < p.end && p.start < end);
      if (overlapping)
        return reject(
          'periodStart',
          'overlapping_period',
          `the period overlaps report "${overlapping.reportId}" of this placement: figures would count twice`,
        );

      const model = campaign.channels.get(report.channelCode)?.costModel ?? null;
      // Only CPM and CPC channels are billed by delivery; other models are paid elsewhere.
      const category =
        model && (model.type === 'cpm' || model.type === 'cpc') ? DELIVERY_COST_CATEGORY[model.type] : null;
      const billed = category !== null && model !== null;
      if (billed && model.currency !== campaign.plan.currency)
        return reject(
          'channelCode',
          'currency_mismatch',
          `the channel bills in ${model.currency}, the campaign counts in ${campaign.plan.currency}`,
        );
      const before = totalsOf(known);
      const cost = billed ? reportCostMinor(model, before, { impressions, clicks }) : 0n;
      if (cost > BigInt(Number.MAX_SAFE_INTEGER))
        return reject(
          'impressions',
          'too_large',
          'the cost of these figures exceeds what can be booked exactly',
        );
      const currency = model?.currency ?? campaign.plan.currency;

      known.push({
        reportId: report.reportId,
        start,
        end,
        impressions,
        clicks,
        registrationsStarted: started,
      });
      periods.set(placement.id, known);
      reports.push({
        placementId: placement.id,
        reportId: report.reportId,
        campaignId: campaign.id,
        channelId: placement.channelId,
        periodStart: new Date(start),
        periodEnd: new Date(end),
        impressions,
        clicks,
        registrationsStarted: started,
        costMinor: cost,
        currency,
      });
      if (cost > 0n && category !== null) {
        ledger.push({
          id: ledgerIds.deliveryReport(placement.id, report.reportId),
          campaignId: campaign.id,
          kind: 'cost',
          scope: 'acquisition',
          category,
          channelId: placement.channelId,
          variantKey: placement.variantKey,
          cohortKey: null,
          customerRef: null,
          amountMinor: cost,
          currency,
          occurredAt: new Date(end),
        });
      }
      return {
        index,
        status: 'accepted',
        reportId: report.reportId,
        placementId: placement.id,
        costMinor: Number(cost),
        currency,
      };
    });
    if (reports.length > 0) await tx.deliveryReport.createMany({ data: reports });
    await insertLedgerEntries(tx, ledger);
    return results;
  }, BATCH_TRANSACTION);
}

/** The placements named, locked in id order (no deadlock between two batches naming the same ones). */
async function lockPlacements(tx: Tx, ids: string[]): Promise<Map<string, PlacementRow>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.$queryRaw<PlacementRow[]>`
    SELECT id, "campaignId", "channelId", "variantKey" FROM "Placement"
     WHERE id IN (${Prisma.join(ids)}) ORDER BY id FOR UPDATE`;
  return new Map(rows.map((row) => [row.id, row]));
}

async function storedPeriods(tx: Tx, placementIds: string[]): Promise<Map<string, Period[]>> {
  const stored = await tx.deliveryReport.findMany({ where: { placementId: { in: placementIds } } });
  const byPlacement = new Map<string, Period[]>();
  for (const r of stored) {
    const list = byPlacement.get(r.placementId) ?? [];
    list.push({
      reportId: r.reportId,
      start: r.periodStart.getTime(),
      end: r.periodEnd.getTime(),
      impressions: r.impressions,
      clicks: r.clicks,
      registrationsStarted: r.registrationsStarted,
    });
    byPlacement.set(r.placementId, list);
  }
  return byPlacement;
}

function totalsOf(periods: readonly Period[]): DeliveryTotals {
  return periods.reduce(
    (sum, p) => ({ impressions: sum.impressions + p.impressions, clicks: sum.clicks + p.clicks }),
    { impressions: 0n, clicks: 0n },
  );
}
