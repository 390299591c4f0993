// Wall-clock arithmetic in a campaign's IANA time zone (e.g. 'Asia/Shanghai', 'America/New_York'),
// built on Intl.DateTimeFormat only: cohorts start at local midnight, steps keep their local time of
// day across daylight-saving switches, and quiet hours are local hours.
// Imported by workflow code: no Node built-ins, no clock (every Date here is built from an argument).
import { parseDuration, timePartMs, MS_PER_DAY } from './duration';

/** A local calendar date and time of day, as a clock on the wall in the time zone shows it. */
export interface WallTime {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

// Formatters are costly to build and pure to use, so one per time zone is kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws RangeError for an unknown zone, which is what callers should see.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // 'h23' rather than hour12:false, which prints midnight as "24" on some ICU versions.
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Parses an ISO-8601 instant (with 'Z' or an offset) into epoch milliseconds; throws RangeError otherwise. */
export function parseInstant(iso: string): number {
  // A date-only or offset-less text would be read in the host's zone by Date.parse: refuse it.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(iso)) {
    throw new RangeError(`"${iso}" is not an ISO-8601 instant with a time zone offset`);
  }
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`"${iso}" is not a valid instant`);
  return ms;
}

export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/** The wall time at an instant (to the second). */
export function wallTimeAt(ms: number, timeZone: string): WallTime {
  const values: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  return {
    year: values.year ?? NaN,
    month: values.month ?? NaN,
    day: values.day ?? NaN,
    hour: values.hour ?? NaN,
    minute: values.minute ?? NaN,
    second: values.second ?? NaN,
  };
}

/** The wall time read as if it were UTC: a number on which calendar arithmetic is plain addition. */
export function wallAsUtc(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

function utcAsWall(ms: number): WallTime {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** The zone's offset from UTC at an instant, in milliseconds (e.g. +8h for Asia/Shanghai). */
export function offsetAt(ms: number, timeZone: string): number {
  const wholeSecond = Math.floor(ms / 1000) * 1000;
  return wallAsUtc(wallTimeAt(wholeSecond, timeZone)) - wholeSecond;
}

/**
 * The first instant at which the zone's clocks show the given wall time or later.
 * - Usual case: the one instant showing it.
 * - Fall-back overlap (the wall time happens twice): the earlier instant.
 * - Spring-forward gap (the wall time never happens): the instant of the switch, the first one after it.
 * Assumes at most one offset change within a day of the wall time, which holds for every real zone.
 */
export function firstInstantAtOrAfter(wall: WallTime, timeZone: string): number {
  const local = wallAsUtc(wall);
  const before = offsetAt(local - MS_PER_DAY, timeZone);
  const after = offsetAt(local + MS_PER_DAY, timeZone);
  const shows = (t: number) => t + offsetAt(t, timeZone) === local;
  const candidates = [local - before, local - after].filter(shows).sort((a, b) => a - b);
  if (candidates[0] !== undefined) return candidates[0];
  // In a gap: the clock jumps over `local` somewhere between these two instants. Local time increases
  // with the instant there, so a binary search on whole seconds finds the first instant showing >= local.
  let lo = local - after; // shows earlier than `local`
  let hi = local - before; // shows later than `local`
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (mid + offsetAt(mid, timeZone) >= local) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Local midnight starting the calendar day that is `days` after the local day of `ms`. */
export function startOfLocalDay(ms: number, timeZone: string, days = 0): number {
  const w = wallTimeAt(ms, timeZone);
  const shifted = utcAsWall(Date.UTC(w.year, w.month - 1, w.day + days));
  return firstInstantAtOrAfter(shifted, timeZone);
}

/** Adds whole calendar days in the zone, keeping the local time of day (resolved as firstInstantAtOrAfter). */
export function addLocalDays(ms: number, days: number, timeZone: string): number {
  if (days === 0) return ms;
  const w = wallTimeAt(ms, timeZone);
  const shifted = utcAsWall(wallAsUtc(w) + days * MS_PER_DAY);
  // Keeps sub-second precision, which the formatter drops.
  return firstInstantAtOrAfter(shifted, timeZone) + (ms - Math.floor(ms / 1000) * 1000);
}

/**
 * Adds a duration the way a marketer reads it: days are calendar days in the zone ('P1D' after 09:00 is
 * 09:00 the next day, even across a daylight-saving switch), hours, minutes and seconds are elapsed time.
 * In a zone without daylight saving (Asia/Shanghai) this equals adding durationMs().
 */
export function addDurationInZone(ms: number, duration: string, timeZone: string): number {
  const parts = parseDuration(duration);
  return addLocalDays(ms, parts.days, timeZone) + timePartMs(parts);
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
