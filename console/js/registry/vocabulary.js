// The registry's vocabulary as the API spells it (domain/channel.ts, domain/channel-profile.ts), shared
// by the channel and material pages: select options, and money typed in major units (yuan) turned into
// the API's integer minor units as digits, never through a floating-point number.
import { exponentOf } from '../format.js';

export const CHANNEL_KINDS = ['offline', 'financial_scenario', 'ecosystem_scenario'];
export const ONLINE_TYPES = ['ecommerce', 'social', 'entertainment', 'information', 'payment'];
export const CHANNEL_STATUSES = ['active', 'retired'];
export const COST_MODEL_TYPES = ['fixed_per_placement', 'cpm', 'cpc', 'per_registration'];
export const ADAPTER_TYPES = ['http', 'simulator', 'offline'];
export const AGE_BANDS = ['18-24', '25-34', '35-44', '45-54', '55-64', '65+'];
export const CITY_TIERS = ['tier1', 'tier2', 'tier3', 'tier4', 'tier5'];
export const GENDERS = ['female', 'male', 'other'];
export const TARGETING_OPS = ['eq', 'in', 'gte', 'lte', 'contains'];

/**
 * "15.5" in CNY → 1550. Returns the text unchanged when it is not a plain decimal with at most the
 * currency's places, so that the API refuses it beside the field (its message, its rules).
 */
export function majorToMinor(text, currency) {
  const exp = exponentOf(currency);
  const match = /^\s*(\d+)(?:\.(\d*))?\s*$/.exec(String(text));
  if (!match || (match[2] ?? '').length > exp) return String(text);
  const digits = `${match[1]}${(match[2] ?? '').padEnd(exp, '0')}`;
  const value = BigInt(digits);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : String(text);
}

/** 1550 minor units in CNY → "15.50" (for an input's value). */
export function minorToMajor(minor, currency) {
  const exp = exponentOf(currency);
  const digits = BigInt(minor)
    .toString()
    .padStart(exp + 1, '0');
  return exp === 0 ? digits : `${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}
