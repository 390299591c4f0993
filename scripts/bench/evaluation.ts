// Benchmark (not a test): the evaluation (from the rollups kept at ingest) of a campaign with 1,000,000 registrations and 3,000,000 customer
// events (+ ~2.5 million ledger entries) in PostgreSQL, beside the single hand-written SQL aggregate a
// database expert would write for the headline numbers — the practical limit. Prints both and the ratio.
//   npm run bench:evaluation   # creates, migrates and drops its own scratch database (BENCH_PG_ADMIN_URL)
// Options: --registrations N (default 1,000,000), --runs N (default 3; the median is reported),
// --keep (leave the generated campaign and its scratch database, and print both), --campaign ID (time
// an existing generated campaign, in the database BENCH_DATABASE_URL names, instead of generating one).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from '../../db/client';
import { buildEvaluation } from '../../evaluation/report';
import { EVALUATION_WORK_MEM, loadFactsSnapshot } from '../../evaluation/store';
import { migrateDeploy } from '../../infra/migrate';
import { benchLine, median, ratio, type BenchFigures } from './figures';
import { createScratchDatabase, type ScratchDatabase } from './setup';

const CHANNELS = 20;
const VARIANTS = 3;
const COHORT_DAYS = 30;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at === -1) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} needs a positive whole number`);
  return value;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

async function timed<T>(what: string, fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = process.hrtime.bigint();
  const value = await fn();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  log(`  ${what}: ${ms.toFixed(0)} ms`);
  return { value, ms };
}

/**
 * Facts generated in the database with generate_series (pseudo-random through PostgreSQL's hashint8 of
 * the row number): 10% control, 2% flagged (never activated), 30% of the valid ones activated, three
 * events per customer, an incentive per registration, a message per treatment customer, a reward per
 * activation, revenue per transaction event of activated customers, and one fee per placement.
 */
async function generate(client: pg.Client, campaignId: string, registrations: number): Promise<void> {
  const tag = campaignId.slice(0, 8);
  await client.query(
    `INSERT INTO "Channel" (id, code, name, kind, department, "costModel", adapter, "updatedAt")
     SELECT 'bench-' || $1 || '-' || g, 'bench-' || $1 || '-' || g, 'Bench channel ' || g, 'ecosystem_scenario',
            'bench', '{"type":"fixed_per_placement","amountMinor":100000,"currency":"CNY"}', '{"type":"simulator"}', now()
     FROM generate_series(0, ${CHANNELS - 1}) g`,
    [tag],
  );
  await client.query(
    `INSERT INTO "Campaign" (id, name, status, plan, currency, "workflowId", "workflowStartedAt", "createdBy", "updatedAt")
     VALUES ($1, 'bench evaluation', 'completed', '{"currency":"CNY","controlGroupShare":0.1}', 'CNY',
             'bench-' || $1, now(), 'bench', now())`,
    [campaignId],
  );
  await client.query(
    `INSERT INTO "Placement" (id, "campaignId", "channelId", "materialVersionId", "variantKey", "contentHash", status,
                              "publishedAt", "updatedAt")
     SELECT 'pl-' || $1 || '-' || c || '-' || v, $1, 'bench-' || $2 || '-' || c, 'mv', 'v' || v, 'h', 'verified',
            now() - interval '120 days', now()
     FROM generate_series(0, ${CHANNELS - 1}) c, generate_series(0, ${VARIANTS - 1}) v`,
    [campaignId, tag],
  );
  // One registration per g; registeredAt spread over 30 days starting 100 days ago, so every period has ended.
  await client.query(
    `INSERT INTO "Registration" (id, "campaignId", "customerRef", "channelId", "variantKey", "registeredAt",
                                 "cohortKey", "periodEndsAt", arm, "flagReason", "activatedAt")
     SELECT 'r-' || $1 || '-' || g, $1, 'c' || g, 'bench-' || $2 || '-' || (h.a % ${CHANNELS}),
            'v' || (h.b % ${VARIANTS}), reg, to_char(reg, 'YYYY-MM-DD'), reg + interval '30 days',
            CASE WHEN h.c % 10 = 0 THEN 'control' ELSE 'treatment' END,
            CASE WHEN h.d % 50 = 0 THEN 'duplicate_customer' END,
            CASE WHEN h.d % 50 <> 0 AND h.e % 10 < 3 THEN reg + (h.e % 864000 + 60) * interval '1 second' END
     FROM generate_series(1, $3::bigint) g,
          -- Independent pseudo-random draws per registration from PostgreSQL's integer hash.
          LATERAL (SELECT abs(hashint8(g)) AS a, abs(hashint8(g + 1000003)) AS b, abs(hashint8(g + 2000003)) AS c,
                          abs(hashint8(g + 3000017)) AS d, abs(hashint8(g + 4000037)) AS e) h,
          LATERAL (SELECT date_trunc('day', now()) - interval '100 days' + (h.c / 10 % ${COHORT_DAYS}) * interval '1 day'
                          + (h.b % 86400) * interval '1 second' AS reg) t`,
    [campaignId, tag, registrations],
  );
  await client.query(
    `INSERT INTO "CustomerEvent" ("eventId", "campaignId", "customerRef", type, "amountMinor", currency, "occurredAt")
     SELECT 'e-' || $1 || '-' || g || '-' || k, $1, 'c' || g, (ARRAY['login', 'transaction', 'deposit'])[k],
            CASE WHEN k > 1 THEN 1000 + (g * k * 7919) % 100000 END, CASE WHEN k > 1 THEN 'CNY' END,
            now() - interval '90 days' + k * interval '1 day'
     FROM generate_series(1, $2::bigint) g, generate_series(1, 3) k`,
    [campaignId, registrations],
  );
  // The ledger, from the registrations (attribution: channel, variant, cohort, customer).
  await client.query(
    `INSERT INTO "LedgerEntry" (id, "campaignId", kind, scope, category, "channelId", "variantKey", "cohortKey",
                                "customerRef", "amountMinor", currency, "occurredAt")
     SELECT x.id || $1 || ':' || r."customerRef", r."campaignId", x.kind, x.scope, x.category, r."channelId", r."variantKey",
            r."cohortKey", r."customerRef", x.amount, 'CNY', r."registeredAt"
     FROM "Registration" r
     CROSS JOIN LATERAL (VALUES
       ('incentive:', 'cost', 'acquisition', 'registration_incentive', 500::bigint, true),
       ('message:', 'cost', 'period', 'message', 8, r.arm = 'treatment' AND r."flagReason" IS NULL),
       ('reward:', 'cost', 'period', 'activation_reward', 2000, r."activatedAt" IS NOT NULL),
       ('revenue:', 'revenue', 'period', 'revenue', 1000 + (length(r."customerRef") * 7919) % 50000,
        r."activatedAt" IS NOT NULL)
     ) AS x(id, kind, scope, category, amount, applies)
     WHERE r."campaignId" = $1 AND x.applies`,
    [campaignId],
  );
  await client.query(
    `INSERT INTO "LedgerEntry" (id, "campaignId", kind, scope, category, "channelId", "variantKey", "amountMinor",
                                currency, "occurredAt")
     SELECT 'fee:' || p.id, p."campaignId", 'cost', 'acquisition', 'placement_fee', p."channelId", p."variantKey",
            100000, 'CNY', p."publishedAt"
     FROM "Placement" p WHERE p."campaignId" = $1`,
    [campaignId],
  );
  // The rollups were written by the triggers in the same statements (evaluation/rollups.ts); analysed like
  // the facts, as autovacuum would have by the time a campaign is evaluated.
  await client.query(
    'ANALYZE "Registration", "CustomerEvent", "LedgerEntry", "Placement", "FunnelRollup", "LedgerRollup", "ActivationTimeRollup"',
  );
}

interface Headline {
  registrations: bigint;
  activated: bigint;
  acquisition: bigint;
  periodCost: bigint;
  revenue: bigint;
}

/**
 * What a database expert would write for the headline numbers: one statement, one pass per table. It runs
 * with the same session settings as the evaluation's snapshot (work_mem, JIT off), so that only the SQL differs.
 */
function headlineAggregate(db: Db, campaignId: string) {
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SET LOCAL work_mem = '${EVALUATION_WORK_MEM}'`);
    await tx.$executeRawUnsafe('SET LOCAL jit = off');
    return tx.$queryRaw<Headline[]>`
    SELECT r.registrations, r.activated, l.acquisition, l."periodCost", l.revenue
    FROM (SELECT count(*) FILTER (WHERE "flagReason" IS NULL) AS registrations,
                 count("activatedAt") FILTER (WHERE "flagReason" IS NULL) AS activated
          FROM "Registration" WHERE "campaignId" = ${campaignId}) r,
         (SELECT sum("amountMinor") FILTER (WHERE kind = 'cost' AND scope = 'acquisition')::bigint AS acquisition,
                 sum("amountMinor") FILTER (WHERE kind = 'cost' AND scope = 'period')::bigint AS "periodCost",
                 sum("amountMinor") FILTER (WHERE kind = 'revenue' AND scope = 'period')::bigint AS revenue
          FROM "LedgerEntry" WHERE "campaignId" = ${campaignId}) l`;
  });
}

async function cleanUp(client: pg.Client, campaignId: string): Promise<void> {
  const tag = campaignId.slice(0, 8);
  for (const table of [
    'LedgerEntry',
    'CustomerEvent',
    'Registration',
    'Placement',
    'EvaluationReport',
    'FunnelRollup',
    'LedgerRollup',
    'ActivationTimeRollup',
  ]) {
    await client.query(`DELETE FROM "${table}" WHERE "campaignId" = $1`, [campaignId]);
  }
  await client.query('DELETE FROM "Campaign" WHERE id = $1', [campaignId]);
  await client.query(`DELETE FROM "Channel" WHERE code LIKE 'bench-' || $1 || '-%'`, [tag]);
}

async function main(): Promise<void> {
  const registrations = option('--registrations', 1_000_000);
  const runs = option('--runs', 3);
  const existing = process.argv.indexOf('--campaign');
  // A campaign generated by an earlier run (--keep) lives in that run's database; anything else gets a
  // database of its own, so that the benchmark needs nothing made by hand.
  const given = process.env.BENCH_DATABASE_URL;
  if (existing !== -1 && !given) throw new Error('--campaign needs BENCH_DATABASE_URL (the kept database)');
  let scratch: ScratchDatabase | null = null;
  if (given) await migrateDeploy(given, () => undefined);
  else scratch = await createScratchDatabase('bench_eval');
  const databaseUrl = given ?? (scratch as ScratchDatabase).url;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const db = createDb(databaseUrl, 4);
  const campaignId = existing === -1 ? randomUUID() : (process.argv[existing + 1] ?? '');
  const keep = process.argv.includes('--keep') || existing !== -1;
  let bench: BenchFigures | null = null;
  try {
    if (existing === -1) {
      log(`Generating ${registrations} registrations, ${3 * registrations} events and the ledger …`);
      await timed('generation', () => generate(client, campaignId, registrations));
    }
    const counts = await client.query(
      `SELECT (SELECT count(*) FROM "Registration" WHERE "campaignId" = $1) AS registrations,
              (SELECT count(*) FROM "CustomerEvent" WHERE "campaignId" = $1) AS events,
              (SELECT count(*) FROM "LedgerEntry" WHERE "campaignId" = $1) AS ledger,
              (SELECT count(*) FROM "FunnelRollup" WHERE "campaignId" = $1) AS "funnelRollup",
              (SELECT count(*) FROM "LedgerRollup" WHERE "campaignId" = $1) AS "ledgerRollup",
              (SELECT count(*) FROM "ActivationTimeRollup" WHERE "campaignId" = $1) AS "activationTimeRollup"`,
      [campaignId],
    );
    log(`  rows: ${JSON.stringify(counts.rows[0])}`);

    const evaluationMs: number[] = [];
    const sqlMs: number[] = [];
    let report: ReturnType<typeof buildEvaluation> | null = null;
    let headline: Headline | undefined;
    for (let run = 1; run <= runs; run++) {
      log(`Run ${run}:`);
      const evaluation = await timed('evaluation (load input + buildEvaluation)', async () =>
        buildEvaluation((await loadFactsSnapshot(db, campaignId, new Date())).input),
      );
      report = evaluation.value;
      evaluationMs.push(evaluation.ms);
      const sql = await timed('hand-written headline aggregate', () => headlineAggregate(db, campaignId));
      headline = sql.value[0];
      sqlMs.push(sql.ms);
    }
    if (!report || !headline) throw new Error('no run');
    const agree =
      BigInt(report.overall.funnel.registrationsValid) === headline.registrations &&
      BigInt(report.overall.funnel.activated) === headline.activated &&
      BigInt(report.overall.costs.acquisition.minor) === headline.acquisition &&
      BigInt(report.overall.costs.period.minor) === headline.periodCost &&
      BigInt(report.overall.revenue.minor) === headline.revenue;
    const [evaluation, sql] = [median(evaluationMs), median(sqlMs)];
    log('');
    log(
      `registrations ${report.overall.funnel.registrationsValid + report.overall.funnel.registrationsFlagged}; buckets: ${report.byChannel.length} channels, ` +
        `${report.byMaterial.length} materials, ${report.byCohort.length} cohorts; checks hold: ${report.checks.allHold}`,
    );
    log(`headline figures agree with the hand-written aggregate: ${agree}`);
    log(`evaluation (median of ${runs}):          ${evaluation.toFixed(0)} ms`);
    log(`hand-written aggregate (median of ${runs}): ${sql.toFixed(0)} ms`);
    log(`ratio: ${ratio(evaluation, sql).toFixed(2)}×`);
    if (!agree) throw new Error('the evaluation and the hand-written aggregate disagree');
    bench = {
      bench: 'evaluation',
      registrations: report.overall.funnel.registrationsValid + report.overall.funnel.registrationsFlagged,
      evaluationMs: Math.round(evaluation),
      aggregateMs: Math.round(sql),
      ratio: ratio(evaluation, sql),
      runs,
    };
  } finally {
    if (keep) log(`kept campaign ${campaignId} in BENCH_DATABASE_URL=${databaseUrl}`);
    // A scratch database is dropped whole: deleting a million rows first (through the rollup
    // triggers) would only take minutes.
    else if (!scratch) await cleanUp(client, campaignId);
    await client.end();
    await db.$disconnect();
    if (scratch && !keep) await scratch.drop();
  }
  // The last line, machine-readable, so that one run can be compared with the next.
  if (bench) log(benchLine(bench));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
