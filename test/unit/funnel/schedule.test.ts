import { ALWAYS, SendingHoursSchema } from '../../../domain/sending-hours';
import { isWithinSendingHours, nextAllowedInstant, stepDueAt } from '../../../funnel/schedule';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';
const DAYTIME = { start: '09:00', end: '21:00' };
const NIGHT = { start: '20:00', end: '08:00' }; // wraps midnight

describe('isWithinSendingHours', () => {
  it('uses local hours, start inclusive and end exclusive', () => {
    expect(isWithinSendingHours('2026-11-26T09:00:00+08:00', DAYTIME, SH)).toBe(true);
    expect(isWithinSendingHours('2026-11-26T08:59:59+08:00', DAYTIME, SH)).toBe(false);
    expect(isWithinSendingHours('2026-11-26T20:59:59+08:00', DAYTIME, SH)).toBe(true);
    expect(isWithinSendingHours('2026-11-26T21:00:00+08:00', DAYTIME, SH)).toBe(false);
    // 01:00Z is 09:00 in Shanghai.
    expect(isWithinSendingHours('2026-11-26T01:00:00Z', DAYTIME, SH)).toBe(true);
  });

  it('handles hours that wrap midnight', () => {
    expect(isWithinSendingHours('2026-11-26T23:30:00+08:00', NIGHT, SH)).toBe(true);
    expect(isWithinSendingHours('2026-11-26T03:00:00+08:00', NIGHT, SH)).toBe(true);
    expect(isWithinSendingHours('2026-11-26T08:00:00+08:00', NIGHT, SH)).toBe(false);
    expect(isWithinSendingHours('2026-11-26T12:00:00+08:00', NIGHT, SH)).toBe(false);
  });

  it("treats '00:00'–'24:00' as any time", () => {
    for (const hour of ['00', '06', '12', '23']) {
      expect(isWithinSendingHours(`2026-11-26T${hour}:59:59+08:00`, ALWAYS, SH)).toBe(true);
    }
  });

  it('refuses malformed or empty hours', () => {
    expect(SendingHoursSchema.safeParse({ start: '9:00', end: '21:00' }).success).toBe(false);
    expect(SendingHoursSchema.safeParse({ start: '24:00', end: '08:00' }).success).toBe(false);
    expect(SendingHoursSchema.safeParse({ start: '08:00', end: '08:00' }).error?.issues[0]?.message).toMatch(
      /'00:00'–'24:00'/,
    );
    expect(() => isWithinSendingHours('2026-11-26T01:00:00Z', { start: '08:00', end: '25:00' }, SH)).toThrow(
      RangeError,
    );
  });
});

describe('nextAllowedInstant', () => {
  it('leaves an allowed instant alone', () => {
    expect(nextAllowedInstant('2026-11-26T10:15:30+08:00', DAYTIME, SH)).toBe('2026-11-26T02:15:30.000Z');
  });

  it('moves early-morning quiet hours to the same morning, late-evening ones to the next morning', () => {
    expect(nextAllowedInstant('2026-11-26T06:00:00+08:00', DAYTIME, SH)).toBe('2026-11-26T01:00:00.000Z');
    expect(nextAllowedInstant('2026-11-26T22:00:00+08:00', DAYTIME, SH)).toBe('2026-11-27T01:00:00.000Z');
    // Across a month end.
    expect(nextAllowedInstant('2026-11-30T21:00:00+08:00', DAYTIME, SH)).toBe('2026-12-01T01:00:00.000Z');
  });

  it('moves the daytime gap of wrapping hours to the evening', () => {
    expect(nextAllowedInstant('2026-11-26T08:00:00+08:00', NIGHT, SH)).toBe('2026-11-26T12:00:00.000Z');
    expect(nextAllowedInstant('2026-11-26T19:59:59+08:00', NIGHT, SH)).toBe('2026-11-26T12:00:00.000Z');
  });

  it('opens at local 09:00 on both sides of a daylight-saving switch', () => {
    // Sunday 2026-03-08 New York springs forward: 09:00 is 13:00Z that day, 14:00Z the day before.
    expect(nextAllowedInstant('2026-03-07T23:00:00-05:00', DAYTIME, NY)).toBe('2026-03-08T13:00:00.000Z');
    expect(nextAllowedInstant('2026-03-07T05:00:00-05:00', DAYTIME, NY)).toBe('2026-03-07T14:00:00.000Z');
    // Sunday 2026-11-01 falls back: 09:00 is 14:00Z that day.
    expect(nextAllowedInstant('2026-10-31T22:00:00-04:00', DAYTIME, NY)).toBe('2026-11-01T14:00:00.000Z');
  });

  it('opens at the switch when the opening time is skipped by spring-forward', () => {
    // 02:30 does not exist on 2026-03-08 in New York; the first allowed instant is 03:00 EDT (07:00Z).
    expect(nextAllowedInstant('2026-03-08T01:00:00-05:00', { start: '02:30', end: '05:00' }, NY)).toBe(
      '2026-03-08T07:00:00.000Z',
    );
    // Hours entirely inside the skipped hour are closed that day: the next day's opening.
    expect(nextAllowedInstant('2026-03-08T01:00:00-05:00', { start: '02:10', end: '02:40' }, NY)).toBe(
      '2026-03-09T06:10:00.000Z',
    );
  });

  it('never goes back in time when the clocks fall back', () => {
    // 01:30 EST (06:30Z) on 2026-11-01 comes after the first 01:45 (EDT, 05:45Z): the answer is 01:45 EST.
    expect(nextAllowedInstant('2026-11-01T01:30:00-05:00', { start: '01:45', end: '05:00' }, NY)).toBe(
      '2026-11-01T06:45:00.000Z',
    );
  });
});

describe('stepDueAt', () => {
  it('is cohort start + offset when that is within sending hours', () => {
    expect(stepDueAt('2026-11-26T00:00:00+08:00', 'P1DT10H', DAYTIME, SH)).toBe('2026-11-27T02:00:00.000Z');
    expect(stepDueAt('2026-11-26T10:00:10Z', 'PT20S', ALWAYS, SH)).toBe('2026-11-26T10:00:30.000Z');
  });

  it('pushes a step out of quiet hours', () => {
    // Day 1 after a midnight cohort start is midnight: pushed to 09:00.
    expect(stepDueAt('2026-11-26T00:00:00+08:00', 'P1D', DAYTIME, SH)).toBe('2026-11-27T01:00:00.000Z');
    expect(stepDueAt('2026-11-26T00:00:00+08:00', 'P3D', NIGHT, SH)).toBe('2026-11-28T16:00:00.000Z');
    expect(stepDueAt('2026-11-26T12:00:00+08:00', 'P1D', NIGHT, SH)).toBe('2026-11-27T12:00:00.000Z');
  });

  it('keeps the local time of day when days cross a daylight-saving switch', () => {
    // 10:00 EST Saturday + 1 day = 10:00 EDT Sunday (14:00Z), not 11:00 EDT.
    expect(stepDueAt('2026-03-07T10:00:00-05:00', 'P1D', DAYTIME, NY)).toBe('2026-03-08T14:00:00.000Z');
    // 10:00 EDT Saturday + 1 day = 10:00 EST Sunday (15:00Z).
    expect(stepDueAt('2026-10-31T10:00:00-04:00', 'P1D', DAYTIME, NY)).toBe('2026-11-01T15:00:00.000Z');
    // A New York midnight cohort's day-7 step, pushed to 09:00 local after the switch.
    expect(stepDueAt('2026-03-05T00:00:00-05:00', 'P7D', DAYTIME, NY)).toBe('2026-03-12T13:00:00.000Z');
  });
});
