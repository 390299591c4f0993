// Computing and storing evaluation reports: facts → input (one database snapshot) → buildEvaluation →
// an immutable EvaluationReport version. Re-running over the same facts returns the stored report (same
// digest, no new version); a changed fact (a late correction) makes version max+1 and keeps the old ones.
// Used by the workflow's activity and by the API's "provisional evaluation now", one code path for both.
import type { Db } from '../db/client';
import { Prisma, type EvaluationReport } from '../generated/prisma/client';
import type { z } from 'zod';
import { loadAttributionStatement, type AttributionStatement } from './attribution-statement';
import { factsDigest } from './db-digest';
import { buildEvaluation } from './report';
import { FACT_SOURCES, loadEvaluationFacts, type EvaluationFacts, type FactSource } from './sql';
import type { StoredEvaluationReportSchema } from './stored-report-schema';

/** What is stored in EvaluationReport.report: the library's report plus where its figures came from. */
export type StoredEvaluationReport = z.infer<typeof StoredEvaluationReportSchema>;

export interface EvaluationOutcome {
  readonly report: EvaluationReport;
  /** True when the latest stored report was computed from the same facts and is returned as is. */
  readonly reused: boolean;
}

export interface EvaluateRequest {
  readonly campaignId: string;
  /** Asked for before the end (by an operator): the report is provisional even if every cohort matured. */
  readonly provisional: boolean;
  readonly now: Date;
}

// An evaluation of a million registrations reads for seconds; Prisma's 5 s default would cut it off.
const SNAPSHOT_TIMEOUT_MS = 10 * 60_000;
const INSERT_ATTEMPTS = 8;

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}

/**
 * Memory for the evaluation's hash aggregates and sorts, for this transaction only. With PostgreSQL's 4 MB
 * default, grouping a million registrations and sorting 300,000 activation times spill to disk.
 */
export const EVALUATION_WORK_MEM = '64MB';

/** All queries in one REPEATABLE READ snapshot: an event arriving mid-way cannot count in one figure only. */
export function loadFactsSnapshot(
  db: Db,
  campaignId: string,
  now: Date,
  source: FactSource = 'rollups',
): Promise<EvaluationFacts & { attribution: AttributionStatement }> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL work_mem = '${EVALUATION_WORK_MEM}'`);
      // JIT compilation costs ~100 ms per statement and gains nothing on these few short aggregates.
      await tx.$executeRawUnsafe('SET LOCAL jit = off');
      const facts = await loadEvaluationFacts(tx, campaignId, now, source);
      const plan = await tx.campaign.findUnique({ where: { id: campaignId }, select: { plan: true } });
      return { ...facts, attribution: await loadAttributionStatement(tx, campaignId, plan?.plan) };
    },
    {
      isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead,
      timeout: SNAPSHOT_TIMEOUT_MS,
      maxWait: 30_000,
    },
  );
}

/**
 * Evaluations of one campaign run one at a time, each reading its facts only after the one before it has
 * stored its version. Without this, two at once (two fraud flags' follow-ups) stored their versions in the
 * order they finished, and the latest version could be the older snapshot — missing a flag that had
 * committed (test/integration/adjustments/races.test.ts saw 11 of 12 flags). The lock is tried, not waited
 * for inside PostgreSQL, so a waiting request holds no pooled connection while the holder needs its own.
 */
export async function evaluateAndStore(db: Db, request: EvaluateRequest): Promise<EvaluationOutcome> {
  const deadline = Date.now() + EVALUATION_TURN_WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    const outcome = await db.$transaction(
      async (tx) => {
        const [turn] = await tx.$queryRaw<{ got: boolean }[]>`
          SELECT pg_try_advisory_xact_lock(hashtextextended(${`evaluation:${request.campaignId}`}, 0)) AS got`;
        return turn?.got ? evaluateAndStoreNow(db, request) : null;
      },
      { maxWait: 10_000, timeout: EVALUATION_TURN_HOLD_MS },
    );
    if (outcome) return outcome;
    if (Date.now() > deadline) {
      throw new Error(
        `another evaluation of campaign ${request.campaignId} ran for over ${EVALUATION_TURN_WAIT_MS} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(250, 20 * attempt)));
  }
}

/** How long an evaluation waits for its turn, and how long one may hold it (1M registrations: seconds). */
const EVALUATION_TURN_WAIT_MS = 120_000;
const EVALUATION_TURN_HOLD_MS = 600_000;

async function evaluateAndStoreNow(db: Db, request: EvaluateRequest): Promise<EvaluationOutcome> {
  const facts = await loadFactsSnapshot(db, request.campaignId, request.now);
  const body = buildEvaluation(facts.input);
  const provisional = request.provisional || body.status === 'provisional';
  const digest = factsDigest({
    input: facts.input,
    excludedRevenue: facts.excludedRevenue,
    planVersion: facts.campaign.planVersion,
    provisional,
  });
  const report: StoredEvaluationReport = {
    ...body,
    facts: { sources: FACT_SOURCES, excludedRevenue: facts.excludedRevenue },
    attribution: facts.attribution,
  };

  // Version = max + 1; the unique (campaignId, version) index makes a concurrent writer's duplicate fail,
  // and the retry re-reads the latest — which may now be the very report this run would have written.
  for (let attempt = 1; ; attempt++) {
    const latest = await db.evaluationReport.findFirst({
      where: { campaignId: request.campaignId },
      orderBy: { version: 'desc' },
    });
    if (latest && latest.factsDigest === digest && latest.provisional === provisional) {
      return { report: latest, reused: true };
    }
    try {
      const created = await db.evaluationReport.create({
        data: {
          campaignId: request.campaignId,
          version: (latest?.version ?? 0) + 1,
          provisional,
          planVersion: facts.campaign.planVersion,
          factsDigest: digest,
          computedAt: request.now,
          report: report as unknown as Prisma.InputJsonValue,
        },
      });
      return { report: created, reused: false };
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= INSERT_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

/** The latest report, or one version; null when there is none. */
export function findEvaluation(
  db: Db,
  campaignId: string,
  version?: number,
): Promise<EvaluationReport | null> {
  if (version !== undefined) {
    return db.evaluationReport.findUnique({ where: { campaignId_version: { campaignId, version } } });
  }
  return db.evaluationReport.findFirst({ where: { campaignId }, orderBy: { version: 'desc' } });
}

export interface EvaluationVersionSummary {
  readonly id: string;
  readonly version: number;
  readonly provisional: boolean;
  readonly planVersion: number;
  readonly factsDigest: string;
  readonly computedAt: Date;
}

/** A page of a campaign's report versions, newest first, without the report bodies. */
export async function listEvaluations(
  db: Db,
  campaignId: string,
  limit: number,
  beforeVersion: number | null,
): Promise<{ items: EvaluationVersionSummary[]; nextBeforeVersion: number | null }> {
  const rows = await db.evaluationReport.findMany({
    where: { campaignId, ...(beforeVersion !== null ? { version: { lt: beforeVersion } } : {}) },
    orderBy: { version: 'desc' },
    take: limit + 1,
    select: {
      id: true,
      version: true,
      provisional: true,
      planVersion: true,
      factsDigest: true,
      computedAt: true,
    },
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextBeforeVersion: rows.length > limit && last ? last.version : null };
}
