// The history importers' CSV reader, streamed: bytes in, records out, one bounded piece at a time, so a
// file of any size is read in flat memory. Field values come from csv-parse (RFC 4180 quoting, "" inside
// quoted fields, separators and line breaks inside quotes, a configurable separator). Two things
// csv-parse does not give are done here, before it:
// - invalid UTF-8 refused per line (with its line number) rather than silently replaced, and a leading
//   byte-order mark dropped: `decodeUtf8Lines`;
// - carrying on after a malformed record: csv-parse's skip_records_with_error does not resynchronise
//   (after a bad quote it swallows the following records), so `frameRecords` cuts the text into
//   records first — a line break ends a record unless it is inside a field that opened with a quote —
//   and csv-parse reads them a batch at a time; a batch that fails is read again record by record, so
//   each malformed record carries its own first error and the next one is read normally.
// Line ends may be CRLF, LF or CR, mixed. Blank lines are skipped; they are not records of one empty field.
import { CsvError, parse } from 'csv-parse/sync';

export interface CsvOptions {
  /** One character; ',' by default (';' for the UCI bank data). */
  readonly separator?: string;
}

export interface CsvRecord {
  /** 1-based physical line on which the record starts. */
  readonly line: number;
  /** 1-based physical line on which it ends (later than `line` when a quoted field holds a line break). */
  readonly endLine: number;
  readonly fields: string[];
  /** Why the record is malformed; its fields are then best effort (empty). */
  readonly error?: string;
}

export interface DecodedChunk {
  /** Whole physical lines (with their line ends), except perhaps the last chunk of the input. */
  readonly text: string;
  /** 1-based physical lines of this chunk holding bytes that are not UTF-8 (replaced by U+FFFD in `text`). */
  readonly invalidLines: readonly number[];
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

/**
 * Decodes a byte stream as UTF-8 in pieces cut after a line break, refusing nothing but remembering
 * which lines were invalid. The bytes 0x0A and 0x0D never occur inside a multi-byte UTF-8 sequence, so
 * cutting there never splits a character, and the offending lines are found exactly. Lines are counted
 * as the records are (CRLF, LF and CR each end one line).
 */
export async function* decodeUtf8Lines(source: AsyncIterable<Uint8Array>): AsyncGenerator<DecodedChunk> {
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
  let pending: Uint8Array = new Uint8Array(0);
  let line = 1;
  let lastWasCR = false;
  let first = true;

  const decode = (bytes: Uint8Array): DecodedChunk => {
    try {
      const text = strict.decode(bytes);
      line += countLines(bytes);
      return { text, invalidLines: [] };
    } catch {
      // Rare: find the lines at fault one by one.
      const invalidLines: number[] = [];
      let start = 0;
      while (start < bytes.length) {
        let end = start;
        while (end < bytes.length && bytes[end] !== LF && bytes[end] !== CR) end++;
        if (end > start) {
          try {
            strict.decode(bytes.subarray(start, end));
          } catch {
            invalidLines.push(line);
          }
        }
        // Consume the line end (CRLF as one), counting the line it ends.
        const breakBytes = bytes.subarray(end, end + (bytes[end] === CR && bytes[end + 1] === LF ? 2 : 1));
        if (end < bytes.length) line += countLines(breakBytes);
        start = end + breakBytes.length;
      }
      return { text: lenient.decode(bytes), invalidLines };
    }
  };
  // Counts line ends in `bytes`, an LF right after a CR (also across pieces) ending no further line.
  const countLines = (bytes: Uint8Array): number => {
    let lines = 0;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i];
      if (c === CR) lines++;
      else if (c === LF && !(i === 0 ? lastWasCR : bytes[i - 1] === CR)) lines++;
    }
    if (bytes.length > 0) lastWasCR = bytes[bytes.length - 1] === CR;
    return lines;
  };

  for await (const chunk of source) {
    let bytes: Uint8Array = pending.length === 0 ? chunk : concat(pending, chunk);
    if (first) {
      // Wait for three bytes only while they could still be a byte-order mark.
      if (bytes.length < 3 && BOM.subarray(0, bytes.length).every((byte, i) => bytes[i] === byte)) {
        pending = bytes;
        continue;
      }
      first = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    let cut = bytes.length;
    while (cut > 0 && bytes[cut - 1] !== LF && bytes[cut - 1] !== CR) cut--;
    if (cut === 0) {
      pending = bytes;
      continue;
    }
    pending = bytes.slice(cut);
    yield decode(bytes.subarray(0, cut));
  }
  if (pending.length > 0) yield decode(pending);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}

function separatorOf(options: CsvOptions): string {
  const separator = options.separator ?? ',';
  if (separator.length !== 1 || separator === '"' || separator === '\r' || separator === '\n') {
    throw new RangeError(
      `a CSV separator is one character other than a quote or a line break, not ${JSON.stringify(separator)}`,
    );
  }
  return separator;
}

/** One record's text (without its line end) and where it lies in the file. */
export interface FramedRecord {
  readonly text: string;
  readonly line: number;
  readonly endLine: number;
  /** Lines of the file that are not UTF-8 and that this record touches (the first of them). */
  readonly invalidLine?: number;
}

/**
 * Cuts decoded text into records. A quote opens a quoted field only at the start of a field; inside one,
 * a line break belongs to the field and "" is an escaped quote. This is the RFC 4180 framing and no
 * more: values are csv-parse's job.
 */
export async function* frameRecords(
  chunks: AsyncIterable<DecodedChunk>,
  options: CsvOptions = {},
): AsyncGenerator<FramedRecord> {
  const separator = separatorOf(options).charCodeAt(0);
  let record = '';
  let startLine = 1;
  let line = 1;
  let inQuotes = false;
  let atFieldStart = true;
  let skipLF = false;
  let prevWasCR = false;
  let justClosed = false;
  // Invalid lines not yet passed; the decoder runs ahead of the records by at most one chunk.
  const invalid: number[] = [];

  const framed = (endLine: number): FramedRecord => {
    while (invalid.length > 0 && (invalid[0] as number) < startLine) invalid.shift();
    const touched = invalid.length > 0 && (invalid[0] as number) <= endLine ? invalid[0] : undefined;
    return touched === undefined
      ? { text: record, line: startLine, endLine }
      : { text: record, line: startLine, endLine, invalidLine: touched };
  };

  for await (const chunk of chunks) {
    invalid.push(...chunk.invalidLines);
    const text = chunk.text;
    let pieceStart = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const afterCR = prevWasCR;
      prevWasCR = c === CR;
      if (skipLF) {
        skipLF = false;
        if (c === LF) {
          pieceStart = i + 1;
          continue;
        }
      }
      if (inQuotes) {
        if (c === QUOTE) {
          inQuotes = false;
          justClosed = true;
        } else if (c === CR || (c === LF && !afterCR)) line++;
        continue;
      }
      if (c === LF || c === CR) {
        record += text.slice(pieceStart, i);
        if (record.length > 0) yield framed(line);
        record = '';
        line++;
        startLine = line;
        atFieldStart = true;
        justClosed = false;
        if (c === CR) skipLF = true;
        pieceStart = i + 1;
        continue;
      }
      // A quote right after a closing quote is the escaped quote "" : the field is still quoted.
      if (c === QUOTE && (atFieldStart || justClosed)) inQuotes = true;
      justClosed = false;
      atFieldStart = c === separator;
    }
    record += text.slice(pieceStart);
  }
  if (record.length > 0) yield framed(line);
}

/** Records handed to csv-parse at once: amortises its set-up; a failing batch is re-read one by one. */
const PARSE_BATCH = 1000;

function csvParseOptions(separator: string) {
  return {
    delimiter: separator,
    quote: '"',
    escape: '"',
    record_delimiter: '\n',
    relax_column_count: true,
    skip_empty_lines: false,
    bom: false,
  } as const;
}

/** The reader's own words for csv-parse's errors (field numbers 1-based, as a user counts). */
function reasonOf(err: unknown, record: FramedRecord): string {
  if (err instanceof CsvError) {
    const field = Number((err as unknown as { index?: number }).index ?? 0) + 1;
    switch (err.code) {
      case 'INVALID_OPENING_QUOTE':
        return `a quote inside unquoted field ${field} (quote the field and double the quote)`;
      case 'CSV_INVALID_CLOSING_QUOTE':
        return `text after a closing quote in field ${field}`;
      case 'CSV_QUOTE_NOT_CLOSED':
        return `a quoted field opened on line ${record.line} is never closed`;
    }
    return err.message;
  }
  throw err;
}

function parseOne(record: FramedRecord, separator: string): CsvRecord {
  const { line, endLine } = record;
  if (record.invalidLine !== undefined)
    return {
      line,
      endLine,
      fields: [],
      error: `line ${record.invalidLine} is not valid UTF-8 (save the file as UTF-8)`,
    };
  try {
    const [fields] = parse(record.text, csvParseOptions(separator)) as string[][];
    return { line, endLine, fields: fields ?? [''] };
  } catch (err) {
    return { line, endLine, fields: [], error: reasonOf(err, record) };
  }
}

function parseBatch(batch: readonly FramedRecord[], separator: string): CsvRecord[] {
  if (batch.every((record) => record.invalidLine === undefined)) {
    try {
      const rows = parse(
        batch.map((record) => record.text).join('\n'),
        csvParseOptions(separator),
      ) as string[][];
      if (rows.length === batch.length)
        return rows.map((fields, i) => ({ line: batch[i]!.line, endLine: batch[i]!.endLine, fields }));
    } catch {
      // A malformed record in the batch: read them one by one below to say which and why.
    }
  }
  return batch.map((record) => parseOne(record, separator));
}

/**
 * Reads CSV records from a byte stream, in file order. Never throws for a malformed record: each record
 * carries its first error, so the caller can report every bad row with its line number (and skip them
 * if the user asks). Throws RangeError for a separator that cannot work.
 */
export async function* readCsv(
  source: AsyncIterable<Uint8Array>,
  options: CsvOptions = {},
): AsyncGenerator<CsvRecord> {
  const separator = separatorOf(options);
  let batch: FramedRecord[] = [];
  for await (const record of frameRecords(decodeUtf8Lines(source), options)) {
    batch.push(record);
    if (batch.length >= PARSE_BATCH) {
      yield* parseBatch(batch, separator);
      batch = [];
    }
  }
  if (batch.length > 0) yield* parseBatch(batch, separator);
}
