import {
  DurationSchema,
  PositiveDurationSchema,
  durationMs,
  formatDuration,
  parseDuration,
} from '../../../domain/duration';

describe('durationMs', () => {
  it.each([
    ['P30D', 30 * 86_400_000],
    ['PT60S', 60_000],
    ['P1DT12H', 36 * 3_600_000],
    ['PT1H30M', 90 * 60_000],
    ['PT0S', 0],
    ['P1DT2H3M4S', 86_400_000 + 2 * 3_600_000 + 3 * 60_000 + 4_000],
  ])('%s is %d ms', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it.each(['', 'P', 'PT', '30D', 'P1M', 'P1Y', 'P1W', 'PT0.5S', 'PT1S1H', 'P1H', '-P1D', 'p1d', ' P1D'])(
    'refuses %j',
    (text) => {
      expect(() => durationMs(text)).toThrow(/ISO-8601 duration/);
    },
  );

  it('keeps days apart from the time part', () => {
    expect(parseDuration('P2DT3H')).toEqual({ days: 2, hours: 3, minutes: 0, seconds: 0 });
  });
});

describe('formatDuration', () => {
  it.each([
    [0, 'PT0S'],
    [20_000, 'PT20S'],
    [86_400_000, 'P1D'],
    [36 * 3_600_000, 'P1DT12H'],
    [90 * 60_000 + 5_000, 'PT1H30M5S'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(durationMs(text)).toBe(ms);
  });

  it('refuses fractions of a second and negative durations', () => {
    expect(() => formatDuration(500)).toThrow();
    expect(() => formatDuration(-1000)).toThrow();
  });
});

describe('DurationSchema', () => {
  it('keeps the text as written and explains a refusal', () => {
    expect(DurationSchema.parse('P1DT12H')).toBe('P1DT12H');
    const result = DurationSchema.safeParse('1 day');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/ISO-8601 duration.*'P30D'/);
  });

  it('PositiveDurationSchema refuses zero with one clear message', () => {
    expect(PositiveDurationSchema.safeParse('PT0S').error?.issues.map((i) => i.message)).toEqual([
      'Invalid duration: must be longer than zero',
    ]);
    expect(PositiveDurationSchema.safeParse('soon').error?.issues).toHaveLength(1);
    expect(PositiveDurationSchema.parse('PT10S')).toBe('PT10S');
  });
});
