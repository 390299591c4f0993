// Validation of a file read as a stream: header against the expected columns, field counts, the
// importer's row checks, all-or-nothing unless bad rows are skipped (no row handed on after the first bad
// one, every bad row still listed), and the row parsers of the two real data sets.
import { Readable } from 'node:stream';
import { parseBankRow } from '../../../importers/bank-marketing';
import { parseHillstromRow } from '../../../importers/hillstrom';
import {
  ImportFileError,
  ImportValidationError,
  MAX_LISTED_PROBLEMS,
  readTable,
  type RowResult,
  type TableSpec,
  type ValidRow,
} from '../../../importers/table';

const positive = (values: Readonly<Record<string, string>>): RowResult<number> =>
  /^\d+$/.test(values.n ?? '')
    ? { ok: true, value: Number(values.n) }
    : { ok: false, reasons: [`n "${values.n}" is not a count`] };
const spec = (skipBadRows = false) => ({
  fileName: 'f.csv',
  columns: ['id', 'n'],
  parseRow: positive,
  skipBadRows,
});
/** Reads `text` (in 7-byte chunks, so that rows straddle chunks) and collects the rows handed on. */
async function read<T>(text: string, tableSpec: TableSpec<T>) {
  const rows: ValidRow<T>[] = [];
  const chunks = Array.from({ length: Math.ceil(text.length / 7) }, (_, i) =>
    Buffer.from(text.slice(i * 7, i * 7 + 7)),
  );
  const report = await readTable(Readable.from(chunks), tableSpec, (row) => {
    rows.push(row);
  });
  return { rows, report };
}

describe('readTable', () => {
  it('maps columns by name, in any order, and returns rows with their lines', async () => {
    const { rows, report } = await read('n,id\n5,a\n7,b\n', spec());
    expect(rows).toEqual([
      { line: 2, value: 5 },
      { line: 3, value: 7 },
    ]);
    expect(report).toEqual({
      fileName: 'f.csv',
      rowsRead: 2,
      rowsValid: 2,
      rowsSkipped: 0,
      problems: [],
      problemsNotListed: 0,
    });
  });

  it('names missing, unexpected and duplicated columns', async () => {
    const error = await read('id,count,count\n1,2,3\n', spec()).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error).toMatchObject({ missingColumns: ['n'], unexpectedColumns: ['count', 'count'] });
    expect((error as Error).message).toBe(
      'f.csv: the header does not match the expected columns: missing column(s) "n"; unexpected column(s) "count", ' +
        '"count"; duplicated column(s) "count". Expected: id, n',
    );
  });

  it('refuses the whole file for one bad row, listing each with its reasons', async () => {
    const handedOn: number[] = [];
    try {
      await readTable(Readable.from([Buffer.from('id,n\na,1\nb,x\nc\nd,4\n')]), spec(), (row) => {
        handedOn.push(row.line);
      });
      throw new Error('expected a validation error');
    } catch (err) {
      // The row before the first bad one was handed on (the caller staged it and drops it now); none after.
      expect(handedOn).toEqual([2]);
      expect(err).toBeInstanceOf(ImportValidationError);
      expect((err as ImportValidationError).report).toEqual({
        fileName: 'f.csv',
        rowsRead: 4,
        rowsValid: 2,
        rowsSkipped: 0,
        problems: [
          { line: 3, reasons: ['n "x" is not a count'] },
          { line: 4, reasons: ['has 1 field(s), the header has 2'] },
        ],
        problemsNotListed: 0,
      });
      expect((err as Error).message).toMatch(/^f\.csv: 2 of 4 rows are invalid, so nothing was imported/);
    }
  });

  it('skips bad rows on request and says how many', async () => {
    const { rows, report } = await read('id,n\na,1\nb,x\nc,3\n', spec(true));
    expect(rows.map((row) => row.value)).toEqual([1, 3]);
    expect(report).toMatchObject({ rowsRead: 3, rowsValid: 2, rowsSkipped: 1, problems: [{ line: 3 }] });
  });

  it('lists at most MAX_LISTED_PROBLEMS bad rows and counts the rest', async () => {
    const text = `id,n\n${Array.from({ length: MAX_LISTED_PROBLEMS + 5 }, (_, i) => `r${i},bad`).join('\n')}\nok,1\n`;
    const { report } = await read(text, spec(true));
    expect(report.problems).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(report.problemsNotListed).toBe(5);
    expect(report.rowsSkipped).toBe(MAX_LISTED_PROBLEMS + 5);
  });

  it('refuses a file whose every row is bad even when skipping, and an empty file', async () => {
    await expect(read('id,n\na,x\n', spec(true))).rejects.toThrow(ImportValidationError);
    await expect(read('', spec())).rejects.toThrow(/the file is empty/);
    await expect(read('id,n\n', spec())).rejects.toThrow(/has a header but no rows/);
  });

  it('checks across rows with a row parser that keeps state, all or nothing as asked', async () => {
    // "n never decreases": a check of one row against the rows before it, as the bank importer's dates.
    const nonDecreasing = (skipBadRows: boolean): TableSpec<number> => {
      let previous = 0;
      return {
        ...spec(skipBadRows),
        parseRow: (values) => {
          const result = positive(values);
          if (!result.ok) return result;
          if (result.value < previous) return { ok: false, reasons: ['out of order'] };
          previous = result.value;
          return result;
        },
      };
    };
    await expect(read('id,n\na,1\nb,3\nc,2\n', nonDecreasing(false))).rejects.toThrow(ImportValidationError);
    const { rows, report } = await read('id,n\na,1\nb,3\nc,2\nd,x\ne,4\n', nonDecreasing(true));
    expect(rows.map((row) => row.value)).toEqual([1, 3, 4]);
    expect(report).toMatchObject({
      rowsRead: 5,
      rowsValid: 3,
      rowsSkipped: 2,
      problems: [
        { line: 4, reasons: ['out of order'] },
        { line: 5, reasons: ['n "x" is not a count'] },
      ],
    });
  });
});

describe('row parsers of the real data sets', () => {
  const bank = {
    age: '58',
    job: 'management',
    marital: 'married',
    education: 'tertiary',
    default: 'no',
    balance: '-2143',
    housing: 'yes',
    loan: 'no',
    contact: 'cellular',
    day: '5',
    month: 'may',
    duration: '261',
    campaign: '3',
    pdays: '-1',
    previous: '0',
    poutcome: 'unknown',
    y: 'yes',
  };

  it('reads a bank client: balance in cents, contacts, subscription', async () => {
    expect(parseBankRow(bank)).toEqual({
      ok: true,
      value: {
        age: 58,
        job: 'management',
        marital: 'married',
        education: 'tertiary',
        balanceMinor: -214_300,
        housing: true,
        loan: false,
        contact: 'cellular',
        day: 5,
        month: 5,
        contacts: 3,
        subscribed: true,
      },
    });
  });

  it('reports every bad bank field, including the ones it does not store', async () => {
    const result = parseBankRow({ ...bank, balance: '12.5', contact: 'fax', campaign: '0', poutcome: 'n/a' });
    expect(result).toEqual({
      ok: false,
      reasons: [
        'balance "12.5" is not a whole number',
        'contact "fax" is not one of cellular, telephone, unknown',
        'campaign 0 is outside 1–1000',
        'poutcome "n/a" is not one of unknown, other, failure, success',
      ],
    });
  });

  const hillstrom = {
    recency: '10',
    history_segment: '2) $100 - $200',
    history: '142.44',
    mens: '1',
    womens: '0',
    zip_code: 'Rural',
    newbie: '0',
    channel: 'Web',
    segment: 'Mens E-Mail',
    visit: '1',
    conversion: '1',
    spend: '29.9',
  };

  it('reads a Hillstrom customer with spend in cents', async () => {
    const result = parseHillstromRow(hillstrom);
    expect(result).toMatchObject({
      ok: true,
      value: { arm: 'Mens E-Mail', spendMinor: 2990, historyMinor: 14_244, visit: true },
    });
  });

  it('refuses outcomes that do not nest (spend without conversion, conversion without visit)', async () => {
    expect(parseHillstromRow({ ...hillstrom, visit: '0' })).toEqual({
      ok: false,
      reasons: ['conversion = 1 without a visit'],
    });
    expect(parseHillstromRow({ ...hillstrom, conversion: '0' })).toEqual({
      ok: false,
      reasons: ['spend without a conversion'],
    });
    expect(parseHillstromRow({ ...hillstrom, spend: '1.234' })).toMatchObject({
      ok: false,
      reasons: ['spend "1.234" is not a non-negative amount with at most 2 decimals'],
    });
  });
});
