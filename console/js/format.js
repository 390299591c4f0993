// Formatting for display. Money is never a floating-point number here either: amounts arrive as integer
// minor units or as exact decimal strings, and are shifted and rounded as digit strings with BigInt.
import { lang } from './i18n.js';

/** ISO-4217 minor-unit exponents that are not 2 (as domain/money.ts). */
const EXPONENT = { JPY: 0, KRW: 0, BHD: 3, KWD: 3 };
const SYMBOL = { CNY: '¥', USD: '$', EUR: '€', GBP: '£', HKD: 'HK$', JPY: 'JP¥' };

export const exponentOf = (currency) => EXPONENT[currency] ?? 2;

function withSymbol(body, currency) {
  const symbol = SYMBOL[currency];
  const negative = body.startsWith('-');
  const digits = negative ? body.slice(1) : body;
  const text = symbol ? `${symbol}${digits}` : `${digits} ${currency}`;
  return negative ? `-${text}` : text;
}

/** Groups the integer part with thousands separators ("1234567.5" → "1,234,567.5"). */
function group(body) {
  const [whole, frac] = body.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** Rounds a decimal string to `places` decimals, half to even, exactly ("17.871094", 2 → "17.87"). */
export function roundDecimal(text, places) {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(String(text).trim());
  if (!match) return String(text);
  const [, sign, whole, frac = ''] = match;
  const digits = BigInt(whole + frac.padEnd(places, '0').slice(0, places));
  const rest = frac.slice(places);
  let rounded = digits;
  if (rest.length > 0) {
    const half = BigInt(`5${'0'.repeat(rest.length - 1)}`);
    const tail = BigInt(rest);
    if (tail > half || (tail === half && digits % 2n === 1n)) rounded += 1n;
  }
  const str = rounded.toString().padStart(places + 1, '0');
  const body = places === 0 ? str : `${str.slice(0, -places)}.${str.slice(-places)}`;
  return sign && rounded !== 0n ? `-${body}` : body;
}

/** Integer minor units → "¥1,234.50". */
export function formatMinor(minor, currency) {
  const exp = exponentOf(currency);
  const value = BigInt(minor);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(exp + 1, '0');
  const body = exp === 0 ? digits : `${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
  return withSymbol(`${negative ? '-' : ''}${group(body)}`, currency);
}

/** An exact major-unit decimal string (the API's `major`) → "¥17.87", rounded to the currency's places. */
export function formatMajorDecimal(major, currency) {
  return withSymbol(group(roundDecimal(major, exponentOf(currency))), currency);
}

/** A dimensionless ratio string ("1.500000") → "1.50". */
export const formatRatio = (value) => roundDecimal(value, 2);

/** A decimal-string ratio as a percentage with two decimals, shifted as digits ("0.026002" → "2.60%"). */
export function formatPercent(value) {
  const negative = value.startsWith('-');
  const [whole, frac = ''] = (negative ? value.slice(1) : value).split('.');
  const digits = frac.padEnd(2, '0');
  const shifted = `${(whole + digits.slice(0, 2)).replace(/^0+(?=\d)/, '')}.${digits.slice(2) || '0'}`;
  return `${negative ? '-' : ''}${roundDecimal(shifted, 2)}%`;
}

export const formatCount = (n) => new Intl.NumberFormat(lang()).format(n);

export function formatTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(lang(), { dateStyle: 'medium', timeStyle: 'medium' }).format(date);
}

/** A compact date and time, for tables ("2026/11/26 09:00"). */
export function formatShortTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(lang(), { dateStyle: 'short', timeStyle: 'short' }).format(date);
}

export function formatClock(date) {
  return new Intl.DateTimeFormat(lang(), { timeStyle: 'medium' }).format(date);
}

export const shortHash = (hash) => (hash ? `${hash.slice(0, 12)}…` : '—');
