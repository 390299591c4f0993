// The ingest's per-customer lookups stay lookups on tables the planner knows nothing about. Written as
// `"customerRef" = ANY($array)` beside `"campaignId" = $1`, a planner without column statistics (this test's
// fresh database is never analysed; autovacuum is off on the machines this runs on) took the campaign's
// id alone for the index and filtered every registration of the campaign against the batch: at 480,000
// registrations 445 ms per batch under the campaign's lock and 1,467 ms for the other live campaigns'
// registrations (docs/benchmarks.md). Counted here from PostgreSQL's own per-transaction statistics: how
// many rows the lookups of a batch of 50 customers read, in campaigns of 30,000 registrations each.
import type pg from 'pg';
import { pgPoolOf } from '../../../db/client';
import { loadFunnelCampaign, type FunnelCampaign } from '../../../funnel/ingest/campaign-context';
import { customerEventFacts, lookUpEventFacts } from '../../../funnel/ingest/event-sql';
import type { RegistrationItem } from '../../../funnel/ingest/registration-schema';
import {
  inPgTransaction,
  lookUpLockedFacts,
  lookUpUnlockedFacts,
} from '../../../funnel/ingest/registration-sql';
import { createOwnDatabase, type OwnDatabase } from '../../support/own-database';
import { createTestContext, type TestContext } from '../../support/context';
import { seedCampaign, type SeededCampaign } from '../evaluation/seed';

let own: OwnDatabase;
let ctx: TestContext;
let campaign: FunnelCampaign;
let seeded: SeededCampaign;

const PER_CAMPAIGN = 30_000;
const BATCH = 50;

beforeAll(async () => {
  own = await createOwnDatabase();
  ctx = await createTestContext({ worker: false, databaseUrl: own.url });
  seeded = await seedCampaign(ctx.db, { seed: 11, registrations: 120 });
  const other = await seedCampaign(ctx.db, { seed: 12, registrations: 120, channelIds: seeded.channelIds });
  // Both campaigns get 30,000 registrations (every one with a contact and a device) and this one 30,000
  // events; the batch's customers are the last 50 of this campaign, each also registered in the other.
  await inPgTransaction(pgPoolOf(ctx.db), async (client) => {
    for (const id of [seeded.campaignId, other.campaignId]) {
      await client.query(
        `INSERT INTO "Registration" ("id", "campaignId", "customerRef", "channelId", "variantKey", "registeredAt",
           "cohortKey", "periodEndsAt", "arm", "contactHash", "deviceFingerprint", "createdAt")
         SELECT $1 || '-' || i, $1, 'bulk-' || i, $2, 'v1', now() - interval '1 minute', 'c1',
                now() + interval '30 days', 'treatment', 'contact-' || i, 'device-' || i, now()
           FROM generate_series(1, $3::int) AS i`,
        [id, seeded.channelIds[0], PER_CAMPAIGN],
      );
    }
    await client.query(
      `INSERT INTO "CustomerEvent" ("eventId", "campaignId", "customerRef", "type", "occurredAt", "receivedAt")
       SELECT 'bulk-event-' || i, $1, 'bulk-' || i, 'login', now(), now() FROM generate_series(1, $2::int) AS i`,
      [seeded.campaignId, PER_CAMPAIGN],
    );
  });
  campaign = (await loadFunnelCampaign(ctx.db, seeded.campaignId)) as FunnelCampaign;
}, 120_000);

afterAll(async () => {
  await ctx?.stop();
  await own?.drop();
});

/** Rows of Registration and CustomerEvent that `work` read (index fetches and sequential reads), in one transaction. */
async function rowsReadBy(work: (client: pg.PoolClient) => Promise<unknown>): Promise<number> {
  return inPgTransaction(pgPoolOf(ctx.db), async (client) => {
    await work(client);
    // This transaction's own counts, not yet flushed to the shared statistics: no waiting, no other backend.
    const { rows } = await client.query<{ read: string }>(
      `SELECT coalesce(sum(coalesce(idx_tup_fetch, 0) + coalesce(seq_tup_read, 0)), 0) AS read
         FROM pg_stat_xact_user_tables WHERE relname IN ('Registration', 'CustomerEvent')`,
    );
    return Number(rows[0]?.read ?? 0);
  });
}

/** The batch: the last 50 customers again, registering now (within the device-burst window of their first time). */
function batchItems(): RegistrationItem[] {
  return Array.from({ length: BATCH }, (_, i) => PER_CAMPAIGN - i).map(
    (i) =>
      ({
        customerRef: `bulk-${i}`,
        contactHash: `contact-${i}`,
        deviceFingerprint: `device-${i}`,
        registeredAt: new Date().toISOString(),
      }) as RegistrationItem,
  );
}

it('has no column statistics to go by (the condition the lookups must survive)', async () => {
  const { rows } = await pgPoolOf(ctx.db).query(
    `SELECT count(*)::int AS n FROM pg_stats WHERE tablename IN ('Registration', 'CustomerEvent')`,
  );
  expect(rows[0].n).toBe(0);
});

it("reads the batch's own rows only, not the campaigns' 60,000 registrations and 30,000 events", async () => {
  let unlocked: Awaited<ReturnType<typeof lookUpUnlockedFacts>> | undefined;
  let locked: Awaited<ReturnType<typeof lookUpLockedFacts>> | undefined;
  let events: Awaited<ReturnType<typeof customerEventFacts>> | undefined;
  const items = batchItems();
  const refs = items.map((item) => item.customerRef);
  const read = await rowsReadBy(async (client) => {
    unlocked = await lookUpUnlockedFacts(client, campaign, items);
    locked = await lookUpLockedFacts(client, campaign, items);
    await lookUpEventFacts(client, campaign.id, refs, []);
    events = await customerEventFacts(client, campaign.id, refs);
  });
  // What they found is right: each customer registered here and elsewhere, owning its contact and device,
  // with one event each.
  expect(unlocked!.registeredElsewhere.size).toBe(BATCH);
  expect(locked!.inCampaign.size).toBe(BATCH);
  expect(locked!.contactOwners.size).toBe(BATCH);
  expect(locked!.deviceOwners.size).toBe(BATCH);
  expect(locked!.fingerprintTimes.size).toBe(BATCH); // both campaigns' registrations, a minute ago
  expect(events!.size).toBe(BATCH);
  // A few rows per customer per lookup (the old plans read 30,000–60,000 rows per lookup: over 200,000).
  expect(read).toBeLessThan(BATCH * 20);
});
