// Turns exact ratios and float statistics into the report's decimal strings, at one stated
// precision per kind of number, so that every figure of a kind is rendered the same way.
import { minorUnitExponent } from '../domain/money';
import type { ExactRatio } from './metrics';
import { divide, rational, toDecimalString, toExact } from './rational';
import type { MoneyRatioValue, RatioValue } from './types';

/** Money per customer: 4 decimal places of minor units (e.g. fen), rounded half to even. */
export const MONEY_MINOR_DECIMAL_PLACES = 4;
/** Dimensionless ratios (rates, LROI, ROI, lift): 6 decimal places, rounded half to even. */
export const DIMENSIONLESS_DECIMAL_PLACES = 6;
/**
 * Float statistics (z, p-value, standard errors, interval bounds) keep significant digits rather than
 * places: p-values and standard errors span many orders of magnitude.
 */
export const STATISTIC_SIGNIFICANT_DIGITS = 6;

export function renderRatio(ratio: ExactRatio): RatioValue {
  if (!ratio.defined) return ratio;
  return {
    defined: true,
    value: toDecimalString(ratio.value, DIMENSIONLESS_DECIMAL_PLACES),
    exact: toExact(ratio.value),
  };
}

/**
 * `major` is the exact value divided by 10^exponent rendered with exponent more places, so it has
 * the same digits as `minor` (decimal rounding commutes with shifting the point).
 */
export function renderMoneyRatio(ratio: ExactRatio, currency: string): MoneyRatioValue {
  if (!ratio.defined) return ratio;
  const exponent = minorUnitExponent(currency);
  const inMajor = divide(ratio.value, rational(10n ** BigInt(exponent)));
  return {
    defined: true,
    currency,
    minor: toDecimalString(ratio.value, MONEY_MINOR_DECIMAL_PLACES),
    major: toDecimalString(inMajor, MONEY_MINOR_DECIMAL_PLACES + exponent),
    exact: toExact(ratio.value),
  };
}

/** Significant digits, in JavaScript's toPrecision form: "6.24377", "0.00354843", "4.27161e-10". */
export function renderStatistic(value: number): string {
  // toPrecision would render an exact −0 (e.g. a zero difference) as "-0.00000".
  return (value === 0 ? 0 : value).toPrecision(STATISTIC_SIGNIFICANT_DIGITS);
}
