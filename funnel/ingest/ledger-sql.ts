// Ledger rows as `unnest` arrays for the ingest's pg statements (registration-sql.ts, event-sql.ts): one
// column list, one set of casts, so that every statement that writes ledger entries through `pg` writes
// the same columns the same way as db/bulk-insert.ts does through Prisma.
import type { LedgerRow } from '../../db/bulk-insert';

/** An instant as the ISO string the statements bind (cast to timestamptz there). */
export const iso = (value: Date | string) =>
  (typeof value === 'string' ? new Date(value) : value).toISOString();

/** The INSERT's column list for `LedgerEntry`. */
export const LEDGER_COLUMNS = `("id", "campaignId", "kind", "scope", "category", "channelId", "variantKey",
  "cohortKey", "customerRef", "amountMinor", "currency", "occurredAt", "createdAt")`;

/** The SELECT list matching LEDGER_COLUMNS over `unnest(…) AS u(…)` of ledgerArrays. */
export const LEDGER_VALUES = `u.id, u.campaign, u.kind, u.scope, u.category, u.channel, u.variant, u.cohort,
  u.customer, u.amount, u.currency, (u.occurred AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC')`;

/**
 * `unnest($first … $first+11) AS u(…)` over the rows' columns, plus any `extra` arrays of text after them
 * (named as given, e.g. the fact each row belongs to, to join on), and the arrays to bind.
 */
export function ledgerArrays(
  rows: readonly LedgerRow[],
  first: number,
  extra: Record<string, readonly string[]> = {},
): { from: string; params: unknown[] } {
  const types = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'text'];
  const names = Object.keys(extra);
  const casts = [...types, 'timestamptz', ...names.map(() => 'text')].map((t, i) => `$${first + i}::${t}[]`);
  const aliases = [
    'id',
    'campaign',
    'kind',
    'scope',
    'category',
    'channel',
    'variant',
    'cohort',
    'customer',
    'amount',
    'currency',
    'occurred',
    ...names,
  ];
  return {
    from: `unnest(${casts.join(', ')}) AS u(${aliases.join(', ')})`,
    params: [
      rows.map((row) => row.id),
      rows.map((row) => row.campaignId),
      rows.map((row) => row.kind),
      rows.map((row) => row.scope),
      rows.map((row) => row.category),
      rows.map((row) => row.channelId),
      rows.map((row) => row.variantKey ?? null),
      rows.map((row) => row.cohortKey ?? null),
      rows.map((row) => row.customerRef ?? null),
      rows.map((row) => BigInt(row.amountMinor).toString()),
      rows.map((row) => row.currency),
      rows.map((row) => iso(row.occurredAt)),
      ...names.map((name) => extra[name]),
    ],
  };
}
