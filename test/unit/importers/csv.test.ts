// The history importers' CSV reader: RFC 4180 quoting, separators, line ends, BOM, malformed records
// reported per record with line numbers, and invalid UTF-8 found by line — read as a stream, so every
// case is also read one byte at a time to show that where the chunks fall changes nothing.
import { Readable } from 'node:stream';
import { decodeUtf8Lines, readCsv, type CsvOptions, type CsvRecord } from '../../../importers/csv';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Reads whole and one byte at a time; both must agree. */
async function parseCsvBytes(bytes: Uint8Array, options: CsvOptions = {}): Promise<CsvRecord[]> {
  const whole = await collect(readCsv(Readable.from([Buffer.from(bytes)]), options));
  const byteByByte = await collect(
    readCsv(Readable.from(Array.from(bytes, (byte) => Buffer.from([byte]))), options),
  );
  expect(byteByByte).toEqual(whole);
  return whole;
}
const parseCsv = (text: string, options: CsvOptions = {}) => parseCsvBytes(Buffer.from(text), options);

const fields = async (text: string, separator?: string) =>
  (await parseCsv(text, separator === undefined ? {} : { separator })).map((record) => record.fields);

describe('parseCsv', () => {
  it('splits plain records on commas and any line end (LF, CRLF, CR)', async () => {
    expect(await fields('a,b,c\n1,2,3\r\n4,5,6\r7,8,9')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
      ['4', '5', '6'],
      ['7', '8', '9'],
    ]);
  });

  it('keeps separators, doubled quotes and line breaks inside quoted fields', async () => {
    const records = await parseCsv('name,note\n"Smith, J","said ""hi""\nthen left"\nx,y\n');
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

  it('uses the configured separator, and commas are then plain text', async () => {
    expect(await fields('"age";"job"\n58;"admin., senior"', ';')).toEqual([
      ['age', 'job'],
      ['58', 'admin., senior'],
    ]);
  });

  it('keeps empty fields, including a trailing one, and an empty quoted field', async () => {
    expect(await fields('a,,c,\n"",x,,')).toEqual([
      ['a', '', 'c', ''],
      ['', 'x', '', ''],
    ]);
  });

  it('skips blank lines (they are not one-field records) and a final line end', async () => {
    const records = await parseCsv('a,b\n\n1,2\r\n\r\n3,4\n');
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [1, ['a', 'b']],
      [3, ['1', '2']],
      [5, ['3', '4']],
    ]);
  });

  it('drops a leading byte-order mark, and only a leading one (also after a short first line)', async () => {
    expect(await fields('a\n\ufeffb\n')).toEqual([['a'], ['\ufeffb']]);
    expect((await fields('\ufeffa,b\n1,2'))[0]).toEqual(['a', 'b']);
  });

  it('reports malformed records with their line, without stopping at them', async () => {
    const records = await parseCsv('a,b\nx"y,1\n"ok"tail,2\n3,4\n"never closed,5\n6,7');
    expect(records.map((r) => [r.line, r.error ?? null])).toEqual([
      [1, null],
      [2, 'a quote inside unquoted field 1 (quote the field and double the quote)'],
      [3, 'text after a closing quote in field 1'],
      [4, null],
      [5, 'a quoted field opened on line 5 is never closed'],
    ]);
  });

  it('finds a bad record among thousands (read in batches) and reads the records after it', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => (i === 1700 ? 'x"y,1' : `r${i},"q\r\n${i}"`));
    const records = await collect(readCsv(Readable.from([Buffer.from(`a,b\r\n${rows.join('\r\n')}\r\n`)])));
    expect(records).toHaveLength(2501);
    // Each data record spans two lines (a quoted CRLF), so row i starts on line 2 + 2i — the bad one
    // is on one line, so the rows after it start a line earlier.
    const bad = records.filter((record) => record.error !== undefined);
    expect(bad.map((record) => record.line)).toEqual([2 + 2 * 1700]);
    expect(records[1702]).toEqual({
      line: 1 + 2 * 1701,
      endLine: 2 + 2 * 1701,
      fields: ['r1701', 'q\r\n1701'],
    });
    expect(records[2500]?.fields).toEqual(['r2499', 'q\r\n2499']);
  });

  it('refuses a separator that cannot work', async () => {
    await expect(parseCsv('a', { separator: '"' })).rejects.toThrow(RangeError);
    await expect(parseCsv('a', { separator: ';;' })).rejects.toThrow(RangeError);
  });
});

describe('UTF-8', () => {
  it('decodes valid UTF-8 (and drops its BOM) with no invalid lines', async () => {
    const bytes = Buffer.from('\ufeffcity,tier\n上海,tier1\n');
    // One byte at a time: the BOM and the three-byte characters are split across chunks.
    const chunks = await collect(decodeUtf8Lines(Readable.from(Array.from(bytes, (b) => Buffer.from([b])))));
    expect(chunks.map((chunk) => chunk.text).join('')).toBe('city,tier\n上海,tier1\n');
    expect(chunks.flatMap((chunk) => chunk.invalidLines)).toEqual([]);
  });

  it('finds the lines that are not UTF-8 and marks the records on them', async () => {
    const bytes = Buffer.concat([
      Buffer.from('a,b\n1,2\n'),
      Buffer.from([0x4d, 0xfc, 0x6e, 0x2c, 0x33, 0x0a]), // "Mün,3" in Latin-1
      Buffer.from('"multi\nline",4\n"bad '),
      Buffer.from([0xc3]), // a truncated two-byte sequence inside a quoted field spanning lines 6–7
      Buffer.from('\nfield",5\nok,6\n'),
    ]);
    const chunks = await collect(decodeUtf8Lines(Readable.from([bytes])));
    expect(chunks.flatMap((chunk) => chunk.invalidLines)).toEqual([3, 6]);
    const records = await parseCsvBytes(bytes);
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
