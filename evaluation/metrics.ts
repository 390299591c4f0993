// The evaluation ratios as exact rationals: CAC, AAC, activation rate, LROI, ROI, registrations per
// placement, click-through, registrations per click and revenue per customer. Each names the reason when its denominator leaves it undefined.
import { divide, rational, subtract, type Rational } from './rational';
import type { Undefined, UndefinedReason } from './types';

/** An exact ratio, or the reason it has no value. */
export type ExactRatio = { readonly defined: true; readonly value: Rational } | Undefined;

type Integer = number | bigint;

function undefinedBecause(reason: UndefinedReason): Undefined {
  return { defined: false, reason };
}

function ratioOfCount(numerator: Integer, denominator: Integer, whenZero: UndefinedReason): ExactRatio {
  if (BigInt(denominator) === 0n) return undefinedBecause(whenZero);
  return { defined: true, value: rational(numerator, denominator) };
}

/** A cost in the denominator must be positive: a zero or net-negative cost has no return ratio. */
function ratioOfCost(numerator: Integer, costMinor: Integer): ExactRatio {
  const cost = BigInt(costMinor);
  if (cost === 0n) return undefinedBecause('zero_cost');
  if (cost < 0n) return undefinedBecause('negative_cost');
  return { defined: true, value: rational(numerator, cost) };
}

/** CAC = acquisition cost ÷ valid registrations (minor units per registration). */
export function cac(acquisitionCostMinor: Integer, registrationsValid: Integer): ExactRatio {
  return ratioOfCount(acquisitionCostMinor, registrationsValid, 'no_registrations');
}

/** AAC = acquisition cost ÷ activated new customers (minor units per activated customer). */
export function aac(acquisitionCostMinor: Integer, activated: Integer): ExactRatio {
  return ratioOfCount(acquisitionCostMinor, activated, 'no_activations');
}

/**
 * Fraud rate = registrations flagged after the fact ÷ the registrations that had been accepted (valid now
 * plus flagged later): the share of what a channel delivered that the anti-fraud systems took back.
 */
export function fraudRate(fraudFlagged: Integer, registrationsValid: Integer): ExactRatio {
  return ratioOfCount(fraudFlagged, BigInt(registrationsValid) + BigInt(fraudFlagged), 'no_registrations');
}

/** Activation rate = activated ÷ valid registrations. */
export function activationRate(activated: Integer, registrationsValid: Integer): ExactRatio {
  return ratioOfCount(activated, registrationsValid, 'no_registrations');
}

/** Valid registrations per placement: a yield, not a rate (one placement reaches many people). */
export function registrationsPerPlacement(registrationsValid: Integer, placements: Integer): ExactRatio {
  return ratioOfCount(registrationsValid, placements, 'no_placements');
}

/** Click-through rate = clicks ÷ impressions, as the channels reported them. */
export function clickThroughRate(clicks: Integer, impressions: Integer): ExactRatio {
  return ratioOfCount(clicks, impressions, 'no_impressions');
}

/** Valid registrations per click: a yield, since registrations also come without a click (branches, search). */
/** Sign-ups started ÷ clicks, as the channels reported them. */
export function startsPerClick(started: Integer, clicks: Integer): ExactRatio {
  return ratioOfCount(started, clicks, 'no_clicks');
}

/** Valid registrations ÷ sign-ups started: where each channel's sign-up flow loses people. */
export function registrationsPerStart(registrationsValid: Integer, started: Integer): ExactRatio {
  return ratioOfCount(registrationsValid, started, 'no_starts');
}

export function registrationsPerClick(registrationsValid: Integer, clicks: Integer): ExactRatio {
  return ratioOfCount(registrationsValid, clicks, 'no_clicks');
}

/** New-customer-period revenue ÷ valid registrations (minor units per customer). */
export function revenuePerCustomer(revenueMinor: Integer, registrationsValid: Integer): ExactRatio {
  return ratioOfCount(revenueMinor, registrationsValid, 'no_registrations');
}

/** LROI = new-customer-period revenue ÷ new-customer-period (scope "period") marketing cost. */
export function lroi(periodRevenueMinor: Integer, periodCostMinor: Integer): ExactRatio {
  return ratioOfCost(periodRevenueMinor, periodCostMinor);
}

/** ROI = (revenue − total cost) ÷ total cost, total = acquisition + period. */
export function roi(periodRevenueMinor: Integer, totalCostMinor: Integer): ExactRatio {
  return ratioOfCost(BigInt(periodRevenueMinor) - BigInt(totalCostMinor), totalCostMinor);
}

/** a − b, defined when both are. */
export function difference(a: ExactRatio, b: ExactRatio): ExactRatio {
  if (!a.defined) return a;
  if (!b.defined) return b;
  return { defined: true, value: subtract(a.value, b.value) };
}

/** a ÷ b, defined when both are and b is not zero (then `whenZero` is the reason). */
export function quotient(a: ExactRatio, b: ExactRatio, whenZero: UndefinedReason): ExactRatio {
  if (!a.defined) return a;
  if (!b.defined) return b;
  if (b.value.numerator === 0n) return undefinedBecause(whenZero);
  return { defined: true, value: divide(a.value, b.value) };
}
