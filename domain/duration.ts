// ISO-8601 durations as the campaign data writes them ('P30D', 'PT60S', 'P1DT12H'), limited to days,
// hours, minutes and whole seconds. Years, months and weeks are refused on purpose: a month has no fixed
// length, and a period or offset must mean the same thing to the marketer, the API and the workflow.
// Imported by workflow code: no Node built-ins, no clock, pure functions only.
import { z } from 'zod';

/** A parsed duration. `days` are kept apart from the time part so that callers may add them as calendar days. */
export interface DurationParts {
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
export const MS_PER_DAY = 24 * MS_PER_HOUR;

// Each component is optional but at least one must be present, and a 'T' must be followed by a time component.
const DURATION = /^P(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

const DURATION_HELP =
  "must be an ISO-8601 duration in days, hours, minutes and whole seconds, e.g. 'P30D', 'PT12H', 'P1DT12H', 'PT60S'";

export class DurationError extends Error {}

/** Parses the text, or returns undefined when it is not a supported duration. */
function tryParse(text: string): DurationParts | undefined {
  const match = DURATION.exec(text);
  if (!match || text === 'P') return undefined;
  const [, days, hours, minutes, seconds] = match;
  const parts = { days: num(days), hours: num(hours), minutes: num(minutes), seconds: num(seconds) };
  // Guards against absurd digit strings that would lose precision as milliseconds.
  return Number.isSafeInteger(toMs(parts)) ? parts : undefined;
}

function num(digits: string | undefined): number {
  return digits === undefined ? 0 : Number(digits);
}

function toMs(p: DurationParts): number {
  return p.days * MS_PER_DAY + p.hours * MS_PER_HOUR + p.minutes * MS_PER_MINUTE + p.seconds * MS_PER_SECOND;
}

/** Parses a duration into its components; throws DurationError with a readable message when invalid. */
export function parseDuration(text: string): DurationParts {
  const parts = tryParse(text);
  if (!parts) throw new DurationError(`"${text}" ${DURATION_HELP}`);
  return parts;
}

/** The duration as elapsed milliseconds, a day counting as exactly 24 hours. */
export function durationMs(text: string): number {
  return toMs(parseDuration(text));
}

/** The time part (hours, minutes, seconds) only, in milliseconds. */
export function timePartMs(parts: DurationParts): number {
  return toMs({ ...parts, days: 0 });
}

/** Formats milliseconds (a non-negative whole number of seconds) as the canonical duration text, e.g. 'P1DT12H'. */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms % MS_PER_SECOND !== 0) {
    throw new DurationError(`${ms} ms is not a non-negative whole number of seconds`);
  }
  const days = Math.floor(ms / MS_PER_DAY);
  const hours = Math.floor((ms % MS_PER_DAY) / MS_PER_HOUR);
  const minutes = Math.floor((ms % MS_PER_HOUR) / MS_PER_MINUTE);
  const seconds = (ms % MS_PER_MINUTE) / MS_PER_SECOND;
  const date = days > 0 ? `${days}D` : '';
  const time = `${hours > 0 ? `${hours}H` : ''}${minutes > 0 ? `${minutes}M` : ''}${seconds > 0 ? `${seconds}S` : ''}`;
  if (date === '' && time === '') return 'PT0S';
  return `P${date}${time === '' ? '' : `T${time}`}`;
}

/** A duration string (kept as written, so stored campaign data round-trips unchanged). */
export const DurationSchema = z.string().refine((text) => tryParse(text) !== undefined, {
  message: `Invalid duration: ${DURATION_HELP}`,
});

/** A duration longer than zero (for periods and cohort granularities, where zero makes no sense). */
export const PositiveDurationSchema = DurationSchema.refine(
  (text) => {
    const parts = tryParse(text);
    // An unparsable text is already reported by DurationSchema; don't add a second message.
    return parts === undefined || toMs(parts) > 0;
  },
  { message: 'Invalid duration: must be longer than zero' },
);

/**
 * A duration inside [min, max] (both duration texts, inclusive): the schema that accepts a duration
 * states its range, so that no later arithmetic (cohorts, timers, verification rounds) meets a value it
 * cannot handle. An unparsable text gets the format message only.
 */
export function durationInRange(min: string, max: string) {
  const [minMs, maxMs] = [durationMs(min), durationMs(max)];
  return z.string().superRefine((text, ctx) => {
    const parts = tryParse(text);
    if (parts === undefined) {
      ctx.addIssue({ code: 'custom', message: `Invalid duration: ${DURATION_HELP}` });
      return;
    }
    const ms = toMs(parts);
    if (ms < minMs || ms > maxMs) {
      ctx.addIssue({
        code: 'custom',
        message: `Invalid duration: must be between ${min} and ${max}`,
        params: { reason: 'out_of_range' },
      });
    }
  });
}
