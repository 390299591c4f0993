import {
  addDurationInZone,
  firstInstantAtOrAfter,
  offsetAt,
  parseInstant,
  startOfLocalDay,
  wallTimeAt,
} from '../../../domain/zoned-time';

const NY = 'America/New_York';
const SH = 'Asia/Shanghai';
const iso = (ms: number) => new Date(ms).toISOString();
const wall = (year: number, month: number, day: number, hour = 0, minute = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second: 0,
});

describe('zoned time', () => {
  it('reads the local wall clock, midnight as hour 0', () => {
    expect(wallTimeAt(parseInstant('2026-11-25T16:00:00Z'), SH)).toEqual(wall(2026, 11, 26, 0, 0));
    expect(offsetAt(parseInstant('2026-01-15T12:00:00Z'), NY)).toBe(-5 * 3_600_000);
    expect(offsetAt(parseInstant('2026-07-15T12:00:00Z'), NY)).toBe(-4 * 3_600_000);
  });

  it('refuses instants without an offset, which would be read in the host zone', () => {
    expect(() => parseInstant('2026-11-26T10:00:00')).toThrow(RangeError);
    expect(() => parseInstant('2026-11-26')).toThrow(RangeError);
    expect(parseInstant('2026-11-26T18:00:00+08:00')).toBe(Date.UTC(2026, 10, 26, 10));
  });

  it('resolves a wall time skipped by spring-forward to the switch itself', () => {
    // 2026-03-08: New York clocks jump from 02:00 EST to 03:00 EDT (07:00Z).
    expect(iso(firstInstantAtOrAfter(wall(2026, 3, 8, 2, 30), NY))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(firstInstantAtOrAfter(wall(2026, 3, 8, 3, 0), NY))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(firstInstantAtOrAfter(wall(2026, 3, 8, 1, 59), NY))).toBe('2026-03-08T06:59:00.000Z');
  });

  it('resolves a wall time repeated by fall-back to its first occurrence', () => {
    // 2026-11-01: 01:00-02:00 happens twice in New York, first in EDT (-4), then in EST (-5).
    expect(iso(firstInstantAtOrAfter(wall(2026, 11, 1, 1, 30), NY))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('a local day lasts 23 or 25 hours across a switch', () => {
    const march8 = startOfLocalDay(parseInstant('2026-03-08T12:00:00Z'), NY);
    expect(startOfLocalDay(march8, NY, 1) - march8).toBe(23 * 3_600_000);
    const nov1 = startOfLocalDay(parseInstant('2026-11-01T12:00:00Z'), NY);
    expect(startOfLocalDay(nov1, NY, 1) - nov1).toBe(25 * 3_600_000);
  });

  it('adds days as calendar days and the time part as elapsed time', () => {
    const saturday9am = parseInstant('2026-03-07T09:00:00-05:00');
    expect(iso(addDurationInZone(saturday9am, 'P1D', NY))).toBe('2026-03-08T13:00:00.000Z'); // 09:00 EDT
    expect(iso(addDurationInZone(saturday9am, 'PT24H', NY))).toBe('2026-03-08T14:00:00.000Z'); // 10:00 EDT
    const shanghai = parseInstant('2026-11-26T09:00:00+08:00');
    expect(addDurationInZone(shanghai, 'P3DT2H', SH) - shanghai).toBe(74 * 3_600_000);
  });
});
