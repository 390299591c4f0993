// Control-group lift: each treatment arm, and all treatment arms pooled, against the control group.
// Differences and relative lift are exact rationals; the z-test and interval are floating point
// by nature and rendered at a stated precision.
import { money } from '../domain/money';
import type { ArmTotals, SegmentTotals } from './aggregate';
import * as metrics from './metrics';
import { renderMoneyRatio, renderRatio, renderStatistic } from './render';
import { armMetrics, byCodeUnits } from './segment';
import { differenceInterval95, twoProportionZTest, type Proportion } from './statistics';
import type { ArmLift, IntervalValue, LiftReport, UndefinedReason, ZTestValue } from './types';

function proportion(arm: ArmTotals): Proportion {
  return { successes: Number(arm.activated), trials: Number(arm.registrations) };
}

function emptyReason(treatment: ArmTotals, control: ArmTotals): UndefinedReason | null {
  if (treatment.registrations === 0n) return 'treatment_group_empty';
  if (control.registrations === 0n) return 'control_group_empty';
  return null;
}

function armLift(groups: string[], treatment: ArmTotals, control: ArmTotals, currency: string): ArmLift {
  const empty = emptyReason(treatment, control);
  const treatmentRate = metrics.activationRate(treatment.activated, treatment.registrations);
  const controlRate = metrics.activationRate(control.activated, control.registrations);
  const difference: metrics.ExactRatio = empty
    ? { defined: false, reason: empty }
    : metrics.difference(treatmentRate, controlRate);
  const revenueDifference: metrics.ExactRatio = empty
    ? { defined: false, reason: empty }
    : metrics.difference(
        metrics.revenuePerCustomer(treatment.revenue, treatment.registrations),
        metrics.revenuePerCustomer(control.revenue, control.registrations),
      );

  const test = twoProportionZTest(proportion(treatment), proportion(control));
  const zTest: ZTestValue = test.defined
    ? {
        defined: true,
        z: renderStatistic(test.z),
        pValue: renderStatistic(test.pValue),
        standardError: renderStatistic(test.standardError),
      }
    : test;
  const interval = differenceInterval95(proportion(treatment), proportion(control));
  const confidenceInterval95: IntervalValue = interval.defined
    ? {
        defined: true,
        lower: renderStatistic(interval.lower),
        upper: renderStatistic(interval.upper),
        standardError: renderStatistic(interval.standardError),
      }
    : interval;

  return {
    defined: true,
    groups,
    registrations: Number(treatment.registrations),
    activated: Number(treatment.activated),
    activationRate: renderRatio(treatmentRate),
    revenue: money(treatment.revenue, currency),
    revenuePerCustomer: renderMoneyRatio(
      metrics.revenuePerCustomer(treatment.revenue, treatment.registrations),
      currency,
    ),
    difference: renderRatio(difference),
    relativeLift: renderRatio(metrics.quotient(difference, controlRate, 'control_rate_zero')),
    zTest,
    confidenceInterval95,
    revenuePerCustomerDifference: renderMoneyRatio(revenueDifference, currency),
  };
}

/** Lift from the overall totals' arms; undefined when the campaign has no control group. */
export function buildLift(overall: SegmentTotals, controlGroup: string | null, currency: string): LiftReport {
  if (controlGroup === null) return { defined: false, reason: 'no_control_group' };
  const none: ArmTotals = { registrations: 0n, activated: 0n, revenue: 0n };
  const control = overall.arms.get(controlGroup) ?? none;
  const treatments = [...overall.arms.entries()]
    .filter(([group]) => group !== controlGroup)
    .sort(([a], [b]) => byCodeUnits(a, b));

  const pooled: ArmTotals = { registrations: 0n, activated: 0n, revenue: 0n };
  for (const [, arm] of treatments) {
    pooled.registrations += arm.registrations;
    pooled.activated += arm.activated;
    pooled.revenue += arm.revenue;
  }
  return {
    defined: true,
    control: armMetrics(controlGroup, control, controlGroup, currency),
    arms: treatments.map(([group, arm]) => armLift([group], arm, control, currency)),
    pooled:
      treatments.length === 0
        ? { defined: false, reason: 'no_treatment_group' }
        : armLift(
            treatments.map(([group]) => group),
            pooled,
            control,
            currency,
          ),
  };
}
