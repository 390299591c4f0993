// From a CSV byte stream to validated rows, with a validation report: the header must name exactly the
// expected columns (any order), every row must have as many fields as the header and pass the importer's
// row parser. Rows are handed on one at a time as they are read (the caller writes them to staging), so
// memory stays flat. All or nothing by default — after the first bad row no further row is handed on,
// the rest of the file is still read so that every bad row is listed, and the read ends in
// ImportValidationError (the caller then drops what it staged) — unless the caller asks to skip bad
// rows, in which case the report says how many were skipped.
import { readCsv, type CsvOptions } from './csv';

export interface RowProblem {
  /** 1-based line of the file on which the row starts (line 1 is the header). */
  readonly line: number;
  readonly reasons: readonly string[];
}

export interface ValidationReport {
  readonly fileName: string;
  /** Data rows read (the header excluded). */
  readonly rowsRead: number;
  readonly rowsValid: number;
  /** Rows left out because skipBadRows was set; 0 otherwise. */
  readonly rowsSkipped: number;
  /** Bad rows, in file order, at most MAX_LISTED_PROBLEMS of them. */
  readonly problems: readonly RowProblem[];
  /** Bad rows beyond those listed. */
  readonly problemsNotListed: number;
}

/** Listing more than this many bad rows helps nobody; the count of the rest is still given. */
export const MAX_LISTED_PROBLEMS = 1000;

/** The file cannot be read as the expected table at all (header wrong, no rows, not UTF-8 in the header). */
export class ImportFileError extends Error {
  constructor(
    message: string,
    readonly missingColumns: readonly string[] = [],
    readonly unexpectedColumns: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Some rows are invalid and skipBadRows was not set: nothing was imported. */
export class ImportValidationError extends Error {
  constructor(readonly report: ValidationReport) {
    const shown = report.problems
      .slice(0, 10)
      .map((problem) => `line ${problem.line}: ${problem.reasons.join('; ')}`)
      .join('\n  ');
    const bad = report.rowsRead - report.rowsValid;
    super(
      `${report.fileName}: ${bad} of ${report.rowsRead} rows are invalid, so nothing was imported ` +
        `(fix them, or skip bad rows to import the other ${report.rowsValid}):\n  ${shown}` +
        (bad > 10 ? `\n  … and ${bad - 10} more` : ''),
    );
  }
}

export type RowResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reasons: string[] };

export interface TableSpec<T> extends CsvOptions {
  readonly fileName: string;
  readonly columns: readonly string[];
  /** Validates and converts one row, given its values by column name. */
  readonly parseRow: (values: Readonly<Record<string, string>>, line: number) => RowResult<T>;
  readonly skipBadRows?: boolean;
}

export interface ValidRow<T> {
  readonly line: number;
  readonly value: T;
}

function checkHeader(fileName: string, header: readonly string[], expected: readonly string[]): void {
  const names = header.map((name) => name.trim());
  const seen = new Set<string>();
  const duplicated = names.filter((name) => (seen.has(name) ? true : (seen.add(name), false)));
  const missing = expected.filter((name) => !seen.has(name));
  const unexpected = names.filter((name) => !expected.includes(name));
  if (missing.length === 0 && unexpected.length === 0 && duplicated.length === 0) return;
  const parts = [
    missing.length > 0 ? `missing column(s) ${missing.map((n) => JSON.stringify(n)).join(', ')}` : '',
    unexpected.length > 0
      ? `unexpected column(s) ${unexpected.map((n) => JSON.stringify(n)).join(', ')}`
      : '',
    duplicated.length > 0
      ? `duplicated column(s) ${duplicated.map((n) => JSON.stringify(n)).join(', ')}`
      : '',
  ].filter(Boolean);
  throw new ImportFileError(
    `${fileName}: the header does not match the expected columns: ${parts.join('; ')}. ` +
      `Expected: ${expected.join(', ')}`,
    missing,
    unexpected,
  );
}

/**
 * Reads and validates the file, handing each valid row to `onRow` in file order. Throws ImportFileError
 * for a file that is not the expected table, ImportValidationError for bad rows unless skipBadRows (and
 * when no row is valid). `onRow` is not called again once a bad row was seen without skipBadRows.
 * `parseRow` may keep state across rows (checks across rows, such as dates in file order): it sees the
 * rows in file order, each once.
 */
export async function readTable<T>(
  source: AsyncIterable<Uint8Array>,
  spec: TableSpec<T>,
  onRow: (row: ValidRow<T>) => void | Promise<void>,
): Promise<ValidationReport> {
  let names: string[] | null = null;
  const problems: RowProblem[] = [];
  let read = 0;
  let valid = 0;
  let bad = 0;
  for await (const record of readCsv(source, spec)) {
    if (names === null) {
      if (record.error)
        throw new ImportFileError(
          `${spec.fileName}: the header (line ${record.line}) is malformed: ${record.error}`,
        );
      checkHeader(spec.fileName, record.fields, spec.columns);
      names = record.fields.map((name) => name.trim());
      continue;
    }
    read++;
    let reasons: string[];
    if (record.error) reasons = [record.error];
    else if (record.fields.length !== names.length) {
      reasons = [`has ${record.fields.length} field(s), the header has ${names.length}`];
    } else {
      const values: Record<string, string> = {};
      names.forEach((name, index) => (values[name] = record.fields[index] as string));
      const result = spec.parseRow(values, record.line);
      if (result.ok) {
        valid++;
        if (bad === 0 || spec.skipBadRows) {
          const pending = onRow({ line: record.line, value: result.value });
          if (pending) await pending;
        }
        continue;
      }
      reasons = result.reasons;
    }
    bad++;
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push({ line: record.line, reasons });
  }
  if (names === null) throw new ImportFileError(`${spec.fileName}: the file is empty`);
  if (read === 0) throw new ImportFileError(`${spec.fileName}: the file has a header but no rows`);

  const report: ValidationReport = {
    fileName: spec.fileName,
    rowsRead: read,
    rowsValid: valid,
    rowsSkipped: spec.skipBadRows ? bad : 0,
    problems,
    problemsNotListed: bad - problems.length,
  };
  if (bad > 0 && !spec.skipBadRows) throw new ImportValidationError(report);
  if (valid === 0) throw new ImportValidationError(report);
  return report;
}
