// CSV export: RFC 4180 quoting, header row, money in minor and major units, undefined cells.
import { buildEvaluation, csvField, CSV_COLUMNS, renderCsv, toCsv } from '../../../evaluation';
import type { EvaluationInput } from '../../../evaluation';

/** A small RFC 4180 reader written for the test, independent of the writer. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += char;
  }
  expect(field).toBe('');
  expect(record).toEqual([]);
  return records;
}

describe('CSV quoting', () => {
  it('quotes only fields that need it, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('12.50')).toBe('12.50');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('')).toBe('');
  });

  it('ends every record with CRLF and round-trips awkward values', () => {
    const records = [
      ['h1', 'h2'],
      ['a,b', 'say "hi"'],
      ['multi\r\nline', ''],
    ];
    const text = renderCsv(records);
    expect(text.startsWith('h1,h2\r\n"a,b","say ""hi"""\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual(records);
  });
});

describe('toCsv', () => {
  const input: EvaluationInput = {
    currency: 'CNY',
    controlGroup: null,
    registrations: [
      {
        channelId: 'wechat, "official"',
        materialVariant: 'first-order',
        cohortKey: '2024-05-01',
        group: 'treatment',
        registrations: 3,
        activated: 1,
        periodRevenueMinor: 1001,
      },
      {
        channelId: 'branch',
        materialVariant: 'first-order',
        cohortKey: '2024-05-01',
        group: 'treatment',
        registrations: 2,
        activated: 0,
        periodRevenueMinor: 0,
      },
    ],
    flagged: [],
    costs: [
      {
        scope: 'acquisition',
        category: 'placement_fee',
        channelId: 'wechat, "official"',
        materialVariant: 'first-order',
        cohortKey: null,
        amountMinor: 1000,
      },
    ],
    placements: [{ channelId: 'wechat, "official"', materialVariant: 'first-order', placements: 1 }],
    timeToActivate: [
      { dimension: 'channel', key: 'wechat, "official"', medianSeconds: 3600, p90Seconds: 7200 },
    ],
  };
  const report = buildEvaluation(input);

  it('writes a header and one record per row, readable back', () => {
    const records = parseCsv(toCsv(report.byChannel));
    expect(records[0]).toEqual([...CSV_COLUMNS]);
    expect(records).toHaveLength(3);
    const rows = records
      .slice(1)
      .map((record) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, record[i]])));
    const [branch, wechat] = rows;
    expect(wechat).toMatchObject({
      dimension: 'channel',
      key: 'wechat, "official"',
      currency: 'CNY',
      placements: '1',
      registrationsValid: '3',
      activated: '1',
      registrationsPerPlacement: '3.000000',
      activationRate: '0.333333',
      acquisitionCostMinor: '1000',
      acquisitionCostMajor: '10.00',
      periodCostMinor: '0',
      revenueMinor: '1001',
      revenueMajor: '10.01',
      cacMinor: '333.3333',
      cacMajor: '3.333333',
      aacMinor: '1000.0000',
      aacMajor: '10.000000',
      revenuePerCustomerMinor: '333.6667',
      revenuePerCustomerMajor: '3.336667',
      lroi: '',
      roi: '0.001000',
      timeToActivateMedianSeconds: '3600',
      timeToActivateP90Seconds: '7200',
      impressions: '',
      clicks: '',
      clickThroughRate: '',
      registrationsStarted: '',
      undefinedReasons:
        'clickThroughRate:not_reported;registrationsPerClick:not_reported;startsPerClick:not_reported;' +
        'registrationsPerStart:not_reported;lroi:zero_cost',
    });
    expect(branch).toMatchObject({
      key: 'branch',
      placements: '0',
      registrationsPerPlacement: '',
      cacMinor: '0.0000',
      aacMinor: '',
      aacMajor: '',
      timeToActivateMedianSeconds: '',
      undefinedReasons:
        'registrationsPerPlacement:no_placements;clickThroughRate:not_reported;registrationsPerClick:not_reported;' +
        'startsPerClick:not_reported;registrationsPerStart:not_reported;aac:no_activations;lroi:zero_cost;roi:zero_cost',
    });
  });

  it('leaves placements empty on cohort rows', () => {
    const [, cohort] = parseCsv(toCsv(report.byCohort));
    expect(cohort?.[CSV_COLUMNS.indexOf('placements')]).toBe('');
    expect(cohort?.[CSV_COLUMNS.indexOf('undefinedReasons')]).toContain(
      'registrationsPerPlacement:not_attributable',
    );
  });
});
