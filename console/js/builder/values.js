// The builder's conversions from what a person types to what the API takes, with no DOM and no state
// (so that test/unit/console/builder-values.test.ts runs them in Node): durations as amount + unit,
// wall-clock times in the campaign's time zone, money in major units → integer minor units (digit
// strings and BigInt, never floating point), percentages → shares.
import { exponentOf } from '../format.js';

/** { amount: '30', unit: 'S'|'M'|'H'|'D' } → 'PT30S' / 'PT30M' / 'PT30H' / 'P30D'. */
export function isoDuration({ amount, unit }) {
  const n = String(amount).trim();
  return unit === 'D' ? `P${n}D` : `PT${n}${unit}`;
}

/** Milliseconds of a builder duration (for the timeline); NaN when it is not a whole number. */
export function durationMillis({ amount, unit }) {
  const n = Number(amount);
  if (!Number.isInteger(n)) return Number.NaN;
  return n * { S: 1_000, M: 60_000, H: 3_600_000, D: 86_400_000 }[unit];
}

/** The UTC offset of `timeZone` at `instant`, in minutes (Asia/Shanghai → 480). */
function offsetMinutes(instant, timeZone) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** An instant → the `datetime-local` value it reads as on the wall clock of `timeZone`. */
export function toLocalInput(instant, timeZone) {
  const local = new Date(instant.getTime() + offsetMinutes(instant, timeZone) * 60_000);
  return local.toISOString().slice(0, 16);
}

const pad = (n) => String(n).padStart(2, '0');

/**
 * A wall-clock `datetime-local` value ('2026-03-01T09:00') in the campaign's time zone → an ISO instant
 * with that zone's offset ('2026-03-01T09:00:00+08:00'), or null when it is not a date.
 */
export function zonedIso(local, timeZone) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local ?? '');
  if (!match) return null;
  const [, y, mo, d, hh, mm, ss = '00'] = match;
  const wall = Date.UTC(+y, +mo - 1, +d, +hh, +mm, +ss);
  // The offset at the wall time read as UTC, then corrected once (enough outside a DST jump).
  let offset = offsetMinutes(new Date(wall), timeZone);
  offset = offsetMinutes(new Date(wall - offset * 60_000), timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${y}-${mo}-${d}T${hh}:${mm}:${ss}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A major-unit amount typed by a person ('12.5') → integer minor units as a Number, or null when invalid. */
export function toMinor(text, currency) {
  const exp = exponentOf(currency);
  const match = /^(\d+)(?:\.(\d*))?$/.exec(String(text).trim().replace(/,/g, ''));
  if (!match || (match[2] ?? '').length > exp) return null;
  const minor = BigInt(match[1] + (match[2] ?? '').padEnd(exp, '0'));
  return minor > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(minor);
}

/** A percentage typed by a person ('10' or '12.5') → a share (0.1, 0.125), or null. */
export function toShare(text) {
  const trimmed = String(text).trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return null;
  return Number(trimmed) / 100;
}
