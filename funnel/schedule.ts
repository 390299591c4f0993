// When a cohort's education/engagement step runs: the cohort's start plus the step's offset, moved out of
// quiet hours into the campaign's allowed sending hours (local hours in the campaign's time zone).
// Imported by workflow code: no Node built-ins, no clock, pure functions only.
import { SendingHoursSchema, type SendingHours } from '../domain/sending-hours';
import {
  addDurationInZone,
  firstInstantAtOrAfter,
  formatInstant,
  parseInstant,
  wallAsUtc,
  wallTimeAt,
  type WallTime,
} from '../domain/zoned-time';

/** The hours as seconds since local midnight; throws RangeError when they are not valid sending hours. */
function secondsOf(hours: SendingHours): { from: number; to: number } {
  const parsed = SendingHoursSchema.safeParse(hours);
  if (!parsed.success)
    throw new RangeError(`invalid sending hours ${JSON.stringify(hours)}: ${parsed.error.message}`);
  const toSeconds = (hhmm: string) => Number(hhmm.slice(0, 2)) * 3600 + Number(hhmm.slice(3, 5)) * 60;
  return { from: toSeconds(hours.start), to: toSeconds(hours.end) };
}

function secondOfDay(w: WallTime): number {
  return w.hour * 3600 + w.minute * 60 + w.second;
}

function within(second: number, { from, to }: { from: number; to: number }): boolean {
  return from < to ? second >= from && second < to : second >= from || second < to;
}

export function isWithinSendingHours(iso: string, hours: SendingHours, timeZone: string): boolean {
  return within(secondOfDay(wallTimeAt(parseInstant(iso), timeZone)), secondsOf(hours));
}

/** The instant itself when it is within sending hours, otherwise the next instant at which they open. */
export function nextAllowedInstant(iso: string, hours: SendingHours, timeZone: string): string {
  return formatInstant(nextAllowedMs(parseInstant(iso), hours, timeZone));
}

function nextAllowedMs(ms: number, hours: SendingHours, timeZone: string): number {
  const bounds = secondsOf(hours);
  let t = ms;
  // Once is enough in practice; a second round covers hours that open inside a daylight-saving gap and
  // close before the clocks resume (then the next day's opening is the answer).
  for (let round = 0; round < 3; round++) {
    const wall = wallTimeAt(t, timeZone);
    const second = secondOfDay(wall);
    if (within(second, bounds)) return t;
    // Outside the hours, the next opening is today if it is still ahead on the clock, otherwise tomorrow.
    const day = second < bounds.from ? wall.day : wall.day + 1;
    const opening = wallAt(wall.year, wall.month, day, bounds.from);
    let next = firstInstantAtOrAfter(opening, timeZone);
    // Just after clocks fall back, the opening's first occurrence can lie behind us; the second one is
    // then as far ahead as the clock says, since no other switch follows within hours.
    if (next <= t) next = Math.floor(t / 1000) * 1000 + (wallAsUtc(opening) - wallAsUtc(wall));
    t = next;
  }
  throw new RangeError(`no allowed sending time found after ${formatInstant(ms)} in ${timeZone}`);
}

/** A wall time from a possibly overflowing day of month (day 32 is the next month's first), normalised. */
function wallAt(year: number, month: number, day: number, secondOfDay: number): WallTime {
  const d = new Date(Date.UTC(year, month - 1, day) + secondOfDay * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/**
 * When a plan step runs for a cohort: cohort start + offset, pushed to the next allowed sending time.
 *
 * The cohort's start stands for its members' registration time. A cohort's step is one activity that
 * sends to all its members at once, so members who registered later in the cohort get the step a little
 * earlier relative to their own registration than the offset says; the difference is at most one cohort
 * granularity (a day in production). That is the price of Temporal work growing with cohorts × steps
 * rather than customers × steps (docs/architecture.md, "Workflows").
 *
 * Days in the offset are calendar days in the campaign's zone ('P3D' after 09:00 is 09:00 three days
 * later, even across a daylight-saving switch); hours, minutes and seconds are elapsed time.
 */
export function stepDueAt(
  cohortStartIso: string,
  offset: string,
  sendingHours: SendingHours,
  timeZone: string,
): string {
  const due = addDurationInZone(parseInstant(cohortStartIso), offset, timeZone);
  return formatInstant(nextAllowedMs(due, sendingHours, timeZone));
}
