// A small, strict CSV reader for history imports: RFC 4180 quoting ("" inside quoted fields, separators
// and line breaks inside quotes), a configurable one-character separator, CRLF / LF / CR line ends, a
// leading byte-order mark dropped, and invalid UTF-8 refused per line rather than silently replaced.
// It never throws on a malformed record: each record carries its first error, so that the caller can
// report every bad row with its line number (and skip them if the user asks).

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
  /** Why the record is malformed; its fields are then best effort. */
  readonly error?: string;
}

export interface DecodedText {
  readonly text: string;
  /** 1-based physical lines holding bytes that are not UTF-8 (replaced by U+FFFD in `text`). */
  readonly invalidLines: number[];
}

const LF = 0x0a;

/**
 * Decodes UTF-8, refusing nothing but remembering which lines were invalid. A byte 0x0A never occurs
 * inside a multi-byte UTF-8 sequence, so splitting on it finds the offending lines exactly.
 */
export function decodeUtf8(bytes: Uint8Array): DecodedText {
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  try {
    return { text: strict.decode(bytes), invalidLines: [] };
  } catch {
    const invalidLines: number[] = [];
    let start = 0;
    for (let line = 1; start <= bytes.length; line++) {
      let end = bytes.indexOf(LF, start);
      if (end === -1) end = bytes.length;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, end));
      } catch {
        invalidLines.push(line);
      }
      start = end + 1;
    }
    return { text: new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes), invalidLines };
  }
}

function separatorOf(options: CsvOptions): number {
  const separator = options.separator ?? ',';
  if (separator.length !== 1 || separator === '"' || separator === '\r' || separator === '\n') {
    throw new RangeError(
      `a CSV separator is one character other than a quote or a line break, not ${JSON.stringify(separator)}`,
    );
  }
  return separator.charCodeAt(0);
}

const QUOTE = 0x22;
const CR = 0x0d;

/**
 * Splits text into records. Blank lines (nothing between two line breaks) are skipped; they are not
 * records of one empty field. A BOM at the start is dropped (TextDecoder already drops it from bytes).
 */
export function parseCsv(input: string, options: CsvOptions = {}): CsvRecord[] {
  const separator = separatorOf(options);
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  const length = text.length;
  let i = 0;
  let line = 1;

  while (i < length) {
    const startLine = line;
    const fields: string[] = [];
    let endedByBreak = false;
    let error: string | undefined;
    const fail = (message: string) => {
      error ??= message;
    };
    // A line break right at a record's start is a blank line.
    const first = text.charCodeAt(i);
    if (first === LF || first === CR) {
      i += first === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      continue;
    }

    for (;;) {
      // One field, starting at i.
      let value = '';
      if (text.charCodeAt(i) === QUOTE) {
        i++;
        let closed = false;
        let chunkStart = i;
        while (i < length) {
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            value += text.slice(chunkStart, i);
            if (text.charCodeAt(i + 1) === QUOTE) {
              value += '"';
              i += 2;
              chunkStart = i;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) line++;
          i++;
        }
        if (!closed) {
          value += text.slice(chunkStart, i);
          fail(`a quoted field opened on line ${startLine} is never closed`);
        }
        // After the closing quote only a separator or the end of the record may follow.
        const afterStart = i;
        while (i < length) {
          const c = text.charCodeAt(i);
          if (c === separator || c === LF || c === CR) break;
          i++;
        }
        if (i > afterStart) {
          fail(`text after a closing quote in field ${fields.length + 1}`);
          value += text.slice(afterStart, i);
        }
      } else {
        const start = i;
        while (i < length) {
          const c = text.charCodeAt(i);
          if (c === separator || c === LF || c === CR) break;
          if (c === QUOTE)
            fail(`a quote inside unquoted field ${fields.length + 1} (quote the field and double the quote)`);
          i++;
        }
        value = text.slice(start, i);
      }
      fields.push(value);

      if (i >= length) break;
      const c = text.charCodeAt(i);
      if (c === separator) {
        i++;
        // A separator at the very end of the text still ends an (empty) last field.
        if (i >= length) {
          fields.push('');
          break;
        }
        continue;
      }
      // A line break ends the record.
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      endedByBreak = true;
      break;
    }
    const endLine = endedByBreak ? line - 1 : line;
    records.push(
      error === undefined
        ? { line: startLine, endLine, fields }
        : { line: startLine, endLine, fields, error },
    );
  }
  return records;
}

/** Decodes and parses; records touching a line that is not UTF-8 are marked with that error. */
export function parseCsvBytes(bytes: Uint8Array, options: CsvOptions = {}): CsvRecord[] {
  const { text, invalidLines } = decodeUtf8(bytes);
  const records = parseCsv(text, options);
  if (invalidLines.length === 0) return records;
  const invalid = new Set(invalidLines);
  return records.map((record) => {
    for (let line = record.line; line <= record.endLine; line++) {
      if (invalid.has(line))
        return { ...record, error: `line ${line} is not valid UTF-8 (save the file as UTF-8)` };
    }
    return record;
  });
}
