// Loads a campaign's EvaluationInput from the facts in PostgreSQL with a few GROUP BY statements: a
// million registrations become a few thousand buckets, and no per-customer row leaves the database.
// Sorting, merging and maturity are done here in code-unit order, so the result does not depend on the
// database's collation. See docs/benchmarks.md for how this compares with a bare headline aggregate.
import type { z } from 'zod';
import type { Db } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import { byCodeUnits } from './segment';
import type {
  CostBucket,
  EvaluationInput,
  FlaggedBucket,
  FraudFlaggedBucket,
  PlacementBucket,
  RegistrationBucket,
  TimeToActivateRow,
} from './input';
import { activationTimesKnown, controlGroupOf } from './db-campaign';
import { funnelRollupRows, ledgerRollupRows, timeToActivateRollupRows } from './rollups';
import type { ExcludedRevenueSchema, FactSources } from './stored-report-schema';

/** The material key of registrations that name no material variant (the bucket key cannot be empty). */
export const NO_VARIANT = '(none)';

/**
 * Where each figure comes from in the facts: stored with every report ("the scopes used"). `satisfies`
 * keeps its keys and the report schema's (stored-report-schema.ts) the same.
 */
export const FACT_SOURCES = {
  registrations:
    'Registration rows of the campaign; flagReason null = valid, otherwise excluded and counted by reason.',
  activated: 'Valid registrations with activatedAt set.',
  periodRevenue:
    'LedgerEntry kind=revenue scope=period (revenue inside the customer’s new-customer period), joined to the ' +
    'valid registration with the same customerRef.',
  fraudFlagged:
    'FraudFlag rows of the campaign (registrations flagged after they were accepted), by reason; their ' +
    'registrations carry the same flagReason.',
  acquisitionCost:
    'LedgerEntry kind=cost scope=acquisition, by category, adjustment entries (reversals, corrections) included.',
  periodCost:
    'LedgerEntry kind=cost scope=period, by category, adjustment entries (reversals, corrections) included.',
  placements: 'Placements that reached their channel (publishedAt set).',
  delivery:
    'DeliveryReport impressions and clicks summed per channel and the material variant of their placement.',
  cohortMaturity:
    'A cohort is mature when every one of its registrations has periodEndsAt ≤ the computation time.',
} as const satisfies FactSources;

/** Facts that could not be evaluated (mixed currencies, unknown cost scopes): a data problem, not a retry. */
export class EvaluationFactsError extends Error {}

/** Revenue in the ledger that no ratio uses, reported beside the figures so that nothing vanishes silently. */
export type ExcludedRevenue = z.infer<typeof ExcludedRevenueSchema>;

export interface EvaluationFacts {
  readonly campaign: {
    readonly id: string;
    readonly currency: string;
    readonly planVersion: number;
    readonly origin: string;
  };
  readonly input: EvaluationInput;
  readonly excludedRevenue: ExcludedRevenue;
}

/** What the loader needs of a Prisma client; a transaction client works too. */
export type FactsReader = Pick<Db, '$queryRaw' | 'campaign'> | Prisma.TransactionClient;

export class CampaignNotFoundError extends Error {
  constructor(readonly campaignId: string) {
    super(`campaign ${campaignId} does not exist`);
  }
}

/** A count or an amount from SQL (bigint), as a number; refuses anything a double would round. */
export function safeNumber(value: bigint | number | null, what: string): number {
  if (value === null) return 0;
  const result = typeof value === 'bigint' ? Number(value) : value;
  if (!Number.isSafeInteger(result))
    throw new EvaluationFactsError(`${what} ${String(value)} exceeds a safe integer`);
  return result;
}

/**
 * Where the bucket sums are read from: the rollups kept at ingest (evaluation/rollups.ts, what the
 * evaluation uses), or the facts themselves (the recomputation the rollup check compares with).
 */
export type FactSource = 'rollups' | 'facts';

export interface RegistrationRow {
  channelId: string;
  variantKey: string | null;
  cohortKey: string;
  arm: string;
  flagReason: string | null;
  registrations: bigint;
  activated: bigint;
  periodEndsAt: Date;
}

export interface RevenueRow {
  channelId: string;
  variantKey: string | null;
  cohortKey: string;
  arm: string;
  flagReason: string | null;
  amount: bigint;
  entries: bigint;
}

export interface LedgerRow {
  kind: string;
  scope: string;
  category: string;
  channelId: string;
  variantKey: string | null;
  cohortKey: string | null;
  /** In the campaign currency only. */
  amount: bigint | null;
  entries: bigint;
  foreignEntries: bigint;
  foreignCurrency: string | null;
}

interface FraudFlagRow {
  channelId: string;
  variantKey: string | null;
  cohortKey: string;
  reason: string;
  flags: bigint;
}

interface PlacementRow {
  channelId: string;
  variantKey: string;
  placements: bigint;
}

interface DeliveryRow {
  channelId: string;
  variantKey: string;
  impressions: bigint;
  clicks: bigint;
  /** NULL when no report of the bucket carried sign-ups started. */
  registrationsStarted: bigint | null;
}

export interface TimeRow {
  gChannel: number;
  gMaterial: number;
  gCohort: number;
  channelId: string | null;
  variant: string | null;
  cohortKey: string | null;
  /** Null on the empty grouping set's row when nobody activated. */
  median: number | null;
  p90: number | null;
}

// Four statements, each one parallel pass (measured faster than any single statement joining them; see
// docs/benchmarks.md): registrations by bucket; period revenue joined to its customer's registration (for
// the arm and validity); the whole ledger by kind, scope, category and attribution; time to activate.
function registrationBuckets(db: FactsReader, campaignId: string) {
  return db.$queryRaw<RegistrationRow[]>`
    SELECT "channelId", "variantKey", "cohortKey", arm, "flagReason",
           count(*) AS registrations, count("activatedAt") AS activated, max("periodEndsAt") AS "periodEndsAt"
    FROM "Registration"
    WHERE "campaignId" = ${campaignId}
    GROUP BY "channelId", "variantKey", "cohortKey", arm, "flagReason"`;
}

// Revenue follows the customer's registration: its bucket, arm and validity. Entries whose customer has
// no registration here are not in this result; the ledger totals below tell how much they amount to.
function revenueBuckets(db: FactsReader, campaignId: string, currency: string) {
  return db.$queryRaw<RevenueRow[]>`
    SELECT r."channelId", r."variantKey", r."cohortKey", r.arm, r."flagReason",
           sum(l."amountMinor")::bigint AS amount, count(*) AS entries
    FROM "LedgerEntry" l
    JOIN "Registration" r ON r."campaignId" = ${campaignId} AND r."customerRef" = l."customerRef"
    WHERE l."campaignId" = ${campaignId} AND l.kind = 'revenue' AND l.scope = 'period' AND l.currency = ${currency}
    GROUP BY r."channelId", r."variantKey", r."cohortKey", r.arm, r."flagReason"`;
}

// Currency is counted rather than grouped on: entries in another currency are refused, and one column
// fewer in the hash key is measurably cheaper over millions of ledger rows.
function ledgerBuckets(db: FactsReader, campaignId: string, currency: string) {
  return db.$queryRaw<LedgerRow[]>`
    SELECT kind, scope, category, "channelId", "variantKey", "cohortKey",
           sum("amountMinor") FILTER (WHERE currency = ${currency})::bigint AS amount,
           count(*) AS entries,
           count(*) FILTER (WHERE currency <> ${currency}) AS "foreignEntries",
           min(currency) FILTER (WHERE currency <> ${currency}) AS "foreignCurrency"
    FROM "LedgerEntry"
    WHERE "campaignId" = ${campaignId}
    GROUP BY kind, scope, category, "channelId", "variantKey", "cohortKey"`;
}

function fraudFlagBuckets(db: FactsReader, campaignId: string) {
  return db.$queryRaw<FraudFlagRow[]>`
    SELECT "channelId", "variantKey", "cohortKey", reason, count(*) AS flags
    FROM "FraudFlag"
    WHERE "campaignId" = ${campaignId}
    GROUP BY "channelId", "variantKey", "cohortKey", reason`;
}

function placementBuckets(db: FactsReader, campaignId: string) {
  return db.$queryRaw<PlacementRow[]>`
    SELECT "channelId", "variantKey", count(*) AS placements
    FROM "Placement"
    WHERE "campaignId" = ${campaignId} AND "publishedAt" IS NOT NULL
    GROUP BY "channelId", "variantKey"`;
}

function deliveryBuckets(db: FactsReader, campaignId: string) {
  return db.$queryRaw<DeliveryRow[]>`
    SELECT d."channelId", p."variantKey", sum(d.impressions)::bigint AS impressions, sum(d.clicks)::bigint AS clicks,
           sum(d."registrationsStarted")::bigint AS "registrationsStarted"
    FROM "DeliveryReport" d
    JOIN "Placement" p ON p.id = d."placementId"
    WHERE d."campaignId" = ${campaignId}
    GROUP BY d."channelId", p."variantKey"`;
}

// percentile_disc is the nearest-rank percentile the library's `quantile` defines; GROUPING SETS give the
// overall, per-channel, per-material and per-cohort figures from one pass over activated registrations.
// An activation stamped before its registration (clock skew between systems) counts as 0 seconds.
function timeToActivateRows(db: FactsReader, campaignId: string) {
  return db.$queryRaw<TimeRow[]>`
    SELECT GROUPING(a."channelId")::int AS "gChannel", GROUPING(a.variant)::int AS "gMaterial",
           GROUPING(a."cohortKey")::int AS "gCohort",
           a."channelId", a.variant, a."cohortKey",
           percentile_disc(0.5) WITHIN GROUP (ORDER BY a.seconds) AS median,
           percentile_disc(0.9) WITHIN GROUP (ORDER BY a.seconds) AS p90
    FROM (
      SELECT "channelId", coalesce("variantKey", ${NO_VARIANT}) AS variant, "cohortKey",
             greatest(0, extract(epoch FROM "activatedAt" - "registeredAt"))::float8 AS seconds
      FROM "Registration"
      WHERE "campaignId" = ${campaignId} AND "flagReason" IS NULL AND "activatedAt" IS NOT NULL
    ) a
    GROUP BY GROUPING SETS ((), (a."channelId"), (a.variant), (a."cohortKey"))`;
}

function addTo<T extends object>(
  map: Map<string, T>,
  key: string,
  make: () => T,
  add: (into: T) => void,
): void {
  let entry = map.get(key);
  if (!entry) map.set(key, (entry = make()));
  add(entry);
}

const keyOf = (...parts: (string | null)[]) => JSON.stringify(parts);

function sortBy<T>(items: Iterable<T>, key: (item: T) => string): T[] {
  return [...items].sort((a, b) => byCodeUnits(key(a), key(b)));
}

/**
 * The campaign's EvaluationInput at `now` (which decides cohort maturity), plus the revenue no ratio
 * uses. Run it inside one REPEATABLE READ transaction (see store.ts) so that every query sees one snapshot.
 */
export async function loadEvaluationFacts(
  db: FactsReader,
  campaignId: string,
  now: Date,
  source: FactSource = 'rollups',
): Promise<EvaluationFacts> {
  const campaign = await db.campaign.findUnique({
    where: { id: campaignId },
    select: { id: true, currency: true, planVersion: true, origin: true, plan: true },
  });
  if (!campaign) throw new CampaignNotFoundError(campaignId);
  const { currency } = campaign;

  let registrationRows: RegistrationRow[];
  let revenueRows: RevenueRow[];
  let ledgerRows: LedgerRow[];
  let timeRows: TimeRow[] = [];
  const timesKnown = activationTimesKnown(campaign);
  if (source === 'rollups') {
    ({ registrationRows, revenueRows } = await funnelRollupRows(db, campaignId));
    ledgerRows = await ledgerRollupRows(db, campaignId, currency);
    if (timesKnown) timeRows = await timeToActivateRollupRows(db, campaignId);
  } else {
    registrationRows = await registrationBuckets(db, campaignId);
    revenueRows = await revenueBuckets(db, campaignId, currency);
    ledgerRows = await ledgerBuckets(db, campaignId, currency);
    if (timesKnown) timeRows = await timeToActivateRows(db, campaignId);
  }
  // Placements and delivery reports are per placement, and fraud flags a few per thousand registrations:
  // small tables, read from the facts in either case.
  const placementRows = await placementBuckets(db, campaignId);
  const fraudFlagRows = await fraudFlagBuckets(db, campaignId);
  const deliveryRows = await deliveryBuckets(db, campaignId);

  const registrations = new Map<string, RegistrationBucket>();
  const flagged = new Map<string, FlaggedBucket>();
  const lastPeriodEnd = new Map<string, number>();
  const bucketOf = (row: {
    channelId: string;
    variantKey: string | null;
    cohortKey: string;
    arm: string;
  }) => {
    const { channelId, cohortKey, arm } = row;
    const materialVariant = row.variantKey ?? NO_VARIANT;
    let bucket = registrations.get(keyOf(channelId, materialVariant, cohortKey, arm));
    if (!bucket) {
      bucket = {
        channelId,
        materialVariant,
        cohortKey,
        group: arm,
        registrations: 0,
        activated: 0,
        periodRevenueMinor: 0,
      };
      registrations.set(keyOf(channelId, materialVariant, cohortKey, arm), bucket);
    }
    return bucket;
  };

  for (const row of registrationRows) {
    const { channelId, cohortKey } = row;
    const materialVariant = row.variantKey ?? NO_VARIANT;
    const count = safeNumber(row.registrations, 'registrations');
    lastPeriodEnd.set(
      cohortKey,
      Math.max(lastPeriodEnd.get(cohortKey) ?? Number.NEGATIVE_INFINITY, row.periodEndsAt.getTime()),
    );
    if (row.flagReason !== null) {
      const reason = row.flagReason;
      addTo(
        flagged,
        keyOf(channelId, materialVariant, cohortKey, reason),
        () => ({ channelId, materialVariant, cohortKey, reason, count: 0 }),
        (bucket) => (bucket.count += count),
      );
      continue;
    }
    const bucket = bucketOf(row);
    bucket.registrations += count;
    bucket.activated += safeNumber(row.activated, 'activated');
  }

  let matchedRevenue = 0;
  let matchedEntries = 0;
  let flaggedRevenue = 0;
  for (const row of revenueRows) {
    const amount = safeNumber(row.amount, 'revenue');
    matchedRevenue += amount;
    matchedEntries += safeNumber(row.entries, 'revenue entries');
    if (row.flagReason !== null) flaggedRevenue += amount;
    else bucketOf(row).periodRevenueMinor += amount;
  }

  const problems: string[] = [];
  const costs: CostBucket[] = [];
  let periodRevenue = 0;
  let periodRevenueEntries = 0;
  let outsidePeriodRevenue = 0;
  for (const row of ledgerRows) {
    const foreign = safeNumber(row.foreignEntries, 'ledger entries');
    if (foreign > 0) {
      problems.push(
        `${foreign} ${row.kind} entries in ${row.foreignCurrency} (category ${row.category}); the campaign currency is ${currency}`,
      );
      continue;
    }
    const amount = safeNumber(row.amount, 'ledger amount');
    if (row.kind === 'revenue') {
      if (row.scope === 'period') {
        periodRevenue += amount;
        periodRevenueEntries += safeNumber(row.entries, 'revenue entries');
      } else outsidePeriodRevenue += amount;
      continue;
    }
    if (row.kind !== 'cost') {
      problems.push(`ledger entries of unknown kind "${row.kind}" (category ${row.category})`);
      continue;
    }
    if (row.scope !== 'acquisition' && row.scope !== 'period') {
      problems.push(`cost entries with unknown scope "${row.scope}" (category ${row.category})`);
      continue;
    }
    costs.push({
      scope: row.scope,
      category: row.category,
      channelId: row.channelId,
      materialVariant: row.variantKey,
      cohortKey: row.cohortKey,
      amountMinor: amount,
    });
  }
  if (problems.length > 0) {
    throw new EvaluationFactsError(
      `campaign ${campaignId} cannot be evaluated: ${[...new Set(problems)].join('; ')}`,
    );
  }

  const fraudFlagged: FraudFlaggedBucket[] = sortBy(
    fraudFlagRows.map((row) => ({
      channelId: row.channelId,
      materialVariant: row.variantKey ?? NO_VARIANT,
      cohortKey: row.cohortKey,
      reason: row.reason,
      count: safeNumber(row.flags, 'fraud flags'),
    })),
    (b) => keyOf(b.channelId, b.materialVariant, b.cohortKey, b.reason),
  );

  const placements: PlacementBucket[] = placementRows.map((row) => ({
    channelId: row.channelId,
    materialVariant: row.variantKey,
    placements: safeNumber(row.placements, 'placements'),
  }));

  // The empty grouping set yields one row even when nobody activated: its percentiles are null.
  const timeToActivate: TimeToActivateRow[] = timeRows
    .filter(
      (row): row is TimeRow & { median: number; p90: number } => row.median !== null && row.p90 !== null,
    )
    .map((row) => {
      const [dimension, key] =
        row.gChannel === 0
          ? (['channel', row.channelId ?? ''] as const)
          : row.gMaterial === 0
            ? (['material', row.variant ?? ''] as const)
            : row.gCohort === 0
              ? (['cohort', row.cohortKey ?? ''] as const)
              : (['overall', ''] as const);
      return { dimension, key, medianSeconds: row.median, p90Seconds: row.p90 };
    });

  // A cohort known only from the cost ledger (no registrations) has nobody whose period could still run.
  const cohortsMature: Record<string, boolean> = {};
  const cohortKeys = new Set([
    ...lastPeriodEnd.keys(),
    ...costs.flatMap((c) => (c.cohortKey ? [c.cohortKey] : [])),
  ]);
  for (const cohortKey of sortBy(cohortKeys, (key) => key)) {
    cohortsMature[cohortKey] = (lastPeriodEnd.get(cohortKey) ?? Number.NEGATIVE_INFINITY) <= now.getTime();
  }

  const arms = [...new Set([...registrations.values()].map((bucket) => bucket.group))];
  const input: EvaluationInput = {
    currency,
    controlGroup: controlGroupOf(campaign, arms),
    registrations: sortBy(registrations.values(), (b) =>
      keyOf(b.channelId, b.materialVariant, b.cohortKey, b.group),
    ),
    flagged: sortBy(flagged.values(), (b) => keyOf(b.channelId, b.materialVariant, b.cohortKey, b.reason)),
    // Left out when there is none, so that facts without fraud flags keep the digest they had.
    ...(fraudFlagged.length === 0 ? {} : { fraudFlagged }),
    costs: sortBy(costs, (c) => keyOf(c.scope, c.category, c.channelId, c.materialVariant, c.cohortKey)),
    placements: sortBy(placements, (p) => keyOf(p.channelId, p.materialVariant)),
    // Left out when no channel reported: the facts (and their digest) stay those of earlier evaluations.
    delivery:
      deliveryRows.length === 0
        ? undefined
        : sortBy(
            deliveryRows.map((row) => ({
              channelId: row.channelId,
              materialVariant: row.variantKey,
              impressions: safeNumber(row.impressions, 'impressions'),
              clicks: safeNumber(row.clicks, 'clicks'),
              // Left out when not reported, so facts without it keep the digest they had.
              ...(row.registrationsStarted === null
                ? {}
                : { registrationsStarted: safeNumber(row.registrationsStarted, 'registrationsStarted') }),
            })),
            (d) => keyOf(d.channelId, d.materialVariant),
          ),
    timeToActivate: sortBy(timeToActivate, (t) => keyOf(t.dimension, t.key)),
    cohortsMature,
  };
  return {
    campaign: {
      id: campaign.id,
      currency,
      planVersion: campaign.planVersion,
      origin: campaign.origin,
    },
    input,
    excludedRevenue: {
      flaggedRegistrationsMinor: flaggedRevenue,
      withoutRegistrationMinor: periodRevenue - matchedRevenue,
      withoutRegistrationEntries: periodRevenueEntries - matchedEntries,
      outsidePeriodMinor: outsidePeriodRevenue,
    },
  };
}
