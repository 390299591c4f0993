// What a channel bills for what it delivered, under its cost model: CPM (per mille impressions) and CPC
// (per click) from delivery reports. Exact in integer minor units: a CPM amount is billed on the
// placement's running total of impressions, rounded down once — so ten reports of 150 impressions at
// ¥2.35 per mille cost the same 3.52 as one report of 1,500, never ten roundings.
import type { CostModel } from '../domain/channel';

export interface DeliveryTotals {
  impressions: bigint;
  clicks: bigint;
}

/** Cost categories delivery reports book under, per cost model. */
export const DELIVERY_COST_CATEGORY = { cpm: 'channel_cpm', cpc: 'channel_cpc' } as const;

/** What the placement costs for `totals` delivered since it began (0 for models not billed by delivery). */
export function deliveryCostMinor(
  model: Pick<CostModel, 'type' | 'amountMinor'>,
  totals: DeliveryTotals,
): bigint {
  const rate = BigInt(model.amountMinor);
  if (model.type === 'cpm') return (totals.impressions * rate) / 1000n; // BigInt division truncates: rounds down
  if (model.type === 'cpc') return totals.clicks * rate;
  return 0n;
}

/** What one report adds to the placement's cost: the total after it minus the total before it. */
export function reportCostMinor(
  model: Pick<CostModel, 'type' | 'amountMinor'>,
  before: DeliveryTotals,
  report: DeliveryTotals,
): bigint {
  const after = {
    impressions: before.impressions + report.impressions,
    clicks: before.clicks + report.clicks,
  };
  return deliveryCostMinor(model, after) - deliveryCostMinor(model, before);
}
