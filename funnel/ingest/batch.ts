// The shape shared by the registration and customer-event ingest APIs: a body is either one item or
// `{ items: [...] }` (up to MAX_BATCH_ITEMS), each item is validated on its own, and every item gets its
// own result (index, status, errors naming field and reason), so one bad item never sinks the others.
import { z } from 'zod';

export const MAX_BATCH_ITEMS = 1_000;

/** Why an item was refused, per field: `reason` is a stable code for programs, `message` is for people. */
export const ItemErrorSchema = z.object({
  field: z.string().meta({ description: 'The invalid field of the item (a dotted path), or (item)' }),
  reason: z
    .string()
    .meta({ description: 'A stable code: required, invalid, unknown_field, or a rule of the API' }),
  message: z.string(),
});
export type ItemError = z.infer<typeof ItemErrorSchema>;

export const ITEM_STATUSES = ['accepted', 'flagged', 'duplicate_request', 'rejected'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/**
 * What every ingest result has: the item's position, what was done with it, and why it was refused.
 * Each ingest extends it with its own fields; the API answers these schemas as they are (the OpenAPI
 * document imports them), so a field added to a result is documented by being added here.
 */
export const ItemResultSchema = z.object({
  index: z.int(),
  status: z.enum(['accepted', 'duplicate_request', 'rejected']),
  errors: z.array(ItemErrorSchema).optional(),
});

export const IngestSummarySchema = z.object(
  Object.fromEntries(ITEM_STATUSES.map((s) => [s, z.int()])) as Record<ItemStatus, z.ZodInt>,
);

/** A batch's reply (a summary and one result per item) or a single item's result. */
export function batchReplySchema<T extends z.ZodType>(result: T) {
  return z.union([z.object({ summary: IngestSummarySchema, items: z.array(result) }), result]);
}

export interface ParsedItem<T> {
  index: number;
  /** The validated item, or undefined when `errors` says why it is not valid. */
  value?: T;
  errors?: ItemError[];
}

export interface ParsedBody<T> {
  /** 'single' when the body was one item: the API then answers with that item's result alone. */
  mode: 'single' | 'batch';
  items: ParsedItem<T>[];
}

/** A problem with the envelope itself (not an array, too many items): the whole request is refused. */
export class BatchShapeError extends Error {
  constructor(readonly errors: ItemError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}

const BatchEnvelopeSchema = z.strictObject({
  items: z
    .array(z.unknown())
    .min(1, 'send at least one item')
    .max(MAX_BATCH_ITEMS, `at most ${MAX_BATCH_ITEMS} items per request`),
});

export function parseSingleOrBatch<S extends z.ZodType>(schema: S, body: unknown): ParsedBody<z.infer<S>> {
  const isBatch = typeof body === 'object' && body !== null && !Array.isArray(body) && 'items' in body;
  if (!isBatch) return { mode: 'single', items: [parseItem(schema, body, 0)] };
  const envelope = BatchEnvelopeSchema.safeParse(body);
  if (!envelope.success) throw new BatchShapeError(zodItemErrors(envelope.error));
  return { mode: 'batch', items: envelope.data.items.map((item, index) => parseItem(schema, item, index)) };
}

function parseItem<S extends z.ZodType>(schema: S, input: unknown, index: number): ParsedItem<z.infer<S>> {
  const result = schema.safeParse(input);
  return result.success ? { index, value: result.data } : { index, errors: zodItemErrors(result.error) };
}

export function zodItemErrors(error: z.ZodError): ItemError[] {
  return error.issues.flatMap((issue) => {
    const at = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(item)';
    // A misspelt field would otherwise be silently dropped: name each one.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) =>
        itemError(at([...issue.path, key]), 'unknown_field', 'is not a field of this item'),
      );
    }
    return [itemError(at(issue.path), reasonOf(issue), issue.message)];
  });
}

function reasonOf(issue: z.core.$ZodIssue): string {
  // A schema's own checks name their reason in params; a missing field is the commonest mistake, and
  // naming it 'required' lets clients tell it apart from a wrong value.
  const own =
    issue.code === 'custom' ? (issue.params as { reason?: unknown } | undefined)?.reason : undefined;
  if (typeof own === 'string') return own;
  return issue.code === 'invalid_type' && / received undefined$/.test(issue.message) ? 'required' : 'invalid';
}

/** Counts per status, so a caller sees at a glance whether a batch needs attention. */
export function summarize(results: readonly { status: ItemStatus }[]): Record<ItemStatus, number> {
  const summary: Record<ItemStatus, number> = { accepted: 0, flagged: 0, duplicate_request: 0, rejected: 0 };
  for (const result of results) summary[result.status]++;
  return summary;
}

export function itemError(field: string, reason: string, message: string): ItemError {
  return { field, reason, message };
}
