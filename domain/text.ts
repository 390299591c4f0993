// The one rule for text and instants that every input schema uses. PostgreSQL refuses the NUL
// character (0x00) in text and UTF-8 has no encoding for a lone UTF-16 surrogate, so either would
// reach the database and fail there (a 500) instead of being refused at the door with the field named.
// Instants are bounded to years 1970–9999: PostgreSQL's timestamp range is wider, but JavaScript dates,
// ISO text and the cohort arithmetic are only exact inside it, and no campaign fact lies outside it.
// Imported by workflow code (through the plan schema): no Node built-ins, pure functions only.
import { z } from 'zod';

/** The longest free text any field accepts unless its schema says less. */
export const MAX_TEXT_LENGTH = 10_000;

/** First and last instant an input may name (docs/api/conventions.md, "Text, dates and numbers"). */
export const EARLIEST_INSTANT = '1970-01-01T00:00:00Z';
export const LATEST_INSTANT = '9999-12-31T23:59:59Z';
const EARLIEST_MS = Date.parse(EARLIEST_INSTANT);
const LATEST_MS = Date.parse(LATEST_INSTANT);

/** Why a string may not be stored, or null when it may: a NUL or an unpaired surrogate. */
export function textDefect(text: string): string | null {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) return 'must not contain the NUL character (U+0000)';
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return 'must not contain an unpaired UTF-16 surrogate';
    }
    if (code >= 0xdc00 && code <= 0xdfff) return 'must not contain an unpaired UTF-16 surrogate';
  }
  return null;
}

/** A zod check that refuses text PostgreSQL or UTF-8 cannot hold, with the reason as its message. */
export function storableText<S extends z.ZodString>(schema: S): S {
  return schema.superRefine((value, ctx) => {
    const defect = textDefect(value);
    if (defect) ctx.addIssue({ code: 'custom', message: defect, params: { reason: 'invalid_text' } });
  }) as S;
}

/**
 * Text as every schema takes it: storable (see above), at most `max` characters (MAX_TEXT_LENGTH by
 * default), optionally trimmed and with a minimum length.
 */
export function text(opts: { min?: number; max?: number; trim?: boolean } = {}): z.ZodString {
  let schema = z.string();
  if (opts.trim) schema = schema.trim();
  if (opts.min !== undefined) schema = schema.min(opts.min);
  schema = schema.max(opts.max ?? MAX_TEXT_LENGTH);
  return storableText(schema);
}

/** True when the ISO instant lies inside [EARLIEST_INSTANT, LATEST_INSTANT]. */
export function instantInRange(iso: string): boolean {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && ms >= EARLIEST_MS && ms <= LATEST_MS;
}

/** An ISO-8601 instant with its offset, inside the supported range of years. */
export const InstantSchema = z.iso.datetime({ offset: true }).refine(instantInRange, {
  message: `must lie between ${EARLIEST_INSTANT} and ${LATEST_INSTANT}`,
  params: { reason: 'out_of_range' },
});
