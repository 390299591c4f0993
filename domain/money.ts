// Money as integer minor units (fen for CNY, cents for USD) plus an ISO-4217 code.
// This is the only module that does arithmetic on money: everything else calls it, so that no
// floating-point value ever carries an amount and no two currencies are ever added together.
import { z } from 'zod';

/**
 * The largest single amount any input may carry: 10^12 minor units (¥10,000,000,000.00 in fen). Far
 * above any fee, incentive, budget or event a bank meets, and small enough that sums of many of them
 * stay exact (see MAX_TOTAL_MINOR and docs/api/conventions.md, "Money").
 */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000;
/**
 * The largest total the system ever forms (a campaign's revenue or acquisition cost, any ledger sum):
 * 2^53 − 1, the last integer a JSON number carries exactly in every client. Ingest refuses a fact whose
 * booking would pass it, so every sum the API answers with is exact.
 */
export const MAX_TOTAL_MINOR = Number.MAX_SAFE_INTEGER;

/** An amount in minor units as inputs carry it: a whole number in [0, MAX_AMOUNT_MINOR]. */
export const MinorAmountSchema = z
  .int()
  .min(0)
  .max(MAX_AMOUNT_MINOR, `must be at most ${MAX_AMOUNT_MINOR} minor units`);

const CURRENCY = /^[A-Z]{3}$/;

/** An amount as reports and responses carry it; the type comes from the schema, so the two agree. */
export const MoneySchema = z
  .object({
    minor: z.int().meta({
      description:
        "Integer amount in the currency's minor unit (fen for CNY); a total can be negative after adjustments",
    }),
    currency: z.string().regex(CURRENCY).meta({ description: 'ISO-4217 code, upper case (e.g. "CNY")' }),
  })
  .meta({ id: 'Money' });
export type Money = z.infer<typeof MoneySchema>;

export class MoneyError extends Error {}

export function money(minor: number | bigint, currency: string): Money {
  const value = typeof minor === 'bigint' ? Number(minor) : minor;
  if (!Number.isSafeInteger(value)) throw new MoneyError(`amount ${String(minor)} is not a safe integer`);
  if (typeof minor === 'bigint' && BigInt(value) !== minor) throw new MoneyError(`amount ${minor} overflows`);
  if (!CURRENCY.test(currency)) throw new MoneyError(`currency "${currency}" is not an ISO-4217 code`);
  return { minor: value, currency };
}

export function zero(currency: string): Money {
  return money(0, currency);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new MoneyError(`cannot combine ${a.currency} with ${b.currency}`);
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.minor + b.minor, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.minor - b.minor, a.currency);
}

/** Multiplies by an integer count (e.g. a unit cost times a number of messages). */
export function times(a: Money, count: number): Money {
  if (!Number.isSafeInteger(count)) throw new MoneyError(`count ${count} is not an integer`);
  return money(BigInt(a.minor) * BigInt(count), a.currency);
}

export function sum(items: readonly Money[], currency: string): Money {
  let total = 0n;
  for (const item of items) {
    if (item.currency !== currency) throw new MoneyError(`cannot combine ${currency} with ${item.currency}`);
    total += BigInt(item.minor);
  }
  return money(total, currency);
}

/** Minor units per major unit; ISO-4217 exponents for the currencies a bank here meets. */
const EXPONENT: Record<string, number> = { JPY: 0, KRW: 0, BHD: 3, KWD: 3 };
export function minorUnitExponent(currency: string): number {
  return EXPONENT[currency] ?? 2;
}

/** Parses a decimal major-unit string ("12.34") into minor units exactly, refusing extra digits. */
export function parseMajor(text: string, currency: string): Money {
  const exp = minorUnitExponent(currency);
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new MoneyError(`"${text}" is not a decimal amount`);
  const [, sign, whole, frac = ''] = match;
  if (frac.length > exp)
    throw new MoneyError(`"${text}" has more than ${exp} decimal places for ${currency}`);
  const minor = BigInt(whole + frac.padEnd(exp, '0')) * (sign ? -1n : 1n);
  return money(minor, currency);
}

/** Formats minor units as a major-unit decimal string ("12.34"), exactly. */
export function formatMajor(m: Money): string {
  const exp = minorUnitExponent(m.currency);
  const negative = m.minor < 0;
  const digits = String(Math.abs(m.minor)).padStart(exp + 1, '0');
  const body = exp === 0 ? digits : `${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
  return negative ? `-${body}` : body;
}
