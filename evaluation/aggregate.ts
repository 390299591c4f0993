// Folds the input buckets into per-segment totals (overall, per channel, per material, per cohort),
// in bigint so that no sum can lose precision. The overall totals are folded from the buckets
// directly, not from the segments, so that the sums check compares two independent computations.
import type { CostBucket, CostScope, EvaluationInput } from './input';

export interface ArmTotals {
  registrations: bigint;
  activated: bigint;
  revenue: bigint;
}

export interface SegmentTotals {
  /** Null where placements cannot be attributed (cohorts). */
  placements: bigint | null;
  /** What the channels reported; null until a delivery bucket reaches the segment (never on cohorts). */
  delivery: { impressions: bigint; clicks: bigint; registrationsStarted: bigint | null } | null;
  registrations: bigint;
  activated: bigint;
  revenue: bigint;
  flaggedByReason: Map<string, bigint>;
  /** Registrations flagged after they were accepted (a subset of flaggedByReason). */
  fraudFlagged: bigint;
  /** Keyed by scope, then category. */
  costs: Map<CostScope, Map<string, bigint>>;
  arms: Map<string, ArmTotals>;
}

export type SegmentDimension = 'channel' | 'material' | 'cohort';
export const SEGMENT_DIMENSIONS: readonly SegmentDimension[] = ['channel', 'material', 'cohort'];

export interface Aggregates {
  overall: SegmentTotals;
  segments: Record<SegmentDimension, Map<string, SegmentTotals>>;
  /** Costs with a null attribute on the dimension; their other fields stay zero. */
  unattributed: Record<SegmentDimension, SegmentTotals>;
}

export function emptyTotals(withPlacements = true): SegmentTotals {
  return {
    placements: withPlacements ? 0n : null,
    delivery: null,
    registrations: 0n,
    activated: 0n,
    revenue: 0n,
    flaggedByReason: new Map(),
    fraudFlagged: 0n,
    costs: new Map(),
    arms: new Map(),
  };
}

function addTo<K>(map: Map<K, bigint>, key: K, amount: number | bigint): void {
  map.set(key, (map.get(key) ?? 0n) + BigInt(amount));
}

export function costOf(totals: SegmentTotals, scope: CostScope): bigint {
  let sum = 0n;
  for (const amount of totals.costs.get(scope)?.values() ?? []) sum += amount;
  return sum;
}

export function flaggedOf(totals: SegmentTotals): bigint {
  let sum = 0n;
  for (const count of totals.flaggedByReason.values()) sum += count;
  return sum;
}

function addCost(totals: SegmentTotals, bucket: CostBucket): void {
  let byCategory = totals.costs.get(bucket.scope);
  if (!byCategory) totals.costs.set(bucket.scope, (byCategory = new Map()));
  addTo(byCategory, bucket.category, bucket.amountMinor);
}

function segmentKeys(bucket: {
  channelId: string | null;
  materialVariant: string | null;
  cohortKey: string | null;
}) {
  return { channel: bucket.channelId, material: bucket.materialVariant, cohort: bucket.cohortKey };
}

export function aggregate(input: EvaluationInput): Aggregates {
  const overall = emptyTotals();
  const segments: Aggregates['segments'] = { channel: new Map(), material: new Map(), cohort: new Map() };
  const unattributed: Aggregates['unattributed'] = {
    channel: emptyTotals(),
    material: emptyTotals(),
    cohort: emptyTotals(false),
  };
  // Each bucket is applied to the overall totals and to one segment per dimension it names.
  const targets = (
    keys: Partial<Record<SegmentDimension, string | null>>,
    dimensions: readonly SegmentDimension[] = SEGMENT_DIMENSIONS,
  ): SegmentTotals[] => {
    const found: SegmentTotals[] = [overall];
    for (const dimension of dimensions) {
      const key = keys[dimension] ?? null;
      if (key === null) {
        found.push(unattributed[dimension]);
        continue;
      }
      let totals = segments[dimension].get(key);
      if (!totals) segments[dimension].set(key, (totals = emptyTotals(dimension !== 'cohort')));
      found.push(totals);
    }
    return found;
  };

  for (const bucket of input.registrations) {
    for (const totals of targets(segmentKeys(bucket))) {
      totals.registrations += BigInt(bucket.registrations);
      totals.activated += BigInt(bucket.activated);
      totals.revenue += BigInt(bucket.periodRevenueMinor);
      let arm = totals.arms.get(bucket.group);
      if (!arm) totals.arms.set(bucket.group, (arm = { registrations: 0n, activated: 0n, revenue: 0n }));
      arm.registrations += BigInt(bucket.registrations);
      arm.activated += BigInt(bucket.activated);
      arm.revenue += BigInt(bucket.periodRevenueMinor);
    }
  }
  for (const bucket of input.flagged) {
    for (const totals of targets(segmentKeys(bucket))) {
      addTo(totals.flaggedByReason, bucket.reason, bucket.count);
    }
  }
  for (const bucket of input.fraudFlagged ?? []) {
    for (const totals of targets(segmentKeys(bucket))) totals.fraudFlagged += BigInt(bucket.count);
  }
  for (const bucket of input.costs) {
    for (const totals of targets(segmentKeys(bucket))) addCost(totals, bucket);
  }
  for (const bucket of input.placements) {
    // Placements have no cohort: a placement serves every cohort, so cohorts get none.
    const keys = { channel: bucket.channelId, material: bucket.materialVariant };
    for (const totals of targets(keys, ['channel', 'material'])) {
      if (totals.placements !== null) totals.placements += BigInt(bucket.placements);
    }
  }
  for (const bucket of input.delivery ?? []) {
    // Like placements, what a placement was shown and clicked has no cohort.
    const keys = { channel: bucket.channelId, material: bucket.materialVariant };
    for (const totals of targets(keys, ['channel', 'material'])) {
      totals.delivery ??= { impressions: 0n, clicks: 0n, registrationsStarted: null };
      totals.delivery.impressions += BigInt(bucket.impressions);
      totals.delivery.clicks += BigInt(bucket.clicks);
      // Sign-ups started sum over the buckets that reported them; null while none has.
      if (bucket.registrationsStarted !== undefined)
        totals.delivery.registrationsStarted =
          (totals.delivery.registrationsStarted ?? 0n) + BigInt(bucket.registrationsStarted);
    }
  }
  return { overall, segments, unattributed };
}
