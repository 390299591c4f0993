// Self-checks carried in every report: the identity AAC = CAC ÷ activation rate, verified exactly on
// the rationals of every row, and that each dimension's rows (plus its unattributed costs) add up
// to the overall totals. A failed check means a bug or inconsistent input, and the report says so.
import * as metrics from './metrics';
import { equals } from './rational';
import type { BuiltSegment } from './segment';
import type { CheckResult, Checks, CostTotals, SegmentMetrics } from './types';

function identityFailure(segment: BuiltSegment): string | null {
  const { cac, aac, activationRate } = segment.exact;
  const where = `${segment.row.dimension} "${segment.row.key}"`;
  const expected = metrics.quotient(cac, activationRate, 'no_activations');
  if (expected.defined !== aac.defined) {
    return `${where}: AAC is ${aac.defined ? 'defined' : 'undefined'} but CAC ÷ activation rate is not`;
  }
  if (expected.defined && aac.defined && !equals(expected.value, aac.value)) {
    return `${where}: AAC ≠ CAC ÷ activation rate`;
  }
  return null;
}

export function checkAacIdentity(segments: readonly BuiltSegment[]): CheckResult {
  const failures = segments.map(identityFailure).filter((failure): failure is string => failure !== null);
  const both = segments.filter((segment) => segment.exact.aac.defined).length;
  return {
    name: 'aac_identity',
    holds: failures.length === 0,
    details: [
      `AAC = CAC ÷ activation rate checked exactly on ${segments.length} rows (${both} with AAC defined)`,
      ...failures,
    ],
  };
}

/** Named additive figures of a row, each as a bigint so sums are exact. */
function figures(row: SegmentMetrics, includePlacements: boolean): Map<string, bigint> {
  const result = new Map<string, bigint>();
  if (includePlacements) {
    result.set('placements', BigInt(row.funnel.placements ?? 0));
    // Like placements, reported impressions, clicks and sign-ups started have no cohort (null: none
    // reported → adds 0).
    result.set('impressions', BigInt(row.funnel.impressions ?? 0));
    result.set('clicks', BigInt(row.funnel.clicks ?? 0));
    result.set('registrationsStarted', BigInt(row.funnel.registrationsStarted ?? 0));
  }
  result.set('registrationsValid', BigInt(row.funnel.registrationsValid));
  result.set('registrationsFlagged', BigInt(row.funnel.registrationsFlagged));
  for (const flagged of row.funnel.flaggedByReason)
    result.set(`flagged[${flagged.reason}]`, BigInt(flagged.count));
  result.set('activated', BigInt(row.funnel.activated));
  result.set('revenueMinor', BigInt(row.revenue.minor));
  for (const arm of row.arms) {
    result.set(`arm[${arm.group}].registrations`, BigInt(arm.registrations));
    result.set(`arm[${arm.group}].activated`, BigInt(arm.activated));
    result.set(`arm[${arm.group}].revenueMinor`, BigInt(arm.revenue.minor));
  }
  for (const [name, value] of costFigures(row.costs)) result.set(name, value);
  return result;
}

function costFigures(costs: CostTotals): Map<string, bigint> {
  const result = new Map<string, bigint>();
  result.set('acquisitionCostMinor', BigInt(costs.acquisition.minor));
  result.set('periodCostMinor', BigInt(costs.period.minor));
  for (const cost of costs.byCategory)
    result.set(`cost[${cost.scope}/${cost.category}]`, BigInt(cost.amount.minor));
  return result;
}

export function checkSums(
  dimension: 'channel' | 'material' | 'cohort',
  rows: readonly SegmentMetrics[],
  unattributed: CostTotals,
  overall: SegmentMetrics,
): CheckResult {
  // Placements (and their impressions and clicks) cannot be attributed to cohorts, so cohort rows are
  // not summed on them.
  const includePlacements = dimension !== 'cohort';
  const sums = costFigures(unattributed);
  for (const row of rows) {
    for (const [name, value] of figures(row, includePlacements))
      sums.set(name, (sums.get(name) ?? 0n) + value);
  }
  const expected = figures(overall, includePlacements);
  const names = [...new Set([...expected.keys(), ...sums.keys()])].sort();
  const mismatches: string[] = [];
  for (const name of names) {
    const want = expected.get(name) ?? 0n;
    const got = sums.get(name) ?? 0n;
    if (want !== got) mismatches.push(`${name}: ${dimension} rows sum to ${got}, overall is ${want}`);
  }
  return {
    name: `${dimension}_sums`,
    holds: mismatches.length === 0,
    details: [
      `${names.length} figures over ${rows.length} ${dimension} rows (+ unattributed costs)`,
      ...mismatches,
    ],
  };
}

/** The arms of the overall row add up to its funnel. */
export function checkArms(overall: SegmentMetrics): CheckResult {
  let registrations = 0;
  let activated = 0;
  let revenue = 0n;
  for (const arm of overall.arms) {
    registrations += arm.registrations;
    activated += arm.activated;
    revenue += BigInt(arm.revenue.minor);
  }
  const mismatches: string[] = [];
  if (registrations !== overall.funnel.registrationsValid)
    mismatches.push('arm registrations ≠ valid registrations');
  if (activated !== overall.funnel.activated) mismatches.push('arm activations ≠ activated');
  if (revenue !== BigInt(overall.revenue.minor)) mismatches.push('arm revenue ≠ revenue');
  return {
    name: 'arm_sums',
    holds: mismatches.length === 0,
    details: [`${overall.arms.length} arms`, ...mismatches],
  };
}

export function collectChecks(items: CheckResult[]): Checks {
  return { allHold: items.every((item) => item.holds), items };
}
