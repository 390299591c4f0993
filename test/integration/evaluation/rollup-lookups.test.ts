// The rollup triggers' per-customer lookups stay lookups on a table the planner knows nothing about.
// A registration's rollup trigger looks its customer's revenue up (a registration may follow its revenue);
// when an index on the campaign's ledger without the customer matched that lookup too, a planner without
// column statistics — a database never analysed, as this test's fresh one is — walked every revenue entry of
// the campaign for each registration (1.7 s each at 250,000 entries; migration
// 20261204000000_ledger_customer_lookup). Counted here from PostgreSQL's own per-transaction statistics:
// how many ledger rows index scans fetched while one statement registered 50 customers. The campaign has
// 60,000 revenue entries because the trap needs a large table: without statistics the planner estimates
// rows from the equality conditions alone, and only past ~40,000 revenue entries does the partial index's
// estimate exceed the wider index's.
import pg from 'pg';
import { createOwnDatabase, type OwnDatabase } from '../../support/own-database';
import { createTestContext, type TestContext } from '../../support/context';
import { seedCampaign, type SeededCampaign } from './seed';

let own: OwnDatabase;
let ctx: TestContext;
let seeded: SeededCampaign;
let client: pg.Client;

const REVENUE_ENTRIES = 60_000;
const REGISTRATIONS = 50;

beforeAll(async () => {
  own = await createOwnDatabase();
  ctx = await createTestContext({ worker: false, databaseUrl: own.url });
  seeded = await seedCampaign(ctx.db, { seed: 7, registrations: 120 });
  client = new pg.Client({ connectionString: own.url });
  await client.connect();
  // The campaign's revenue so far: one entry for each of 60,000 other customers.
  await client.query(
    `INSERT INTO "LedgerEntry" ("id", "campaignId", "kind", "scope", "category", "channelId", "customerRef",
       "amountMinor", "currency", "occurredAt", "createdAt")
     SELECT 'revenue:bulk-' || i, $1, 'revenue', 'period', 'revenue', $2, 'paying-' || i, 100, $3, now(), now()
       FROM generate_series(1, $4::int) AS i`,
    [seeded.campaignId, seeded.channelIds[0], seeded.currency, REVENUE_ENTRIES],
  );
}, 60_000);

afterAll(async () => {
  await client?.end();
  await ctx?.stop();
  await own?.drop();
});

async function ledgerRowsFetchedBy(statement: string, params: unknown[]): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query(statement, params);
    // This transaction's own counts, not yet flushed to the shared statistics: no waiting, no other backend.
    const { rows } = await client.query<{ fetched: string }>(
      `SELECT coalesce(idx_tup_fetch, 0) AS fetched FROM pg_stat_xact_user_tables WHERE relname = 'LedgerEntry'`,
    );
    return Number(rows[0]?.fetched ?? 0);
  } finally {
    await client.query('ROLLBACK');
  }
}

it('has no column statistics to go by (the condition the lookup must survive)', async () => {
  const { rows } = await client.query(
    `SELECT count(*)::int AS n FROM pg_stats WHERE tablename = 'LedgerEntry'`,
  );
  expect(rows[0].n).toBe(0);
});

it('registers 50 customers reading only their own revenue, not the campaign’s 60,000 entries each', async () => {
  const fetched = await ledgerRowsFetchedBy(
    `INSERT INTO "Registration" ("id", "campaignId", "customerRef", "channelId", "variantKey", "registeredAt",
       "cohortKey", "periodEndsAt", "arm", "createdAt")
     SELECT 'lookup-' || i, $1, 'new-' || i, $2, 'v1', now(), 'c1', now() + interval '30 days', 'treatment', now()
       FROM generate_series(1, $3::int) AS i`,
    [seeded.campaignId, seeded.channelIds[0], REGISTRATIONS],
  );
  // None of the new customers has revenue: a lookup per customer fetches nothing. The old plan fetched
  // every revenue entry of the campaign per customer: 50 × 60,000 = 3,000,000.
  expect(fetched).toBeLessThan(REGISTRATIONS);
});

it('still finds the revenue of a customer who paid before registering (the lookup is right, not just quick)', async () => {
  const bucket = async () =>
    (
      await client.query<{ revenue: number; entries: number }>(
        `SELECT coalesce(sum("revenueMinor"), 0)::int AS revenue, coalesce(sum("revenueEntries"), 0)::int AS entries
           FROM "FunnelRollup"
          WHERE "campaignId" = $1 AND "channelId" = $2 AND "variantKey" = 'v1' AND "cohortKey" = 'c1'
            AND arm = 'treatment' AND "flagReason" = ''`,
        [seeded.campaignId, seeded.channelIds[0]],
      )
    ).rows[0]!;
  const before = await bucket();
  await client.query(
    `INSERT INTO "Registration" ("id", "campaignId", "customerRef", "channelId", "variantKey", "registeredAt",
       "cohortKey", "periodEndsAt", "arm", "createdAt")
     VALUES ('lookup-paying-7', $1, 'paying-7', $2, 'v1', now(), 'c1', now() + interval '30 days', 'treatment', now())`,
    [seeded.campaignId, seeded.channelIds[0]],
  );
  // paying-7's one revenue entry (100) moved into the bucket with the registration.
  expect(await bucket()).toEqual({ revenue: before.revenue + 100, entries: before.entries + 1 });
});
