// Evaluation rollups: the bucket sums the evaluation needs, kept by PostgreSQL at ingest in the same
// transaction as the facts (triggers of migration 20261203300000_evaluation_rollups), so that evaluating a
// million registrations reads a few thousand rollup rows instead of scanning every fact. The fact scan in
// sql.ts stays as the recomputation: `checkRollups` compares the two and `repairRollups` makes the
// rollups equal the facts again (npm run rollups:check).
import type { Db } from '../db/client';
import { Prisma } from '../generated/prisma/client';
import type { FactsReader, LedgerRow, RegistrationRow, RevenueRow, TimeRow } from './sql';
/** sql.ts's NO_VARIANT (not imported: sql.ts imports this module). */
const NO_VARIANT = '(none)';

/**
 * The rollups' keys, in one place beside the migration that defines them (its "THE KEY" comment and the
 * "…RollupFacts" views). A NULL attribute is stored as '' in a key column. Every rollup has a `writer`
 * column too (the backend that wrote the delta): readers sum over it.
 */
export const ROLLUP_KEYS = {
  FunnelRollup: ['campaignId', 'channelId', 'variantKey', 'cohortKey', 'arm', 'flagReason'],
  LedgerRollup: [
    'campaignId',
    'kind',
    'scope',
    'category',
    'channelId',
    'variantKey',
    'cohortKey',
    'currency',
  ],
  ActivationTimeRollup: ['campaignId', 'channelId', 'variantKey', 'cohortKey', 'seconds'],
} as const;

/** Registrations and their customers' period revenue, per registration bucket. */
export async function funnelRollupRows(
  db: FactsReader,
  campaignId: string,
): Promise<{ registrationRows: RegistrationRow[]; revenueRows: RevenueRow[] }> {
  const rows = await db.$queryRaw<(RegistrationRow & { amount: bigint; entries: bigint })[]>`
    SELECT "channelId", nullif("variantKey", '') AS "variantKey", "cohortKey", arm,
           nullif("flagReason", '') AS "flagReason", sum(registrations)::bigint AS registrations,
           sum(activated)::bigint AS activated, max("periodEndsAt") AS "periodEndsAt",
           sum("revenueMinor")::bigint AS amount, sum("revenueEntries")::bigint AS entries
    FROM "FunnelRollup"
    WHERE "campaignId" = ${campaignId}
    GROUP BY 1, 2, 3, 4, 5
    HAVING sum(registrations) <> 0 OR sum("revenueEntries") <> 0`;
  const registrationRows: RegistrationRow[] = [];
  const revenueRows: RevenueRow[] = [];
  for (const row of rows) {
    const { channelId, variantKey, cohortKey, arm, flagReason } = row;
    if (row.registrations !== 0n) {
      registrationRows.push({
        channelId,
        variantKey,
        cohortKey,
        arm,
        flagReason,
        registrations: row.registrations,
        activated: row.activated,
        periodEndsAt: row.periodEndsAt,
      });
    }
    if (row.entries !== 0n) {
      revenueRows.push({
        channelId,
        variantKey,
        cohortKey,
        arm,
        flagReason,
        amount: row.amount,
        entries: row.entries,
      });
    }
  }
  return { registrationRows, revenueRows };
}

/** The ledger by kind, scope, category and attribution, as sql.ts's ledgerBuckets gives it. */
export function ledgerRollupRows(db: FactsReader, campaignId: string, currency: string) {
  return db.$queryRaw<LedgerRow[]>`
    SELECT kind, scope, category, "channelId", nullif("variantKey", '') AS "variantKey",
           nullif("cohortKey", '') AS "cohortKey",
           sum(amount) FILTER (WHERE currency = ${currency})::bigint AS amount,
           sum(entries)::bigint AS entries,
           coalesce(sum(entries) FILTER (WHERE currency <> ${currency}), 0)::bigint AS "foreignEntries",
           min(currency) FILTER (WHERE currency <> ${currency}) AS "foreignCurrency"
    FROM (SELECT kind, scope, category, "channelId", "variantKey", "cohortKey", currency,
                 sum("amountMinor") AS amount, sum(entries) AS entries
          FROM "LedgerRollup"
          WHERE "campaignId" = ${campaignId}
          GROUP BY 1, 2, 3, 4, 5, 6, 7
          HAVING sum(entries) <> 0) k
    GROUP BY 1, 2, 3, 4, 5, 6`;
}

// The histogram holds exact activation seconds with their counts; expanding each count back into that
// many values gives percentile_disc the very multiset the facts give it, so the figures are equal, not
// approximated (at most one row per activation, far fewer where times repeat). Counts are summed over
// writers per value only when some writer holds a removal (a negative count, e.g. after a fraud flag):
// without one, every row's count is a number of activations as it stands, and netting 300,000 rows by
// value would cost more than the percentiles themselves (measured: docs/benchmarks.md).
export async function timeToActivateRollupRows(db: FactsReader, campaignId: string) {
  const [removals] = await db.$queryRaw<{ any: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM "ActivationTimeRollup"
                   WHERE "campaignId" = ${campaignId} AND activations < 0) AS any`;
  // Each positive row once, plus (count − 1) more copies of the rare rows that count more than one. A
  // plain UNION ALL over the table: measured ~1.5× faster than reading a materialised histogram twice.
  const values = removals?.any
    ? Prisma.sql`
      WITH h AS MATERIALIZED (
        SELECT "channelId", "variantKey", "cohortKey", seconds, sum(activations)::int AS activations
        FROM "ActivationTimeRollup"
        WHERE "campaignId" = ${campaignId}
        GROUP BY 1, 2, 3, 4
        HAVING sum(activations) > 0)
      SELECT "channelId", "variantKey", "cohortKey", seconds FROM h
      UNION ALL
      SELECT "channelId", "variantKey", "cohortKey", seconds
      FROM h CROSS JOIN LATERAL generate_series(2, h.activations) WHERE h.activations > 1`
    : Prisma.sql`
      SELECT "channelId", "variantKey", "cohortKey", seconds
      FROM "ActivationTimeRollup" WHERE "campaignId" = ${campaignId} AND activations > 0
      UNION ALL
      SELECT "channelId", "variantKey", "cohortKey", seconds
      FROM "ActivationTimeRollup" CROSS JOIN LATERAL generate_series(2, activations)
      WHERE "campaignId" = ${campaignId} AND activations > 1`;
  return db.$queryRaw<TimeRow[]>`
    SELECT GROUPING(a."channelId")::int AS "gChannel", GROUPING(a.variant)::int AS "gMaterial",
           GROUPING(a."cohortKey")::int AS "gCohort",
           a."channelId", a.variant, a."cohortKey",
           percentile_disc(0.5) WITHIN GROUP (ORDER BY a.seconds) AS median,
           percentile_disc(0.9) WITHIN GROUP (ORDER BY a.seconds) AS p90
    FROM (
      SELECT v."channelId", coalesce(nullif(v."variantKey", ''), ${NO_VARIANT}) AS variant, v."cohortKey", v.seconds
      FROM (${values}) v
    ) a
    GROUP BY GROUPING SETS ((), (a."channelId"), (a.variant), (a."cohortKey"))`;
}

/** One key whose rollup differs from the recomputation from the facts. */
export interface RollupDifference {
  readonly rollup: 'FunnelRollup' | 'LedgerRollup' | 'ActivationTimeRollup' | 'CohortPeriodEnd';
  readonly key: Record<string, string>;
  /** Per measure: [from the facts, in the rollups]. */
  readonly measures: Record<string, [string, string]>;
}

interface DiffRow {
  key: Record<string, string>;
  facts: Record<string, string | null> | null;
  rollups: Record<string, string | null> | null;
}

// Each comparison is one FULL JOIN of the facts view with the rollup summed over writers; only keys whose
// measures differ come back. Measures are compared as text (numeric and bigint alike), 0 standing for none.
function compareStatement(
  rollup: 'FunnelRollup' | 'LedgerRollup' | 'ActivationTimeRollup',
  campaignId: string,
): Prisma.Sql {
  const keys = ROLLUP_KEYS[rollup].filter((k) => k !== 'campaignId');
  const measures = {
    FunnelRollup: ['registrations', 'activated', 'revenueMinor', 'revenueEntries'],
    LedgerRollup: ['amountMinor', 'entries'],
    ActivationTimeRollup: ['activations'],
  }[rollup];
  const keyList = keys.map((k) => `"${k}"`).join(', ');
  // The key columns are USING columns, unqualified; the measures come from one side or the other.
  const object = (alias: string | null, columns: readonly string[]) =>
    `jsonb_build_object(${columns.map((c) => `'${c}', ${alias ? `${alias}.` : ''}"${c}"::text`).join(', ')})`;
  const sums = measures.map((m) => `sum("${m}") AS "${m}"`).join(', ');
  const differs = measures.map((m) => `coalesce(f."${m}", 0) <> coalesce(r."${m}", 0)`).join(' OR ');
  return Prisma.sql`
    SELECT ${Prisma.raw(object(null, keys))} AS key,
           CASE WHEN f."${Prisma.raw(keys[0] ?? '')}" IS NULL THEN NULL ELSE ${Prisma.raw(object('f', measures))} END AS facts,
           CASE WHEN r."${Prisma.raw(keys[0] ?? '')}" IS NULL THEN NULL ELSE ${Prisma.raw(object('r', measures))} END AS rollups
    FROM (SELECT ${Prisma.raw(keyList)}, ${Prisma.raw(sums)} FROM "${Prisma.raw(rollup)}Facts"
          WHERE "campaignId" = ${campaignId} GROUP BY ${Prisma.raw(keyList)}) f
    FULL JOIN (SELECT ${Prisma.raw(keyList)}, ${Prisma.raw(sums)} FROM "${Prisma.raw(rollup)}"
               WHERE "campaignId" = ${campaignId} GROUP BY ${Prisma.raw(keyList)}) r USING (${Prisma.raw(keyList)})
    WHERE ${Prisma.raw(differs)}
    ORDER BY ${Prisma.raw(keyList)}`;
}

function toDifference(rollup: RollupDifference['rollup'], row: DiffRow): RollupDifference {
  const measures: Record<string, [string, string]> = {};
  const names = new Set([...Object.keys(row.facts ?? {}), ...Object.keys(row.rollups ?? {})]);
  for (const name of names) {
    const facts = row.facts?.[name] ?? '0';
    const rollups = row.rollups?.[name] ?? '0';
    if (facts !== rollups) measures[name] = [facts, rollups];
  }
  return { rollup, key: row.key, measures };
}

/** The keys where a campaign's rollups differ from a recomputation from its facts, in one snapshot. */
export async function rollupDifferences(tx: FactsReader, campaignId: string): Promise<RollupDifference[]> {
  const differences: RollupDifference[] = [];
  for (const rollup of ['FunnelRollup', 'LedgerRollup', 'ActivationTimeRollup'] as const) {
    const rows = await tx.$queryRaw<DiffRow[]>(compareStatement(rollup, campaignId));
    differences.push(...rows.map((row) => toDifference(rollup, row)));
  }
  // A cohort's last period end (what its maturity is decided by) is a maximum: compared per cohort, over
  // the keys that hold registrations (see the migration on why a key's own maximum may be a moved one's).
  const ends = await tx.$queryRaw<{ cohortKey: string; facts: Date | null; rollups: Date | null }[]>`
    SELECT "cohortKey", f.at AS facts, r.at AS rollups
    FROM (SELECT "cohortKey", max("periodEndsAt") AS at FROM "FunnelRollupFacts"
          WHERE "campaignId" = ${campaignId} GROUP BY 1) f
    FULL JOIN (SELECT "cohortKey", max(at) AS at
               FROM (SELECT "cohortKey", max("periodEndsAt") AS at FROM "FunnelRollup"
                     WHERE "campaignId" = ${campaignId}
                     GROUP BY "channelId", "variantKey", "cohortKey", arm, "flagReason"
                     HAVING sum(registrations) <> 0) k
               GROUP BY 1) r USING ("cohortKey")
    WHERE f.at IS DISTINCT FROM r.at
    ORDER BY 1`;
  for (const row of ends) {
    differences.push({
      rollup: 'CohortPeriodEnd',
      key: { cohortKey: row.cohortKey },
      measures: { periodEndsAt: [row.facts?.toISOString() ?? '-', row.rollups?.toISOString() ?? '-'] },
    });
  }
  return differences;
}

const SNAPSHOT = {
  isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead,
  timeout: 10 * 60_000,
  maxWait: 30_000,
} as const;

/** Compares a campaign's rollups with a recomputation from its facts (one REPEATABLE READ snapshot). */
export function checkRollups(db: Db, campaignId: string): Promise<RollupDifference[]> {
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SET LOCAL work_mem = '64MB'`);
    return rollupDifferences(tx, campaignId);
  }, SNAPSHOT);
}

/**
 * Folds a campaign's rollup rows, over all writers, into one row per key (writer 0), dropping keys that
 * net to nothing: rows accumulate per backend and removals leave negative counts, both of which make
 * reading slower, never wrong. Rows a concurrent transaction holds are skipped (SKIP LOCKED: no waiting,
 * so no deadlock with a writer), and stay what they are; the sums the readers see do not change.
 */
export async function compactRollups(db: Db, campaignId: string): Promise<void> {
  const tables = {
    FunnelRollup: {
      keys: ROLLUP_KEYS.FunnelRollup,
      sums: ['registrations', 'activated', 'revenueMinor', 'revenueEntries'],
      max: ['periodEndsAt'],
    },
    LedgerRollup: { keys: ROLLUP_KEYS.LedgerRollup, sums: ['amountMinor', 'entries'], max: [] },
    ActivationTimeRollup: { keys: ROLLUP_KEYS.ActivationTimeRollup, sums: ['activations'], max: [] },
  } as const;
  for (const [table, { keys, sums, max }] of Object.entries(tables)) {
    const keyList = keys.map((k) => `"${k}"`).join(', ');
    const measures = [...sums, ...max].map((m) => `"${m}"`).join(', ');
    const aggregates = [...sums.map((m) => `sum("${m}")`), ...max.map((m) => `max("${m}")`)].join(', ');
    const nonZero = sums.map((m) => `sum("${m}") <> 0`).join(' OR ');
    const add = [
      ...sums.map((m) => `"${m}" = "${table}"."${m}" + EXCLUDED."${m}"`),
      ...max.map((m) => `"${m}" = greatest("${table}"."${m}", EXCLUDED."${m}")`),
    ].join(', ');
    await db.$executeRaw`
      WITH gone AS (
        DELETE FROM ${Prisma.raw(`"${table}"`)} WHERE ctid IN (
          SELECT ctid FROM ${Prisma.raw(`"${table}"`)} WHERE "campaignId" = ${campaignId} FOR UPDATE SKIP LOCKED)
        RETURNING *)
      INSERT INTO ${Prisma.raw(`"${table}"`)} (${Prisma.raw(`${keyList}, writer, ${measures}`)})
      SELECT ${Prisma.raw(`${keyList}, 0, ${aggregates}`)} FROM gone
      GROUP BY ${Prisma.raw(keyList)} HAVING ${Prisma.raw(nonZero)}
      ORDER BY ${Prisma.raw(keyList)}
      ON CONFLICT (${Prisma.raw(`${keyList}, writer`)}) DO UPDATE SET ${Prisma.raw(add)}`;
  }
}

/**
 * Makes a campaign's rollups equal its facts: adds (facts − rollups), computed in one snapshot, as this
 * connection's delta (SQL function rollup_repair_campaign). Writers that commit meanwhile add their own
 * deltas for facts outside the snapshot, so nothing needs locking. Returns the rollup rows it changed.
 */
export async function repairRollups(db: Db, campaignId: string): Promise<number> {
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SET LOCAL work_mem = '64MB'`);
    const [row] = await tx.$queryRaw<{ changed: bigint }[]>`
      SELECT rollup_repair_campaign(${campaignId}) AS changed`;
    return Number(row?.changed ?? 0n);
  }, SNAPSHOT);
}
