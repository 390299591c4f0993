// Exact rational numbers over bigint, and their rendering as rounded decimal strings.
// Every evaluation ratio (CAC, AAC, LROI, ROI, activation rate) is first an exact rational, so that
// identities such as AAC = CAC ÷ activation rate can be checked exactly; decimals are rendered last.
import type { z } from 'zod';
import type { ExactRationalSchema } from './report-schema';

export interface Rational {
  /** Carries the sign. */
  readonly numerator: bigint;
  /** Always positive; gcd(numerator, denominator) = 1. */
  readonly denominator: bigint;
}

/** The wire form of a rational in a report: base-10 strings, because JSON has no bigint. */
export type ExactRational = z.infer<typeof ExactRationalSchema>;

export class RationalError extends Error {}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = abs(a);
  let y = abs(b);
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function toBigInt(value: number | bigint, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new RationalError(`${what} ${value} is not a safe integer`);
  return BigInt(value);
}

/** Builds numerator ÷ denominator in lowest terms; a zero denominator is a programming error. */
export function rational(numerator: number | bigint, denominator: number | bigint = 1n): Rational {
  let n = toBigInt(numerator, 'numerator');
  let d = toBigInt(denominator, 'denominator');
  if (d === 0n) throw new RationalError('denominator is zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  // gcd(0, d) = d, which turns 0/d into the canonical 0/1.
  return { numerator: n / g, denominator: d / g };
}

export function add(a: Rational, b: Rational): Rational {
  return rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator);
}

export function subtract(a: Rational, b: Rational): Rational {
  return rational(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator);
}

export function multiply(a: Rational, b: Rational): Rational {
  return rational(a.numerator * b.numerator, a.denominator * b.denominator);
}

export function divide(a: Rational, b: Rational): Rational {
  if (b.numerator === 0n) throw new RationalError('division by zero');
  return rational(a.numerator * b.denominator, a.denominator * b.numerator);
}

export function isZero(a: Rational): boolean {
  return a.numerator === 0n;
}

/** Exact equality; both sides are in lowest terms, so comparing parts suffices. */
export function equals(a: Rational, b: Rational): boolean {
  return a.numerator === b.numerator && a.denominator === b.denominator;
}

export function compare(a: Rational, b: Rational): -1 | 0 | 1 {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function toExact(a: Rational): ExactRational {
  return { numerator: a.numerator.toString(), denominator: a.denominator.toString() };
}

/** Float approximation, for statistics that are inherently floating point (z-test, intervals). */
export function toNumber(a: Rational): number {
  return Number(a.numerator) / Number(a.denominator);
}

/**
 * Renders with exactly `places` decimal places, rounding half to even (banker's rounding), so that
 * re-rendering a column of values carries no upward bias. Never renders "-0".
 */
export function toDecimalString(a: Rational, places: number): string {
  if (!Number.isInteger(places) || places < 0) throw new RationalError(`places ${places} is not a count`);
  const scaled = abs(a.numerator) * 10n ** BigInt(places);
  let quotient = scaled / a.denominator;
  const twiceRemainder = (scaled % a.denominator) * 2n;
  if (twiceRemainder > a.denominator || (twiceRemainder === a.denominator && quotient % 2n === 1n)) {
    quotient += 1n;
  }
  const digits = quotient.toString().padStart(places + 1, '0');
  const body = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return a.numerator < 0n && quotient !== 0n ? `-${body}` : body;
}
