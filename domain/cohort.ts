// Registration cohorts: the buckets of registration time that the new-customer period runs at.
// A cohort workflow runs the education/engagement plan once per cohort, so Temporal work grows with
// cohorts × steps rather than customers × steps (see docs/architecture.md, "Workflows").
// Imported by workflow code: no Node built-ins, no clock, pure functions only.
import { parseDuration, durationMs, MS_PER_DAY } from './duration';
import { formatInstant, parseInstant, startOfLocalDay, wallTimeAt } from './zoned-time';

export interface Cohort {
  /** Stable and sortable within a campaign: '2026-11-26' for day buckets, '2026-11-26T10:00:10Z' below a day. */
  readonly key: string;
  /** First instant of the cohort (ISO, UTC); never before the registration window's start. */
  readonly start: string;
  /** End of the cohort, exclusive (ISO, UTC). */
  readonly end: string;
}

export interface CohortGrouping {
  /** Start of the campaign's registration window (ISO instant). */
  readonly windowStart: string;
  /** Cohort length as an ISO duration, e.g. 'P1D' in production, 'PT10S' in tests. */
  readonly granularity: string;
  /** The campaign's IANA time zone, e.g. 'Asia/Shanghai'. */
  readonly timeZone: string;
}

/** More cohorts than this in one window is a configuration mistake (e.g. 'PT1S' over a month). */
export const MAX_COHORTS_PER_WINDOW = 10_000;

/**
 * How cohort bounds are computed:
 * - Granularity of whole days ('P1D', 'P7D'): buckets of calendar days starting at local midnight in the
 *   campaign's zone, counted from the day the window opens, so that "the 26 November cohort" is the day a
 *   marketer in Shanghai means, and a day stays a day across daylight-saving switches (23 or 25 hours).
 * - Anything else ('PT10S', 'PT6H', 'P1DT12H'): fixed-length buckets counted from the window's start.
 * The first cohort's start is clamped to the window's start, since nobody registers before it; that keeps
 * a cohort's start, which stands for its members' registration time, as close to it as possible.
 * A registration before the window's start has no cohort: RangeError (the caller refuses such registrations).
 */
export function cohortFor(registeredAtIso: string, grouping: CohortGrouping): Cohort {
  const bucketing = bucketingOf(grouping);
  const registeredAt = parseInstant(registeredAtIso);
  if (registeredAt < bucketing.windowStart) {
    throw new RangeError(
      `registration at ${registeredAtIso} is before the window's start ${grouping.windowStart}`,
    );
  }
  return bucketing.cohort(bucketing.indexOf(registeredAt));
}

/**
 * cohortFor for many registrations of one campaign (a batch): the bucketing is built once, and each cohort
 * once, instead of per registration — for day cohorts that is four zone conversions (Intl) per item fewer.
 * Takes the registration time in epoch milliseconds; the same cohort as cohortFor for the same instant.
 */
export function cohortLookup(grouping: CohortGrouping): (registeredAtMs: number) => Cohort {
  const bucketing = bucketingOf(grouping);
  const cohorts = new Map<number, Cohort>();
  return (registeredAt) => {
    if (registeredAt < bucketing.windowStart) {
      throw new RangeError(
        `registration at ${formatInstant(registeredAt)} is before the window's start ${grouping.windowStart}`,
      );
    }
    const index = bucketing.indexOf(registeredAt);
    let cohort = cohorts.get(index);
    if (!cohort) {
      cohort = bucketing.cohort(index);
      cohorts.set(index, cohort);
    }
    return cohort;
  };
}

/** All cohorts that overlap the registration window [start, end), in order. */
export function cohortsOfWindow(
  window: { readonly start: string; readonly end: string },
  granularity: string,
  timeZone: string,
): Cohort[] {
  const end = parseInstant(window.end);
  const bucketing = bucketingOf({ windowStart: window.start, granularity, timeZone });
  const cohorts: Cohort[] = [];
  if (end <= bucketing.windowStart) return cohorts;
  const last = bucketing.indexOf(end - 1);
  if (last + 1 > MAX_COHORTS_PER_WINDOW) {
    throw new RangeError(
      `granularity ${granularity} splits the registration window into ${last + 1} cohorts (at most ${MAX_COHORTS_PER_WINDOW})`,
    );
  }
  for (let index = 0; index <= last; index++) cohorts.push(bucketing.cohort(index));
  return cohorts;
}

/** How many cohorts cohortsOfWindow would return, without building them (0 for an empty window). */
export function cohortCountOfWindow(
  window: { readonly start: string; readonly end: string },
  granularity: string,
  timeZone: string,
): number {
  const end = parseInstant(window.end);
  const bucketing = bucketingOf({ windowStart: window.start, granularity, timeZone });
  return end <= bucketing.windowStart ? 0 : bucketing.indexOf(end - 1) + 1;
}

interface Bucketing {
  readonly windowStart: number;
  /** Index of the bucket holding an instant, 0 for the one holding the window's start. */
  indexOf(ms: number): number;
  cohort(index: number): Cohort;
}

function bucketingOf({ windowStart, granularity, timeZone }: CohortGrouping): Bucketing {
  const start = parseInstant(windowStart);
  const parts = parseDuration(granularity);
  const length = durationMs(granularity);
  if (length <= 0) throw new RangeError(`cohort granularity ${granularity} must be longer than zero`);
  const wholeDays = parts.hours === 0 && parts.minutes === 0 && parts.seconds === 0;
  return wholeDays ? calendarDays(start, parts.days, timeZone) : fixedLength(start, length);
}

function calendarDays(windowStart: number, days: number, timeZone: string): Bucketing {
  // Local dates as day numbers make "how many calendar days apart" plain subtraction.
  const dayNumber = (ms: number) => {
    const w = wallTimeAt(ms, timeZone);
    return Date.UTC(w.year, w.month - 1, w.day) / MS_PER_DAY;
  };
  const firstDay = dayNumber(windowStart);
  return {
    windowStart,
    indexOf: (ms) => Math.floor((dayNumber(ms) - firstDay) / days),
    cohort: (index) => {
      const from = startOfLocalDay(windowStart, timeZone, index * days);
      const to = startOfLocalDay(windowStart, timeZone, (index + 1) * days);
      // The key comes from the day number, not from `from`, which may be 01:00 where midnight is skipped.
      const key = new Date((firstDay + index * days) * MS_PER_DAY).toISOString().slice(0, 10);
      return { key, start: formatInstant(Math.max(from, windowStart)), end: formatInstant(to) };
    },
  };
}

function fixedLength(windowStart: number, length: number): Bucketing {
  // Whole-second window starts give keys without milliseconds; otherwise every key carries them, so that
  // keys of one campaign always have one format and sort as text in time order.
  const withMs = windowStart % 1000 !== 0;
  const keyOf = (ms: number) => (withMs ? formatInstant(ms) : formatInstant(ms).replace(/\.000Z$/, 'Z'));
  return {
    windowStart,
    indexOf: (ms) => Math.floor((ms - windowStart) / length),
    cohort: (index) => {
      const from = windowStart + index * length;
      return { key: keyOf(from), start: formatInstant(from), end: formatInstant(from + length) };
    },
  };
}
