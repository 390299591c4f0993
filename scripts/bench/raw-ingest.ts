// The raw ingest baseline of bench:funnel: the same rows the API path writes for a batch of registrations
// (the registration and its incentive entry in one transaction) and for the batch's customer events (the
// event, its revenue entry, the activation and its reward), each written with one batched
// INSERT … SELECT FROM unnest(…) per table through `pg` — no API, no validation, no lookups, no lock.
// Same batch size and concurrency as the API path, same database: what the database alone can take.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Gate } from './alternation';

export interface RawIngestPlan {
  campaignId: string;
  channelIds: readonly string[];
  materialVersionId: string;
  total: number;
  batch: number;
  concurrency: number;
  incentiveMinor: number;
  activationRewardMinor: number;
  /** Prefix of the raw customers' refs, distinct from the API path's so that no lookup sees them. */
  customerPrefix: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

async function inTransaction(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await work(client);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function writeBatch(pool: pg.Pool, plan: RawIngestPlan, first: number, size: number): Promise<void> {
  const now = Date.now();
  const ids: string[] = [];
  const refs: string[] = [];
  const channels: string[] = [];
  const arms: string[] = [];
  const cohort = new Date(Math.floor(now / 20_000) * 20_000).toISOString();
  for (let i = first; i < first + size; i++) {
    ids.push(randomUUID());
    refs.push(`${plan.customerPrefix}-${i}`);
    channels.push(plan.channelIds[i % plan.channelIds.length] as string);
    arms.push(i % 10 === 0 ? 'control' : 'treatment');
  }
  const registeredAt = iso(now);
  const periodEndsAt = iso(now + 60_000);
  await inTransaction(pool, async (client) => {
    await client.query(
      `INSERT INTO "Registration" ("id", "campaignId", "customerRef", "channelId", "materialVersionId", "variantKey",
         "registeredAt", "cohortKey", "periodEndsAt", "arm", "createdAt")
       SELECT u.id, $1, u.customer, u.channel, $2, 'default', ($3::timestamptz AT TIME ZONE 'UTC'), $4,
              ($5::timestamptz AT TIME ZONE 'UTC'), u.arm, (now() AT TIME ZONE 'UTC')
         FROM unnest($6::text[], $7::text[], $8::text[], $9::text[]) AS u(id, customer, channel, arm)
       ON CONFLICT DO NOTHING`,
      [
        plan.campaignId,
        plan.materialVersionId,
        registeredAt,
        cohort,
        periodEndsAt,
        ids,
        refs,
        channels,
        arms,
      ],
    );
    await client.query(
      `INSERT INTO "LedgerEntry" ("id", "campaignId", "kind", "scope", "category", "channelId", "variantKey",
         "cohortKey", "customerRef", "amountMinor", "currency", "occurredAt", "createdAt")
       SELECT 'incentive:' || u.id, $1, 'cost', 'acquisition', 'registration_incentive', u.channel, 'default', $2,
              u.customer, $3, 'CNY', ($4::timestamptz AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC')
         FROM unnest($5::text[], $6::text[], $7::text[]) AS u(id, customer, channel)
       ON CONFLICT ("id") DO NOTHING`,
      [plan.campaignId, cohort, plan.incentiveMinor, registeredAt, ids, refs, channels],
    );
  });
  // A quarter of the customers transact enough to activate, as in the API path's traffic.
  const picked = ids.flatMap((id, i) => (i % 4 === 0 ? [i] : []));
  const pick = <T>(values: T[]) => picked.map((i) => values[i] as T);
  const [eventIds, eventRefs, eventRegs, eventChannels] = [
    pick(refs).map((r) => `${r}-tx`),
    pick(refs),
    pick(ids),
    pick(channels),
  ];
  await inTransaction(pool, async (client) => {
    await client.query(
      `INSERT INTO "CustomerEvent" ("eventId", "campaignId", "customerRef", "type", "amountMinor", "currency",
         "occurredAt", "receivedAt")
       SELECT u.id, $1, u.customer, 'transaction', 20000, 'CNY', ($2::timestamptz AT TIME ZONE 'UTC'),
              (now() AT TIME ZONE 'UTC')
         FROM unnest($3::text[], $4::text[]) AS u(id, customer)
       ON CONFLICT ("eventId") DO NOTHING`,
      [plan.campaignId, iso(Date.now()), eventIds, eventRefs],
    );
    await client.query(
      `UPDATE "Registration" r SET "activatedAt" = (now() AT TIME ZONE 'UTC')
         FROM unnest($1::text[]) AS u(id) WHERE r.id = u.id AND r."activatedAt" IS NULL`,
      [eventRegs],
    );
    await client.query(
      `INSERT INTO "LedgerEntry" ("id", "campaignId", "kind", "scope", "category", "channelId", "variantKey",
         "cohortKey", "customerRef", "amountMinor", "currency", "occurredAt", "createdAt")
       SELECT x.prefix || CASE WHEN x.kind = 'revenue' THEN u.event ELSE u.key END, $1, x.kind, 'period', x.category, u.channel, 'default', $2, u.customer, x.amount,
              'CNY', (now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC')
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS u(key, event, customer, channel)
         CROSS JOIN LATERAL (VALUES ('activation:', 'cost', 'activation_reward', $7::bigint),
                                    ('revenue:', 'revenue', 'revenue', 200::bigint)) AS x(prefix, kind, category, amount)
       ON CONFLICT ("id") DO NOTHING`,
      [plan.campaignId, cohort, eventRegs, eventIds, eventRefs, eventChannels, plan.activationRewardMinor],
    );
  });
}

/**
 * Writes plan.total registrations (and their events) raw; returns the wall time in milliseconds. With a
 * gate, each batch waits for the raw side's turn (alternation.ts): the wall time then includes the API
 * path's turns, and the gate's elapsedMs has the raw side's own.
 */
export async function rawIngest(databaseUrl: string, plan: RawIngestPlan, gate?: Gate): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: plan.concurrency });
  try {
    let next = 0;
    const started = performance.now();
    const lane = async () => {
      for (let b = next++; b * plan.batch < plan.total; b = next++) {
        await gate?.enter('raw');
        try {
          await writeBatch(pool, plan, b * plan.batch, Math.min(plan.batch, plan.total - b * plan.batch));
        } finally {
          gate?.leave('raw');
        }
      }
    };
    await Promise.all(Array.from({ length: plan.concurrency }, lane)).finally(() => gate?.finish('raw'));
    return performance.now() - started;
  } finally {
    await pool.end();
  }
}
