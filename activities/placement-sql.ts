// The writes of publishPlacement (activities/publishing.ts), as few statements as the facts allow,
// through the Db's own pg pool. Why not Prisma here: 50 channels publish at once, and each Prisma
// statement spends ~3–5 ms of the worker's one thread in its query compiler — bench:publish measured
// ~36 ms of worker CPU per channel with five statements, which is what kept 50 channels above 3× one
// channel (docs/benchmarks.md "Publishing"). Two statements per verified channel now: one reads the
// version and the channel and upserts the placement; one records the result and the placement fee.
//
// Timestamps go in as ISO text and are stored as UTC, as Prisma stores them (columns are TIMESTAMP(3)
// without time zone), whatever the session's TimeZone; times that are facts (published, verified, the
// fee's occurrence) come from the activity's injected clock, bookkeeping (createdAt, updatedAt) from
// the database's.
import type pg from 'pg';
import type { PlacementStatus } from '../domain/placement-status';

const NOW_UTC = `(now() AT TIME ZONE 'UTC')`;

export interface PlacementStart {
  version: { id: string; version: number; contentHash: string; content: unknown; approved: boolean };
  channel: { id: string; code: string; adapter: unknown; costModel: unknown };
}

/** The placement fee known at publishing time: a fixed fee per placement (CPM/CPC are billed from reports). */
export interface PlacementFee {
  id: string;
  campaignId: string;
  channelId: string;
  variantKey: string;
  amountMinor: number;
  currency: string;
  occurredAt: Date;
}

export function placementFeeOf(
  placementId: string,
  campaignId: string,
  channel: { id: string; costModel: unknown },
  variantKey: string,
  occurredAt: Date,
): PlacementFee | null {
  const cost = channel.costModel as { type: string; amountMinor: number; currency: string };
  if (cost.type !== 'fixed_per_placement' || cost.amountMinor <= 0) return null;
  return {
    id: `fee:${placementId}`,
    campaignId,
    channelId: channel.id,
    variantKey,
    amountMinor: cost.amountMinor,
    currency: cost.currency,
    occurredAt,
  };
}

/**
 * Reads the material version and the channel, and writes the placement as first written (pending,
 * attempt 1) or counts one more attempt — one statement. Throws when the version or the channel does not
 * exist (nothing is written then), as findUniqueOrThrow did.
 */
export async function startPlacement(
  pool: pg.Pool,
  p: {
    placementId: string;
    campaignId: string;
    channelId: string;
    materialVersionId: string;
    variantKey: string;
  },
): Promise<PlacementStart> {
  const { rows } = await pool.query<{
    versionId: string;
    version: number;
    contentHash: string;
    content: unknown;
    approved: boolean;
    channelId: string;
    code: string;
    adapter: unknown;
    costModel: unknown;
  }>(
    `WITH v AS (SELECT id, version, "contentHash", content, "approvedAt" IS NOT NULL AS approved
                  FROM "MaterialVersion" WHERE id = $1),
          c AS (SELECT id, code, adapter, "costModel" FROM "Channel" WHERE id = $2),
          p AS (INSERT INTO "Placement" (id, "campaignId", "channelId", "materialVersionId", "variantKey",
                                         "contentHash", status, attempts, "createdAt", "updatedAt")
                SELECT $3, $4, c.id, v.id, $5, v."contentHash", $6, 1, ${NOW_UTC}, ${NOW_UTC} FROM v, c
                ON CONFLICT (id) DO UPDATE SET attempts = "Placement".attempts + 1, "updatedAt" = ${NOW_UTC}
                RETURNING 1)
     SELECT v.id AS "versionId", v.version, v."contentHash", v.content, v.approved,
            c.id AS "channelId", c.code, c.adapter, c."costModel"
       FROM v, c`,
    [
      p.materialVersionId,
      p.channelId,
      p.placementId,
      p.campaignId,
      p.variantKey,
      'pending' satisfies PlacementStatus,
    ],
  );
  const row = rows[0];
  if (!row) {
    throw new Error(
      `publishing placement ${p.placementId}: material version ${p.materialVersionId} or channel ${p.channelId} does not exist`,
    );
  }
  return {
    version: {
      id: row.versionId,
      version: row.version,
      contentHash: row.contentHash,
      content: row.content,
      approved: row.approved,
    },
    channel: { id: row.channelId, code: row.code, adapter: row.adapter, costModel: row.costModel },
  };
}

/** The fee's `INSERT`, the main statement after the caller's CTEs (so all is one statement), or a no-op. */
function feeInsert(fee: PlacementFee | null, firstParam: number): { sql: string; params: unknown[] } {
  if (!fee) return { sql: 'SELECT 1', params: [] };
  const n = (i: number) => `$${firstParam + i}`;
  return {
    sql: `INSERT INTO "LedgerEntry" ("id", "campaignId", "kind", "scope", "category", "channelId", "variantKey",
                                     "amountMinor", "currency", "occurredAt", "createdAt")
          VALUES (${n(0)}, ${n(1)}, 'cost', 'acquisition', 'placement_fee', ${n(2)}, ${n(3)}, ${n(4)}::bigint,
                  ${n(5)}, (${n(6)}::timestamptz AT TIME ZONE 'UTC'), ${NOW_UTC})
          ON CONFLICT ("id") DO NOTHING`,
    params: [
      fee.id,
      fee.campaignId,
      fee.channelId,
      fee.variantKey,
      String(fee.amountMinor),
      fee.currency,
      fee.occurredAt.toISOString(),
    ],
  };
}

/** The placement verified by read-back, and its fee booked (once: the fee's id is the placement's) — one statement. */
export async function recordVerified(
  pool: pg.Pool,
  v: {
    placementId: string;
    observedHash: string;
    externalRef: string;
    publishedAt: Date;
    verifiedAt: Date;
    fee: PlacementFee | null;
  },
): Promise<void> {
  const fee = feeInsert(v.fee, 7);
  await pool.query(
    `WITH u AS (UPDATE "Placement"
                   SET status = $2, "observedHash" = $3, "externalRef" = $4,
                       "publishedAt" = ($5::timestamptz AT TIME ZONE 'UTC'),
                       "verifiedAt" = ($6::timestamptz AT TIME ZONE 'UTC'),
                       "lastCheckedAt" = ($6::timestamptz AT TIME ZONE 'UTC'),
                       error = NULL, "updatedAt" = ${NOW_UTC}
                 WHERE id = $1
             RETURNING id)
     ${fee.sql}`,
    [
      v.placementId,
      'verified' satisfies PlacementStatus,
      v.observedHash,
      v.externalRef,
      v.publishedAt.toISOString(),
      v.verifiedAt.toISOString(),
      ...fee.params,
    ],
  );
}

/**
 * An offline channel's placement: the publish task for staff (once per placement), the placement awaiting
 * their acknowledgement, and its fee — one statement.
 */
export async function recordAwaitingAcknowledgement(
  pool: pg.Pool,
  a: {
    placementId: string;
    campaignId: string;
    channelId: string;
    publishedAt: Date;
    fee: PlacementFee | null;
  },
): Promise<void> {
  const fee = feeInsert(a.fee, 7);
  await pool.query(
    `WITH t AS (INSERT INTO "OfflineTask" (id, "placementId", "campaignId", "channelId", action, status, "createdAt")
                VALUES ($2, $1, $3, $4, 'publish', 'open', ${NOW_UTC})
                ON CONFLICT DO NOTHING),
          u AS (UPDATE "Placement"
                   SET status = $5, "publishedAt" = ($6::timestamptz AT TIME ZONE 'UTC'), "updatedAt" = ${NOW_UTC}
                 WHERE id = $1
             RETURNING id)
     ${fee.sql}`,
    [
      a.placementId,
      `task-${a.placementId}-publish`,
      a.campaignId,
      a.channelId,
      'awaiting_acknowledgement' satisfies PlacementStatus,
      a.publishedAt.toISOString(),
      ...fee.params,
    ],
  );
}
