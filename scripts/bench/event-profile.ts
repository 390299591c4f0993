// Benchmark (not a test): where the milliseconds of a 250-event batch go — the sibling of
// ingest-profile.ts for POST /campaigns/:id/events. As bench:funnel's lanes do, each round ingests 1,000
// registrations (ingestRegistrations) and then one transaction event for every fourth of them, which
// activates it; the event batch runs in-process (zod, then ingestCustomerEvents) with its steps timed
// through its `step` hook (EVENT_INGEST_STEPS: the events lock, the lookups, the revenue total, the event
// insert, the revenue entries, and activation: its events read, the Registration update with its rollup
// triggers, the rewards); `commit` is the transaction's remainder (its COMMIT and Prisma's overhead).
//   npx tsx scripts/bench/event-profile.ts [--rounds N] [--messages N] [--keep]
// --messages N: meanwhile N writers do what the worker's cohort steps do after each page — one
// transaction inserting 500 Message rows and their ledger entries (activities/cohort-steps.ts,
// recordMessages) — for the campaign's registrations, so that the contention with them shows.
// The scratch database is fresh and, on a server without autovacuum, never analysed — as bench:funnel's.
import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '../../db/client';
import { insertLedgerEntries, insertMessages } from '../../db/bulk-insert';
import { parseSingleOrBatch } from '../../funnel/ingest/batch';
import { loadFunnelCampaign, type FunnelCampaign } from '../../funnel/ingest/campaign-context';
import { EVENT_INGEST_STEPS, ingestCustomerEvents } from '../../funnel/ingest/event-ingest';
import { CustomerEventItemSchema } from '../../funnel/ingest/event-schema';
import { ledgerEntries } from '../../funnel/ingest/ledger-entries';
import { ingestRegistrations } from '../../funnel/ingest/registration-ingest';
import { RegistrationItemSchema } from '../../funnel/ingest/registration-schema';
import { printStepTable } from './step-table';
import { benchLine } from './figures';
import { seedIngestCampaign } from './seed';
import { createScratchDatabase } from './setup';

const BATCH = 1000;
const SPANS = ['zod', ...EVENT_INGEST_STEPS, 'commit'] as const;
type Span = (typeof SPANS)[number];

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

/** One cohort step's page: 500 messages and their cost entries in one transaction, as recordMessages. */
async function writeMessagePage(db: Db, campaign: FunnelCampaign, page: number): Promise<void> {
  const rows = await db.registration.findMany({
    where: { campaignId: campaign.id },
    orderBy: { id: 'asc' },
    skip: (page * 500) % 20_000,
    take: 500,
    select: { id: true, customerRef: true, channelId: true, variantKey: true, cohortKey: true },
  });
  if (rows.length === 0) return;
  const stepId = `step-${Math.floor((page * 500) / 20_000)}`;
  const messages = rows.map((r) => ({
    id: randomUUID(),
    campaignId: campaign.id,
    registrationId: r.id,
    customerRef: r.customerRef,
    cohortKey: r.cohortKey,
    stepId,
    channelId: r.channelId,
    kind: 'education',
    costMinor: 10,
    deliveredAt: new Date().toISOString(),
  }));
  const ledger = messages.map((m, i) =>
    ledgerEntries.message(m.id, { campaignId: campaign.id, ...rows[i]! }, 10, 'CNY', new Date()),
  );
  await db.$transaction(async (tx) => {
    await insertMessages(tx, messages);
    await insertLedgerEntries(tx, ledger);
  });
}

async function main() {
  const rounds = option('--rounds', 30);
  const messageWriters = option('--messages', 0);
  const scratch = await createScratchDatabase('bench_event_profile');
  const db = createDb(scratch.url, 4 + messageWriters);
  const spans: Record<Span, number>[] = [];
  try {
    const { id, codes } = await seedIngestCampaign(db, rounds * BATCH);
    const campaign = (await loadFunnelCampaign(db, id)) as FunnelCampaign;
    let writing = true;
    let pages = 0;
    const writer = async () => {
      while (writing) await writeMessagePage(db, campaign, pages++);
    };
    const writers = Array.from({ length: messageWriters }, writer);
    for (let round = 0; round < rounds; round++) {
      const registrations = Array.from({ length: BATCH }, (_, i) => ({
        customerRef: `cust-${round * BATCH + i}`,
        channelCode: codes[(round * BATCH + i) % 3],
        registeredAt: new Date().toISOString(),
      }));
      const parsed = parseSingleOrBatch(RegistrationItemSchema, { items: registrations });
      await ingestRegistrations(db, campaign, parsed.items);

      const at = Object.fromEntries(SPANS.map((s) => [s, 0])) as Record<Span, number>;
      const time = async <T>(span: Span, fn: () => T | Promise<T>): Promise<T> => {
        const started = performance.now();
        const value = await fn();
        at[span] += performance.now() - started;
        return value;
      };
      const events = registrations
        .filter((_, i) => i % 4 === 0)
        .map((r) => ({
          eventId: `${r.customerRef}-tx`,
          customerRef: r.customerRef,
          type: 'transaction',
          amountMinor: 20_000,
          revenueMinor: 200,
          currency: 'CNY',
          occurredAt: new Date().toISOString(),
        }));
      const started = performance.now();
      const items = await time(
        'zod',
        () => parseSingleOrBatch(CustomerEventItemSchema, { items: events }).items,
      );
      const results = await ingestCustomerEvents(db, campaign, items, { step: time });
      const total = performance.now() - started;
      at.commit = total - SPANS.reduce((sum, s) => (s === 'commit' ? sum : sum + at[s]), 0);
      const activated = results.filter((r) => r.activatedAt !== undefined).length;
      if (activated !== events.length)
        throw new Error(`round ${round}: ${activated} of ${events.length} activated`);
      spans[round] = at;
    }
    writing = false;
    await Promise.all(writers);
    console.log(`message pages written meanwhile: ${pages}`);
  } finally {
    await db.$disconnect();
    if (process.argv.includes('--keep')) console.log(`kept ${scratch.url}`);
    else await scratch.drop();
  }

  const figures = printStepTable(
    `event batch of ${BATCH / 4} after each ${BATCH} registrations, ${messageWriters} message writer(s) meanwhile, mean ms per step (in-process, no HTTP)`,
    SPANS,
    spans,
    'rounds',
  );
  console.log(
    benchLine({
      bench: 'event-profile',
      registrations: rounds * BATCH,
      messageWriters,
      ...figures,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
