// Benchmark (not a test): where the milliseconds of a 1,000-item registration batch go. Runs the steps of
// POST /campaigns/:id/registrations in-process, in the order the API runs them, each timed with
// performance.now(): JSON parse (express.json), input guard, campaign load, zod (batch envelope + items),
// then ingestRegistrations itself (funnel/ingest/registration-ingest.ts), its steps timed through its
// `step` hook (INGEST_STEPS: the lookups before the lock, the first decision and its registrations
// written, the lock, the lookups under it, the decision, the write, the budget, the commit), then the
// reply (summary + JSON text).
//   npx tsx scripts/bench/ingest-profile.ts [--batches N] [--lanes N] [--keep]
// (default 100 batches of 1,000 = 100,000, one at a time; --lanes 2 sends two at a time, as bench:funnel
// does, so that the lock's waits show, and prints the rate.)
// Creates and drops its own scratch database (BENCH_PG_ADMIN_URL).
import { jsonDefect } from '../../api/input-guard';
import { createDb } from '../../db/client';
import { parseSingleOrBatch, summarize } from '../../funnel/ingest/batch';
import { loadFunnelCampaign } from '../../funnel/ingest/campaign-context';
import { INGEST_STEPS, ingestRegistrations } from '../../funnel/ingest/registration-ingest';
import { RegistrationItemSchema } from '../../funnel/ingest/registration-schema';
import { printStepTable } from './step-table';
import { benchLine } from './figures';
import { seedIngestCampaign } from './seed';
import { createScratchDatabase } from './setup';

const BATCH = 1000;
const SPANS = ['jsonParse', 'inputGuard', 'loadCampaign', 'zod', ...INGEST_STEPS, 'reply'] as const;
type Span = (typeof SPANS)[number];

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

async function main() {
  const batches = option('--batches', 100);
  const lanes = option('--lanes', 1);
  const scratch = await createScratchDatabase('bench_ingest_profile');
  const db = createDb(scratch.url, 4);
  const spans: Record<Span, number>[] = [];
  let elapsedMs = 0;
  try {
    const { id, codes } = await seedIngestCampaign(db, batches * BATCH);
    const runBatch = async (b: number) => {
      const at: Record<Span, number> = Object.fromEntries(SPANS.map((s) => [s, 0])) as Record<Span, number>;
      const time = async <T>(span: Span, fn: () => T | Promise<T>): Promise<T> => {
        const started = performance.now();
        const value = await fn();
        at[span] += performance.now() - started;
        return value;
      };
      const text = JSON.stringify({
        items: Array.from({ length: BATCH }, (_, i) => ({
          customerRef: `cust-${b * BATCH + i}`,
          channelCode: codes[(b * BATCH + i) % 3],
          registeredAt: new Date().toISOString(),
        })),
      });
      const body: unknown = await time('jsonParse', () => JSON.parse(text));
      const defect = await time('inputGuard', () => jsonDefect(body));
      if (defect) throw new Error(`input guard: ${defect.field}`);
      const campaign = await time('loadCampaign', () => loadFunnelCampaign(db, id));
      if (!campaign) throw new Error('no campaign');
      const parsed = await time('zod', () => parseSingleOrBatch(RegistrationItemSchema, body));
      const results = await ingestRegistrations(db, campaign, parsed.items, { step: time });
      await time('reply', () => JSON.stringify({ summary: summarize(results), items: results }));
      if (results.some((r) => r.status !== 'accepted')) throw new Error(`batch ${b}: not all accepted`);
      spans[b] = at;
    };
    // Batch 0 alone first: it warms up the JIT and the connections, and is left out of the means.
    await runBatch(0);
    const started = performance.now();
    let next = 1;
    const lane = async () => {
      for (let b = next++; b < batches; b = next++) await runBatch(b);
    };
    await Promise.all(Array.from({ length: lanes }, lane));
    elapsedMs = performance.now() - started;
  } finally {
    await db.$disconnect();
    // --keep leaves the database for a closer look at its queries (EXPLAIN ANALYZE).
    if (process.argv.includes('--keep')) console.log(`kept ${scratch.url}`);
    else await scratch.drop();
  }
  const perSecond = Math.round(((batches - 1) * BATCH * 1000) / elapsedMs);

  const figures = printStepTable(
    `registration batch of ${BATCH}, ${lanes} at a time, mean ms per step (in-process, no HTTP): ${perSecond} registrations/s`,
    SPANS,
    spans,
    'batches',
  );
  console.log(
    benchLine({
      bench: 'ingest-profile',
      registrations: batches * BATCH,
      lanes,
      perSecond,
      ...figures,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
