// Validation of a whole file before anything is written: header against the expected columns, field
// counts, the importer's row checks, all-or-nothing unless bad rows are skipped, and the row parsers of
// the two real data sets.
import { parseBankRow } from '../../../importers/bank-marketing';
import { parseHillstromRow } from '../../../importers/hillstrom';
import {
  ImportFileError,
  ImportValidationError,
  MAX_LISTED_PROBLEMS,
  readTable,
  withLaterProblems,
  type RowResult,
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
const bytes = (text: string) => Buffer.from(text);

describe('readTable', () => {
  it('maps columns by name, in any order, and returns rows with their lines', () => {
    const { rows, report } = readTable(bytes('n,id\n5,a\n7,b\n'), spec());
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

  it('names missing, unexpected and duplicated columns', () => {
    const error = (() => {
      try {
        readTable(bytes('id,count,count\n1,2,3\n'), spec());
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error).toMatchObject({ missingColumns: ['n'], unexpectedColumns: ['count', 'count'] });
    expect((error as Error).message).toBe(
      'f.csv: the header does not match the expected columns: missing column(s) "n"; unexpected column(s) "count", ' +
        '"count"; duplicated column(s) "count". Expected: id, n',
    );
  });

  it('refuses the whole file for one bad row, listing each with its reasons', () => {
    try {
      readTable(bytes('id,n\na,1\nb,x\nc\nd,4\n'), spec());
      throw new Error('expected a validation error');
    } catch (err) {
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

  it('skips bad rows on request and says how many', () => {
    const { rows, report } = readTable(bytes('id,n\na,1\nb,x\nc,3\n'), spec(true));
    expect(rows.map((row) => row.value)).toEqual([1, 3]);
    expect(report).toMatchObject({ rowsRead: 3, rowsValid: 2, rowsSkipped: 1, problems: [{ line: 3 }] });
  });

  it('lists at most MAX_LISTED_PROBLEMS bad rows and counts the rest', () => {
    const text = `id,n\n${Array.from({ length: MAX_LISTED_PROBLEMS + 5 }, (_, i) => `r${i},bad`).join('\n')}\nok,1\n`;
    const { report } = readTable(bytes(text), spec(true));
    expect(report.problems).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(report.problemsNotListed).toBe(5);
    expect(report.rowsSkipped).toBe(MAX_LISTED_PROBLEMS + 5);
  });

  it('refuses a file whose every row is bad even when skipping, and an empty file', () => {
    expect(() => readTable(bytes('id,n\na,x\n'), spec(true))).toThrow(ImportValidationError);
    expect(() => readTable(bytes(''), spec())).toThrow(/the file is empty/);
    expect(() => readTable(bytes('id,n\n'), spec())).toThrow(/has a header but no rows/);
  });

  it('adds problems found across rows to the report, all or nothing as before', () => {
    const { report } = readTable(bytes('id,n\na,1\nb,2\nc,3\n'), spec());
    const later = [{ line: 3, reasons: ['out of order'] }];
    expect(() => withLaterProblems(report, later, false)).toThrow(ImportValidationError);
    expect(withLaterProblems(report, later, true)).toMatchObject({
      rowsValid: 2,
      rowsSkipped: 1,
      problems: later,
    });
    // Problems of the first round count too: read with skipBadRows, then all or nothing as asked.
    const skipped = readTable(bytes('id,n\na,1\nb,x\nc,3\n'), spec(true)).report;
    expect(() => withLaterProblems(skipped, [], false)).toThrow(ImportValidationError);
    expect(withLaterProblems(skipped, [{ line: 4, reasons: ['late'] }], true)).toMatchObject({
      rowsValid: 1,
      rowsSkipped: 2,
      problems: [{ line: 3 }, { line: 4 }],
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

  it('reads a bank client: balance in cents, contacts, subscription', () => {
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

  it('reports every bad bank field, including the ones it does not store', () => {
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

  it('reads a Hillstrom customer with spend in cents', () => {
    const result = parseHillstromRow(hillstrom);
    expect(result).toMatchObject({
      ok: true,
      value: { arm: 'Mens E-Mail', spendMinor: 2990, historyMinor: 14_244, visit: true },
    });
  });

  it('refuses outcomes that do not nest (spend without conversion, conversion without visit)', () => {
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
