// Reading the ledger's running totals ("LedgerTotal", kept by triggers on "LedgerEntry": migration
// 20261202400000_ledger_totals) instead of summing a campaign's entries, which costs a scan of all of
// them — per ingest batch, a cost growing with the campaign (45 ms at 100,000 registrations).
// The totals are written in the transaction that writes the entries, so a reader sees exactly the
// entries it would have summed (under the same locks, at the same isolation level).
import { Prisma } from '../generated/prisma/client';

type Executor = Pick<Prisma.TransactionClient, '$queryRaw'>;

export interface LedgerTotalKey {
  campaignId: string;
  kind: 'cost' | 'revenue';
  /** Every scope when omitted. */
  scope?: 'acquisition' | 'period';
  /** Every currency when omitted. */
  currency?: string;
}

/** The sum of amountMinor over the campaign's entries of this kind (scope, currency); 0 when none. */
export async function ledgerTotal(tx: Executor, key: LedgerTotalKey): Promise<bigint> {
  const rows = await tx.$queryRaw<{ total: string | null }[]>(Prisma.sql`
    SELECT sum("amountMinor")::text AS total FROM "LedgerTotal"
     WHERE "campaignId" = ${key.campaignId} AND "kind" = ${key.kind}
       AND (${key.scope ?? null}::text IS NULL OR "scope" = ${key.scope ?? null}::text)
       AND (${key.currency ?? null}::text IS NULL OR "currency" = ${key.currency ?? null}::text)`);
  return BigInt(rows[0]?.total ?? '0');
}
