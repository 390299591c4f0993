// Exact rationals: lowest terms, sign handling, and half-even decimal rendering.
import {
  add,
  compare,
  divide,
  equals,
  multiply,
  rational,
  RationalError,
  subtract,
  toDecimalString,
  toExact,
} from '../../../evaluation/rational';

describe('rational', () => {
  it('keeps lowest terms with the sign on the numerator', () => {
    expect(rational(6, -4)).toEqual({ numerator: -3n, denominator: 2n });
    expect(rational(0, -7)).toEqual({ numerator: 0n, denominator: 1n });
    expect(toExact(rational(10n, 4n))).toEqual({ numerator: '5', denominator: '2' });
  });

  it('refuses a zero denominator, division by zero and unsafe numbers', () => {
    expect(() => rational(1, 0)).toThrow(RationalError);
    expect(() => divide(rational(1), rational(0))).toThrow(RationalError);
    expect(() => rational(2 ** 60)).toThrow(RationalError);
    expect(() => rational(0.5)).toThrow(RationalError);
  });

  it('does exact arithmetic beyond float precision', () => {
    const third = rational(1, 3);
    expect(equals(add(third, add(third, third)), rational(1))).toBe(true);
    expect(equals(subtract(rational(1, 10), rational(3, 10)), rational(-1, 5))).toBe(true);
    expect(equals(multiply(rational(2, 3), rational(9, 4)), rational(3, 2))).toBe(true);
    const big = rational(2n ** 80n + 1n, 3n);
    expect(equals(divide(big, big), rational(1))).toBe(true);
    expect(compare(rational(1, 3), rational(333333, 1000000))).toBe(1);
    expect(compare(rational(-1, 2), rational(-1, 3))).toBe(-1);
    expect(compare(rational(2, 4), rational(1, 2))).toBe(0);
  });

  it('rounds half to even when rendering decimals', () => {
    expect(toDecimalString(rational(1, 2), 0)).toBe('0');
    expect(toDecimalString(rational(3, 2), 0)).toBe('2');
    expect(toDecimalString(rational(5, 2), 0)).toBe('2');
    expect(toDecimalString(rational(-5, 2), 0)).toBe('-2');
    expect(toDecimalString(rational(125, 1000), 2)).toBe('0.12');
    expect(toDecimalString(rational(135, 1000), 2)).toBe('0.14');
    expect(toDecimalString(rational(1251, 10000), 2)).toBe('0.13');
    expect(toDecimalString(rational(1, 3), 6)).toBe('0.333333');
    expect(toDecimalString(rational(2, 3), 6)).toBe('0.666667');
    expect(toDecimalString(rational(-2, 3), 6)).toBe('-0.666667');
    expect(toDecimalString(rational(12345, 1), 4)).toBe('12345.0000');
  });

  it('never renders a negative zero', () => {
    expect(toDecimalString(rational(-1, 10_000_000), 6)).toBe('0.000000');
    expect(toDecimalString(rational(-1, 2_000_000), 6)).toBe('0.000000');
    expect(toDecimalString(rational(-3, 2_000_000), 6)).toBe('-0.000002');
  });
});
