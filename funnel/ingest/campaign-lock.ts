// Serialises the writes of one campaign's funnel across API replicas with PostgreSQL transaction-level
// advisory locks. Registration batches hold `registrations` while they check duplicates and the budget
// and insert, so two concurrent batches can neither both claim the last of the budget nor both register
// the same contact; event batches hold `events` so that activation is always evaluated over every event
// already committed. An advisory lock rather than SELECT … FOR UPDATE on the Campaign row, so that the
// workflow's own updates of that row (its phase) never wait behind an ingest.
import type { Prisma } from '../../generated/prisma/client';

export type Tx = Prisma.TransactionClient;

export type FunnelLock = 'registrations' | 'events';

/** Waits for the lock; PostgreSQL releases it when the transaction ends (commit or rollback). */
export async function lockCampaignFunnel(tx: Tx, campaignId: string, lock: FunnelLock): Promise<void> {
  const key = funnelLockKey(campaignId, lock);
  // The function returns void, which the driver adapter cannot map: select a constant around it.
  await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))) AS l`;
}

/**
 * The lock's key, hashed by `pg_advisory_xact_lock(hashtextextended(key, 0))`: every writer, through
 * Prisma or pg (registration-sql.ts), must take exactly this one.
 */
export function funnelLockKey(campaignId: string, lock: FunnelLock): string {
  return `funnel:${lock}:${campaignId}`;
}

/**
 * A batch that could not be written as it stands — a row of it was written concurrently, around the
 * lock — and of which nothing was stored: retry it (the API answers 409 `concurrent-write`, retryable).
 */
export class ConcurrentWriteError extends Error {}

/**
 * A batch that could not be taken in time — it waited too long for its campaign's lock or for the
 * database, or it and a concurrent batch waited for each other and PostgreSQL ended it — and of which
 * nothing was stored: retry it after a moment (the API answers 503 `ingest-busy` with Retry-After).
 */
export class IngestBusyError extends Error {}

/** Interactive-transaction limits for a batch of up to 1,000 items: waiting for the lock counts too. */
export const BATCH_TRANSACTION = { maxWait: 10_000, timeout: 60_000 } as const;
