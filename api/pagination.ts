// Cursor pagination shared by every list endpoint: opaque cursors over (createdAt, id).
import { z } from 'zod';
import { instantInRange, textDefect } from '../domain/text';
import { validationProblem } from './problem';

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

export interface Cursor {
  createdAt: string;
  id: string;
}

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify({ createdAt: row.createdAt.toISOString(), id: row.id })).toString(
    'base64url',
  );
}

const malformedCursor = () =>
  validationProblem([{ field: 'query.cursor', message: 'is not a cursor this API issued' }]);

/**
 * Decodes a cursor defensively: anything but what encodeCursor writes (a date in range, a storable id)
 * is a 400 naming the parameter, never a query that fails in the database.
 */
export function decodeCursor(cursor: string | undefined): Cursor | null {
  if (!cursor) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformedCursor();
  }
  const { createdAt, id } = (parsed ?? {}) as Partial<Cursor>;
  if (
    typeof createdAt !== 'string' ||
    typeof id !== 'string' ||
    id.length > 200 ||
    textDefect(id) !== null ||
    !ISO_INSTANT.test(createdAt) ||
    !instantInRange(createdAt)
  ) {
    throw malformedCursor();
  }
  return { createdAt, id };
}

/** What Date.toISOString writes. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Prisma `where` fragment for rows after the cursor, in (createdAt desc, id desc) order. */
export function afterCursor(cursor: Cursor | null) {
  if (!cursor) return {};
  const at = new Date(cursor.createdAt);
  return { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: cursor.id } }] };
}

export function page<T extends { createdAt: Date; id: string }>(rows: T[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/** Cursors over versioned histories (newest first): the last version seen, kept opaque for callers. */
export const encodeVersionCursor = (version: number) =>
  Buffer.from(JSON.stringify({ v: version })).toString('base64url');

export function decodeVersionCursor(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  try {
    const { v } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v?: unknown };
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  } catch {
    // falls through to the problem below
  }
  throw malformedCursor();
}
