// buildEvaluation: the whole evaluation report from aggregate facts. Pure and deterministic: rows are
// sorted by key in code-unit order and nothing depends on time or locale, so re-running over the
// same facts gives an identical report.
import { aggregate, SEGMENT_DIMENSIONS, type SegmentDimension } from './aggregate';
import { checkAacIdentity, checkArms, checkSums, collectChecks } from './checks';
import { definitions } from './definitions';
import { EvaluationInputError, parseEvaluationInput, type EvaluationInput } from './input';
import { buildLift } from './lift';
import { buildSegment, byCodeUnits, costTotals, type BuiltSegment } from './segment';
import type { Dimension, EvaluationReportBody, TimeToActivate } from './types';

export function buildEvaluation(rawInput: EvaluationInput): EvaluationReportBody {
  const input = parseEvaluationInput(rawInput);
  const { currency, controlGroup } = input;
  const aggregates = aggregate(input);

  const timeToActivate = new Map<string, TimeToActivate>();
  for (const row of input.timeToActivate) {
    timeToActivate.set(`${row.dimension}:${row.key}`, {
      medianSeconds: row.medianSeconds,
      p90Seconds: row.p90Seconds,
    });
  }
  const used = new Set<string>();
  const timeFor = (dimension: Dimension, key: string): TimeToActivate | null => {
    const id = `${dimension}:${key}`;
    used.add(id);
    return timeToActivate.get(id) ?? null;
  };
  const maturity = input.cohortsMature;

  const overall = buildSegment('overall', '', aggregates.overall, {
    currency,
    controlGroup,
    timeToActivate: timeFor('overall', ''),
    mature: null,
  });
  const rows = {} as Record<SegmentDimension, BuiltSegment[]>;
  for (const dimension of SEGMENT_DIMENSIONS) {
    rows[dimension] = [...aggregates.segments[dimension].entries()]
      .sort(([a], [b]) => byCodeUnits(a, b))
      .map(([key, totals]) =>
        buildSegment(dimension, key, totals, {
          currency,
          controlGroup,
          timeToActivate: timeFor(dimension, key),
          mature: dimension === 'cohort' ? (maturity?.[key] ?? null) : null,
        }),
      );
  }
  const unmatched = [...timeToActivate.keys()].filter((id) => !used.has(id));
  if (unmatched.length > 0) {
    throw new EvaluationInputError(`timeToActivate rows match no segment: ${unmatched.sort().join(', ')}`);
  }

  const unattributedCosts = {
    channel: costTotals(aggregates.unattributed.channel, currency),
    material: costTotals(aggregates.unattributed.material, currency),
    cohort: costTotals(aggregates.unattributed.cohort, currency),
  };
  const checks = collectChecks([
    checkAacIdentity([overall, ...rows.channel, ...rows.material, ...rows.cohort]),
    ...SEGMENT_DIMENSIONS.map((dimension) =>
      checkSums(
        dimension,
        rows[dimension].map((built) => built.row),
        unattributedCosts[dimension],
        overall.row,
      ),
    ),
    checkArms(overall.row),
  ]);

  // Without maturity data the caller asserts the evaluation runs after the last period ended.
  const provisional =
    maturity !== undefined &&
    (Object.values(maturity).some((mature) => !mature) ||
      rows.cohort.some((built) => built.row.mature !== true));

  return {
    reportVersion: 1,
    currency,
    status: provisional ? 'provisional' : 'final',
    definitions: definitions(currency),
    overall: overall.row,
    byChannel: rows.channel.map((built) => built.row),
    byMaterial: rows.material.map((built) => built.row),
    byCohort: rows.cohort.map((built) => built.row),
    unattributedCosts,
    lift: buildLift(aggregates.overall, controlGroup, currency),
    checks,
  };
}
