// A registration batch writes its rows before it takes the campaign's lock and decides again under it
// (funnel/ingest/provisional-write.ts). These tests hold two batches at the lock until both have
// written, so that the second's decision under the lock meets facts the first decision did not see —
// and what is stored must be what batches taken one after the other would have stored.
import pg from 'pg';
import { checkRollups } from '../../../evaluation/rollups';
import { IngestBusyError, funnelLockKey } from '../../../funnel/ingest/campaign-lock';
import { parseSingleOrBatch } from '../../../funnel/ingest/batch';
import { loadFunnelCampaign, type FunnelCampaign } from '../../../funnel/ingest/campaign-context';
import { ingestRegistrations, type IngestStep } from '../../../funnel/ingest/registration-ingest';
import { RegistrationItemSchema } from '../../../funnel/ingest/registration-schema';
import { createTestContext, eventually, testUrls, type TestContext } from '../../support/context';
import { uniq } from '../../support/fixtures';
import { postRegistrations, registration, seedCampaign } from './fixtures';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
});
afterAll(() => ctx.stop());

/** Resolves for everyone once `n` callers have arrived. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    arrived += 1;
    if (arrived === n) release();
    return all;
  };
}

/** Ingests each batch concurrently; none takes the lock before every one has written its rows. */
async function atTheLockTogether(campaign: FunnelCampaign, batches: unknown[][]) {
  const atLock = barrier(batches.length);
  const reached: IngestStep[][] = batches.map(() => []);
  const results = await Promise.all(
    batches.map((items, b) =>
      ingestRegistrations(ctx.db, campaign, parseSingleOrBatch(RegistrationItemSchema, { items }).items, {
        step: async (name, run) => {
          reached[b]!.push(name);
          if (name === 'lock') await atLock();
          return run();
        },
      }),
    ),
  );
  // Both wrote before either locked: the second decision met the first batch's commit.
  for (const steps of reached) expect(steps.indexOf('firstWrite')).toBeLessThan(steps.indexOf('lock'));
  return results;
}

it('racing for the last of the budget: the batch decided second removes what it wrote and cannot pay for', async () => {
  // 500 per registration, 2,500 budget: five registrations in all, whichever batch gets them.
  const seeded = await seedCampaign(ctx.db, { plan: { acquisitionBudgetMinor: 2_500 } });
  const campaign = (await loadFunnelCampaign(ctx.db, seeded.id))!;
  const [a, b] = await atTheLockTogether(campaign, [
    Array.from({ length: 4 }, () => registration(seeded)),
    Array.from({ length: 4 }, () => registration(seeded)),
  ]);
  const statuses = [...a!, ...b!].map((r) => (r.status === 'rejected' ? r.errors![0]!.reason : r.status));
  expect(statuses.filter((s) => s === 'accepted')).toHaveLength(5);
  expect(statuses.filter((s) => s === 'budget_exhausted')).toHaveLength(3);

  const stored = await ctx.db.registration.findMany({
    where: { campaignId: seeded.id },
    select: { id: true },
  });
  const acceptedIds = [...a!, ...b!].flatMap((r) => (r.status === 'accepted' ? [r.registrationId] : []));
  expect(stored.map((r) => r.id).sort()).toEqual(acceptedIds.sort());
  const spent = await ctx.db.ledgerEntry.aggregate({
    where: { campaignId: seeded.id },
    _sum: { amountMinor: true },
  });
  expect(spent._sum.amountMinor).toBe(2_500n);
  expect(await checkRollups(ctx.db, seeded.id)).toEqual([]);
});

it('a contact shared across two racing batches: the one decided under the lock second is flagged', async () => {
  const seeded = await seedCampaign(ctx.db);
  const campaign = (await loadFunnelCampaign(ctx.db, seeded.id))!;
  const contactHash = uniq('contact');
  const [a, b] = await atTheLockTogether(campaign, [
    [registration(seeded, { contactHash }), registration(seeded)],
    [registration(seeded, { contactHash }), registration(seeded)],
  ]);
  const shared = [a![0]!, b![0]!];
  expect(shared.map((r) => r.status).sort()).toEqual(['accepted', 'flagged']);
  const flagged = shared.find((r) => r.status === 'flagged')!;
  expect(flagged.flagReason).toBe('duplicate_customer');

  const rows = await ctx.db.registration.findMany({ where: { campaignId: seeded.id } });
  expect(rows).toHaveLength(4);
  expect(rows.find((r) => r.id === flagged.registrationId)?.flagReason).toBe('duplicate_customer');
  // A flagged registration earns no incentive: three incentives, none of them the flagged one's.
  const ledger = await ctx.db.ledgerEntry.findMany({ where: { campaignId: seeded.id } });
  expect(ledger.map((e) => e.id).sort()).toEqual(
    rows
      .filter((r) => r.flagReason === null)
      .map((r) => `incentive:${r.id}`)
      .sort(),
  );
  expect(await checkRollups(ctx.db, seeded.id)).toEqual([]);
});

it('the same customer in two racing batches is stored once, and the other batch answers it as a repeat', async () => {
  const seeded = await seedCampaign(ctx.db);
  const campaign = (await loadFunnelCampaign(ctx.db, seeded.id))!;
  const customer = registration(seeded);
  // The second batch's write waits on the first's uncommitted row, so they cannot both reach the lock
  // first: no barrier here, only that both are in flight at once.
  const parsed = (items: unknown[]) => parseSingleOrBatch(RegistrationItemSchema, { items }).items;
  const [a, b] = await Promise.all([
    ingestRegistrations(ctx.db, campaign, parsed([customer, registration(seeded)])),
    ingestRegistrations(ctx.db, campaign, parsed([registration(seeded), customer])),
  ]);
  const answers = [a![0]!, b![1]!];
  expect(answers.map((r) => r.status).sort()).toEqual(['accepted', 'duplicate_request']);
  expect(answers[0]!.registrationId).toBe(answers[1]!.registrationId);
  expect(await ctx.db.registration.count({ where: { campaignId: seeded.id } })).toBe(3);
  expect(await ctx.db.ledgerEntry.count({ where: { campaignId: seeded.id } })).toBe(3);
  expect(await checkRollups(ctx.db, seeded.id)).toEqual([]);
});

describe('a batch not taken in time: nothing of it stays, its rows written before the lock included', () => {
  /** Holds the campaign's registration lock on a connection of its own until `release`. */
  async function holdLock(campaignId: string) {
    const client = new pg.Client({ connectionString: testUrls().databaseUrl });
    await client.connect();
    const key = funnelLockKey(campaignId, 'registrations');
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
    return {
      /**
       * Cancels the statements waiting for this very lock (not another test's), as the batch limit's
       * statement timeout would: the same error, 57014.
       */
      async cancelWaiters(): Promise<number> {
        const waiting = await eventually(async () => {
          const { rows } = await client.query<{ pid: number }>(
            `SELECT pid FROM pg_locks
              WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)`,
            [key],
          );
          expect(rows.length).toBeGreaterThan(0);
          return rows;
        });
        for (const { pid } of waiting) await client.query('SELECT pg_cancel_backend($1)', [pid]);
        return waiting.length;
      },
      async release() {
        await client.query('ROLLBACK');
        await client.end();
      },
    };
  }

  it('in-process: the batch fails as IngestBusyError and its campaign has no registration, no entry', async () => {
    const seeded = await seedCampaign(ctx.db);
    const campaign = (await loadFunnelCampaign(ctx.db, seeded.id))!;
    const lock = await holdLock(seeded.id);
    try {
      const items = Array.from({ length: 50 }, () => registration(seeded));
      const batch = ingestRegistrations(
        ctx.db,
        campaign,
        parseSingleOrBatch(RegistrationItemSchema, { items }).items,
      ).catch((err: unknown) => err);
      expect(await lock.cancelWaiters()).toBe(1);
      expect(await batch).toBeInstanceOf(IngestBusyError);
    } finally {
      await lock.release();
    }
    expect(await ctx.db.registration.count({ where: { campaignId: seeded.id } })).toBe(0);
    expect(await ctx.db.ledgerEntry.count({ where: { campaignId: seeded.id } })).toBe(0);
    expect(await checkRollups(ctx.db, seeded.id)).toEqual([]);
  });

  it('over the API: 503 ingest-busy with Retry-After, and the batch sent again is taken whole', async () => {
    const seeded = await seedCampaign(ctx.db);
    const items = Array.from({ length: 50 }, () => registration(seeded));
    const lock = await holdLock(seeded.id);
    let busy: Awaited<ReturnType<typeof postRegistrations>>;
    try {
      const sent = postRegistrations(ctx.app, seeded.id, { items }).then((res) => res);
      expect(await lock.cancelWaiters()).toBe(1);
      busy = await sent;
    } finally {
      await lock.release();
    }
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('1');
    expect(busy.body).toMatchObject({ type: expect.stringContaining('ingest-busy'), retryable: true });
    expect(await ctx.db.registration.count({ where: { campaignId: seeded.id } })).toBe(0);

    const again = await postRegistrations(ctx.app, seeded.id, { items });
    expect(again.status).toBe(200);
    expect(again.body.items.map((i: { status: string }) => i.status)).toEqual(items.map(() => 'accepted'));
    expect(await ctx.db.registration.count({ where: { campaignId: seeded.id } })).toBe(50);
  });
});
