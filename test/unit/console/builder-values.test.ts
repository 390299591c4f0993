// The campaign builder's conversions (console/js/builder/values.js): wall-clock times in the campaign's
// time zone become instants with that zone's offset, money typed in major units becomes exact integer
// minor units (refusing more decimals than the currency has), percentages become shares, amounts and
// units become ISO durations. The module is a browser ES module: a child Node process runs it.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const VALUES = pathToFileURL(path.resolve(__dirname, '../../../console/js/builder/values.js')).href;

/** Calls each `[name, ...args]` in the module and returns the results (JSON; bigint-free by design). */
function call(calls: unknown[][]): unknown[] {
  const script = `const m = await import(${JSON.stringify(VALUES)});
const calls = ${JSON.stringify(calls)};
process.stdout.write(JSON.stringify(calls.map(([name, ...args]) => {
  const value = m[name](...args.map((a) => (a && a.__date ? new Date(a.__date) : a)));
  return Number.isNaN(value) ? 'NaN' : value;
})));`;
  return JSON.parse(
    execFileSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    }),
  );
}

describe('the builder values', () => {
  it('reads a wall-clock time in the campaign time zone, with that zone’s offset', () => {
    expect(
      call([
        ['zonedIso', '2026-03-01T09:00', 'Asia/Shanghai'],
        ['zonedIso', '2026-07-01T09:30', 'Europe/London'], // summer time: +01:00
        ['zonedIso', '2026-01-15T23:59', 'Europe/London'],
        ['zonedIso', '2026-03-01T09:00', 'UTC'],
        ['zonedIso', '', 'Asia/Shanghai'],
        ['zonedIso', 'not a date', 'Asia/Shanghai'],
      ]),
    ).toEqual([
      '2026-03-01T09:00:00+08:00',
      '2026-07-01T09:30:00+01:00',
      '2026-01-15T23:59:00+00:00',
      '2026-03-01T09:00:00+00:00',
      null,
      null,
    ]);
  });

  it('shows an instant as the wall clock of the campaign time zone (the inverse)', () => {
    expect(
      call([
        ['toLocalInput', { __date: '2026-03-01T01:00:00Z' }, 'Asia/Shanghai'],
        ['toLocalInput', { __date: '2026-07-01T08:30:00Z' }, 'Europe/London'],
      ]),
    ).toEqual(['2026-03-01T09:00', '2026-07-01T09:30']);
  });

  it('turns major-unit amounts into exact minor units, refusing what the currency cannot hold', () => {
    expect(
      call([
        ['toMinor', '12.5', 'CNY'],
        ['toMinor', '0.10', 'CNY'],
        ['toMinor', '1,234.56', 'CNY'],
        ['toMinor', '100', 'JPY'],
        ['toMinor', '1.5', 'JPY'],
        ['toMinor', '12.345', 'CNY'],
        ['toMinor', '-5', 'CNY'],
        ['toMinor', '', 'CNY'],
        ['toMinor', '99999999999999999', 'CNY'],
        ['toMinor', '0.1', 'KWD'],
      ]),
    ).toEqual([1250, 10, 123456, 100, null, null, null, null, null, 100]);
  });

  it('turns percentages into shares and amounts with units into ISO durations', () => {
    expect(
      call([
        ['toShare', '30'],
        ['toShare', '12.5'],
        ['toShare', 'ten'],
        ['isoDuration', { amount: '30', unit: 'S' }],
        ['isoDuration', { amount: '2', unit: 'H' }],
        ['isoDuration', { amount: '30', unit: 'D' }],
        ['durationMillis', { amount: '10', unit: 'M' }],
        ['durationMillis', { amount: '1.5', unit: 'D' }],
      ]),
    ).toEqual([0.3, 0.125, null, 'PT30S', 'PT2H', 'P30D', 600_000, 'NaN']);
  });
});
