import { MAX_COHORTS_PER_WINDOW, cohortFor, cohortLookup, cohortsOfWindow } from '../../../domain/cohort';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';

describe('cohortFor', () => {
  const daily = { windowStart: '2026-11-26T10:00:00+08:00', granularity: 'P1D', timeZone: SH };

  it('buckets by local calendar day in the campaign zone', () => {
    // 23:59 Shanghai is 15:59Z: still the 26th there, though 16:00Z is the 27th.
    expect(cohortFor('2026-11-26T15:59:59Z', daily)).toEqual({
      key: '2026-11-26',
      start: '2026-11-26T02:00:00.000Z', // clamped to the window's start
      end: '2026-11-26T16:00:00.000Z',
    });
    expect(cohortFor('2026-11-26T16:00:00Z', daily)).toEqual({
      key: '2026-11-27',
      start: '2026-11-26T16:00:00.000Z',
      end: '2026-11-27T16:00:00.000Z',
    });
  });

  it('counts multi-day buckets from the day the window opens', () => {
    const weekly = { ...daily, granularity: 'P7D' };
    expect(cohortFor('2026-12-02T23:00:00+08:00', weekly).key).toBe('2026-11-26');
    expect(cohortFor('2026-12-03T00:00:00+08:00', weekly)).toEqual({
      key: '2026-12-03',
      start: '2026-12-02T16:00:00.000Z',
      end: '2026-12-09T16:00:00.000Z',
    });
  });

  it('aligns sub-day buckets to the window start', () => {
    const tenSeconds = { windowStart: '2026-11-26T10:00:00Z', granularity: 'PT10S', timeZone: SH };
    expect(cohortFor('2026-11-26T10:00:13.500Z', tenSeconds)).toEqual({
      key: '2026-11-26T10:00:10Z',
      start: '2026-11-26T10:00:10.000Z',
      end: '2026-11-26T10:00:20.000Z',
    });
    expect(cohortFor('2026-11-26T10:00:20Z', tenSeconds).key).toBe('2026-11-26T10:00:20Z');
    const sixHours = { windowStart: '2026-11-26T10:30:00+08:00', granularity: 'PT6H', timeZone: SH };
    expect(cohortFor('2026-11-26T17:00:00+08:00', sixHours).start).toBe('2026-11-26T08:30:00.000Z');
  });

  it('refuses registrations before the window and empty granularities', () => {
    expect(() => cohortFor('2026-11-26T01:59:59Z', daily)).toThrow(/before the window/);
    expect(() => cohortFor('2026-11-26T03:00:00Z', { ...daily, granularity: 'PT0S' })).toThrow(RangeError);
  });

  it('gives the same cohort to everyone registered in it (the key is what a cohort workflow id uses)', () => {
    const a = cohortFor('2026-11-27T00:00:01+08:00', daily);
    const b = cohortFor('2026-11-27T23:59:59+08:00', daily);
    expect(b).toEqual(a);
  });
});

describe('cohortLookup', () => {
  it('gives what cohortFor gives, for day and sub-day cohorts, across a daylight-saving switch', () => {
    const groupings = [
      { windowStart: '2026-11-26T10:00:00+08:00', granularity: 'P1D', timeZone: SH },
      { windowStart: '2026-03-06T09:30:00-05:00', granularity: 'P1D', timeZone: NY },
      { windowStart: '2026-11-26T10:00:00.250Z', granularity: 'PT20S', timeZone: SH },
    ];
    for (const grouping of groupings) {
      const cohortOf = cohortLookup(grouping);
      const start = Date.parse(grouping.windowStart);
      // Every 7 hours and 13 seconds over 4 days, each instant twice (the second answer from the cache).
      for (let ms = start; ms < start + 4 * 86_400_000; ms += 7 * 3_600_000 + 13_000) {
        const expected = cohortFor(new Date(ms).toISOString(), grouping);
        expect(cohortOf(ms)).toEqual(expected);
        expect(cohortOf(ms)).toEqual(expected);
      }
    }
  });

  it('refuses registrations before the window, as cohortFor does', () => {
    const cohortOf = cohortLookup({ windowStart: '2026-11-26T10:00:00Z', granularity: 'P1D', timeZone: SH });
    expect(() => cohortOf(Date.parse('2026-11-26T09:59:59Z'))).toThrow(RangeError);
  });
});

describe('cohortsOfWindow', () => {
  it('lists every day the window touches, in order, with the same bounds cohortFor gives', () => {
    const window = { start: '2026-11-26T10:00:00+08:00', end: '2026-11-29T12:00:00+08:00' };
    const cohorts = cohortsOfWindow(window, 'P1D', SH);
    expect(cohorts.map((c) => c.key)).toEqual(['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    expect(cohorts[2]).toEqual(
      cohortFor('2026-11-28T12:00:00+08:00', { windowStart: window.start, granularity: 'P1D', timeZone: SH }),
    );
  });

  it('does not list a day the window ends exactly at', () => {
    const keys = cohortsOfWindow(
      { start: '2026-11-26T00:00:00+08:00', end: '2026-11-28T00:00:00+08:00' },
      'P1D',
      SH,
    );
    expect(keys.map((c) => c.key)).toEqual(['2026-11-26', '2026-11-27']);
  });

  it('has keys that sort in time order', () => {
    const cohorts = cohortsOfWindow(
      { start: '2026-11-26T10:00:00Z', end: '2026-11-26T10:02:00Z' },
      'PT10S',
      SH,
    );
    expect(cohorts).toHaveLength(12);
    const keys = cohorts.map((c) => c.key);
    expect([...keys].sort()).toEqual(keys);
    expect(keys[0]).toBe('2026-11-26T10:00:00Z');
    expect(cohorts[11]?.end).toBe('2026-11-26T10:02:00.000Z');
  });

  it('gives days of 23 and 25 hours across daylight-saving switches', () => {
    const spring = cohortsOfWindow(
      { start: '2026-03-07T00:00:00-05:00', end: '2026-03-10T00:00:00-04:00' },
      'P1D',
      NY,
    );
    const hours = (c: { start: string; end: string }) =>
      (Date.parse(c.end) - Date.parse(c.start)) / 3_600_000;
    expect(spring.map((c) => [c.key, hours(c)])).toEqual([
      ['2026-03-07', 24],
      ['2026-03-08', 23],
      ['2026-03-09', 24],
    ]);
    const autumn = cohortsOfWindow(
      { start: '2026-11-01T00:00:00-04:00', end: '2026-11-02T00:00:00-05:00' },
      'P1D',
      NY,
    );
    expect(autumn.map((c) => [c.key, hours(c)])).toEqual([['2026-11-01', 25]]);
  });

  it('is empty for an empty window and refuses absurd splits', () => {
    expect(
      cohortsOfWindow({ start: '2026-11-26T10:00:00Z', end: '2026-11-26T10:00:00Z' }, 'P1D', SH),
    ).toEqual([]);
    expect(() =>
      cohortsOfWindow({ start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' }, 'PT1S', SH),
    ).toThrow(new RegExp(`at most ${MAX_COHORTS_PER_WINDOW}`));
  });
});
