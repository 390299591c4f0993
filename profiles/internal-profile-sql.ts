// The counts an internal channel profile is built from, read with two GROUP BY queries over the valid
// registrations (flagReason null) that the channel brought in the campaigns linked to it: one over the
// registrations' attributes, one over their new-customer-period revenue in the ledger.
import type { Db } from '../db/client';

export interface AttributeCountRow {
  /** Which grouping set the row belongs to. */
  dimension: 'total' | 'age' | 'ageBand' | 'job' | 'cityTier' | 'currency';
  /** The age in whole years, the band, job, tier or currency; null on the total row or for "unknown". */
  value: string | null;
  registrations: bigint;
  activated: bigint;
  balanceCustomers: bigint;
  balanceSumMinor: bigint | null;
  balanceMedianMinor: bigint | null;
}

export interface RevenueRow {
  currency: string;
  revenueMinor: bigint;
}

// An age wins over a stored band when both are there (the band can be recomputed from it); an age that
// is not a whole number of years is ignored and the band, if any, used instead. Balances count only when
// they are integer minor units.
export function attributeCounts(db: Db, channelId: string, campaignIds: readonly string[]) {
  return db.$queryRaw<AttributeCountRow[]>`
    WITH base AS (
      SELECT r."activatedAt" IS NOT NULL AS activated, c.currency,
             CASE WHEN r.attributes->>'age' ~ '^[0-9]{1,3}$' THEN r.attributes->>'age' END AS age,
             CASE WHEN r.attributes->>'age' ~ '^[0-9]{1,3}$' THEN NULL ELSE r.attributes->>'ageBand' END AS "ageBand",
             r.attributes->>'job' AS job,
             r.attributes->>'cityTier' AS "cityTier",
             CASE WHEN r.attributes->>'balanceMinor' ~ '^-?[0-9]{1,15}$'
                  THEN (r.attributes->>'balanceMinor')::bigint END AS balance
      FROM "Registration" r
      JOIN "Campaign" c ON c.id = r."campaignId"
      WHERE r."campaignId" = ANY(${campaignIds}::text[]) AND r."channelId" = ${channelId} AND r."flagReason" IS NULL
    )
    SELECT CASE
             WHEN GROUPING(age) = 0 THEN 'age'
             WHEN GROUPING("ageBand") = 0 THEN 'ageBand'
             WHEN GROUPING(job) = 0 THEN 'job'
             WHEN GROUPING("cityTier") = 0 THEN 'cityTier'
             WHEN GROUPING(currency) = 0 THEN 'currency'
             ELSE 'total'
           END AS dimension,
           coalesce(age, "ageBand", job, "cityTier", currency) AS value,
           count(*) AS registrations,
           count(*) FILTER (WHERE activated) AS activated,
           count(balance) AS "balanceCustomers",
           sum(balance)::bigint AS "balanceSumMinor",
           percentile_disc(0.5) WITHIN GROUP (ORDER BY balance) AS "balanceMedianMinor"
    FROM base
    GROUP BY GROUPING SETS ((), (age), ("ageBand"), (job), ("cityTier"), (currency))`;
}

/** Period revenue (ledger kind=revenue, scope=period) of the same customers, by currency. */
export function revenueByCurrency(db: Db, channelId: string, campaignIds: readonly string[]) {
  return db.$queryRaw<RevenueRow[]>`
    SELECT l.currency, sum(l."amountMinor")::bigint AS "revenueMinor"
    FROM "LedgerEntry" l
    JOIN "Registration" r ON r."campaignId" = l."campaignId" AND r."customerRef" = l."customerRef"
    WHERE l."campaignId" = ANY(${campaignIds}::text[]) AND l.kind = 'revenue' AND l.scope = 'period'
      AND r."channelId" = ${channelId} AND r."flagReason" IS NULL
    GROUP BY l.currency`;
}

/** Registrations of the channel that the anti-fraud systems flagged after they were accepted (FraudFlag). */
export async function fraudFlagCount(
  db: Db,
  channelId: string,
  campaignIds: readonly string[],
): Promise<bigint> {
  const rows = await db.$queryRaw<{ flags: bigint }[]>`
    SELECT count(*) AS flags FROM "FraudFlag"
    WHERE "campaignId" = ANY(${campaignIds}::text[]) AND "channelId" = ${channelId}`;
  return rows[0]?.flags ?? 0n;
}
