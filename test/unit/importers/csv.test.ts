// The history importers' CSV reader: RFC 4180 quoting, separators, line ends, BOM, malformed records
// reported per record with line numbers, and invalid UTF-8 found by line.
import { decodeUtf8, parseCsv, parseCsvBytes } from '../../../importers/csv';

const fields = (text: string, separator?: string) =>
  parseCsv(text, separator === undefined ? {} : { separator }).map((record) => record.fields);

describe('parseCsv', () => {
  it('splits plain records on commas and any line end (LF, CRLF, CR)', () => {
    expect(fields('a,b,c\n1,2,3\r\n4,5,6\r7,8,9')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
      ['4', '5', '6'],
      ['7', '8', '9'],
    ]);
  });

  it('keeps separators, doubled quotes and line breaks inside quoted fields', () => {
    const records = parseCsv('name,note\n"Smith, J","said ""hi""\nthen left"\nx,y\n');
    expect(records.map((r) => r.fields)).toEqual([
      ['name', 'note'],
      ['Smith, J', 'said "hi"\nthen left'],
      ['x', 'y'],
    ]);
    // The quoted line break makes the second record span lines 2–3, so the next one starts on line 4.
    expect(records.map((r) => [r.line, r.endLine])).toEqual([
      [1, 1],
      [2, 3],
      [4, 4],
    ]);
    expect(records.every((r) => r.error === undefined)).toBe(true);
  });

  it('uses the configured separator, and commas are then plain text', () => {
    expect(fields('"age";"job"\n58;"admin., senior"', ';')).toEqual([
      ['age', 'job'],
      ['58', 'admin., senior'],
    ]);
  });

  it('keeps empty fields, including a trailing one, and an empty quoted field', () => {
    expect(fields('a,,c,\n"",x,,')).toEqual([
      ['a', '', 'c', ''],
      ['', 'x', '', ''],
    ]);
  });

  it('skips blank lines (they are not one-field records) and a final line end', () => {
    const records = parseCsv('a,b\n\n1,2\r\n\r\n3,4\n');
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [1, ['a', 'b']],
      [3, ['1', '2']],
      [5, ['3', '4']],
    ]);
  });

  it('drops a leading byte-order mark', () => {
    expect(fields('\ufeffa,b\n1,2')[0]).toEqual(['a', 'b']);
  });

  it('reports malformed records with their line, without stopping at them', () => {
    const records = parseCsv('a,b\nx"y,1\n"ok"tail,2\n3,4\n"never closed,5\n6,7');
    expect(records.map((r) => [r.line, r.error ?? null])).toEqual([
      [1, null],
      [2, 'a quote inside unquoted field 1 (quote the field and double the quote)'],
      [3, 'text after a closing quote in field 1'],
      [4, null],
      [5, 'a quoted field opened on line 5 is never closed'],
    ]);
  });

  it('refuses a separator that cannot work', () => {
    expect(() => parseCsv('a', { separator: '"' })).toThrow(RangeError);
    expect(() => parseCsv('a', { separator: ';;' })).toThrow(RangeError);
  });
});

describe('UTF-8', () => {
  it('decodes valid UTF-8 (and drops its BOM) with no invalid lines', () => {
    const bytes = Buffer.from('\ufeffcity,tier\n上海,tier1\n');
    expect(decodeUtf8(bytes)).toEqual({ text: 'city,tier\n上海,tier1\n', invalidLines: [] });
  });

  it('finds the lines that are not UTF-8 and marks the records on them', () => {
    const bytes = Buffer.concat([
      Buffer.from('a,b\n1,2\n'),
      Buffer.from([0x4d, 0xfc, 0x6e, 0x2c, 0x33, 0x0a]), // "Mün,3" in Latin-1
      Buffer.from('"multi\nline",4\n"bad '),
      Buffer.from([0xc3]), // a truncated two-byte sequence inside a quoted field spanning lines 6–7
      Buffer.from('\nfield",5\nok,6\n'),
    ]);
    expect(decodeUtf8(bytes).invalidLines).toEqual([3, 6]);
    const records = parseCsvBytes(bytes);
    expect(records.map((r) => [r.line, r.error ?? null])).toEqual([
      [1, null],
      [2, null],
      [3, 'line 3 is not valid UTF-8 (save the file as UTF-8)'],
      [4, null],
      [6, 'line 6 is not valid UTF-8 (save the file as UTF-8)'],
      [8, null],
    ]);
  });
});
