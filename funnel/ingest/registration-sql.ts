// The registration ingest's statements, sent through `pg` on one connection of the Db's pool
// (db/client.ts) rather than through Prisma: a batch of 1,000 binds ~30 arrays of 1,000 values, and
// Prisma's raw-query path (its WASM query compiler and parameter mapping) was the API's largest CPU item
// for no benefit here. And few of them: a batch is eight round trips — BEGIN, the lookups that do not
// depend on the campaign's lock, the locked facts as they stand before it, the registrations written
// as decided on those, the lock, the locked facts again, one statement writing the ledger entries (and
// any registration the decision under the lock changed), COMMIT (plus the rare audit entries when a
// budget closes) — four of them inside the lock. What the lock protects (funnel/ingest/campaign-lock.ts) is
// this campaign's budget, channel caps and contact/device/customer dedupe; every fact read before it is
// one no holder of the lock writes (see lookUpUnlockedFacts).
import type pg from 'pg';
import { randomUUID } from 'node:crypto';
import type { LedgerRow, RegistrationRow } from '../../db/bulk-insert';
import { BUDGET_EXHAUSTED_ACTION } from './budget';
import type { FunnelCampaign } from './campaign-context';
import { BATCH_TRANSACTION, funnelLockKey, IngestBusyError, type FunnelLock } from './campaign-lock';
import { CHANNEL_BUDGET_EXHAUSTED_ACTION, type ChannelBudget } from './channel-budget';
import { iso, LEDGER_COLUMNS, LEDGER_VALUES, ledgerArrays } from './ledger-sql';
import {
  FINGERPRINT_BURST_WINDOW_MS,
  type RegistrationLookups,
  type StoredRegistration,
  type UnlockedFacts,
} from './registration-lookups';
import type { RegistrationItem } from './registration-schema';

export type PgClient = pg.PoolClient;

/** The PostgreSQL error a statement (or the lock wait) past the transaction's time limit gets. */
export const QUERY_CANCELED = '57014';
/** The PostgreSQL error of the transaction it chose to end when two waited for each other. */
export const DEADLOCK_DETECTED = '40P01';

/**
 * Runs `work` in one transaction on a connection of `pool`: all or nothing. A connection whose ROLLBACK
 * fails is destroyed rather than handed back (it may be mid-transaction or broken). Every statement —
 * the lock wait included — is limited to BATCH_TRANSACTION.timeout, as Prisma's interactive
 * transaction limited the whole batch before: a batch never waits unboundedly behind another.
 */
export async function inPgTransaction<T>(
  pool: pg.Pool,
  work: (client: PgClient) => Promise<T>,
  time: <R>(fn: () => Promise<R>) => Promise<R> = (fn) => fn(),
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // No JIT: these are short OLTP statements, and a lookup's cost estimate made without statistics
    // can pass jit_above_cost and spend tens of milliseconds compiling a 3 ms query.
    await client.query(
      `BEGIN; SET LOCAL statement_timeout = ${BATCH_TRANSACTION.timeout}; SET LOCAL jit = off`,
    );
    const value = await work(client);
    await time(() => client.query('COMMIT'));
    return value;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * For a batch's `.catch`: the statement timeout (the lock waited for too long, or the database is
 * swamped) and a deadlock PostgreSQL broke (two batches waiting for each other's rows and lock) become
 * the retryable IngestBusyError (503 with Retry-After) rather than a 500 — nothing was stored.
 */
export function retryableOnTimeout(lock: FunnelLock): (err: unknown) => never {
  return (err) => {
    const code = (err as { code?: unknown }).code;
    const which = lock === 'registrations' ? 'registration' : 'event';
    if (code === QUERY_CANCELED) {
      throw new IngestBusyError(
        `the batch waited too long for the campaign's ${which} lock or the database; retry the batch`,
      );
    }
    if (code === DEADLOCK_DETECTED) {
      throw new IngestBusyError(
        `the batch and a concurrent ${which} batch waited for each other; retry the batch`,
      );
    }
    throw err;
  };
}

/** Takes the campaign's funnel lock (the same key as lockCampaignFunnel's), held until the transaction ends. */
export async function lockFunnel(client: PgClient, campaignId: string, lock: FunnelLock): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
    funnelLockKey(campaignId, lock),
  ]);
}

// Every per-customer lookup below is a LATERAL subquery per value of the batch (`unnest(…) AS v`,
// fenced by LIMIT or OFFSET 0 so that the planner cannot flatten it back), so that it can only be an
// index probe on the value. Written as `column = ANY($array)` next to `"campaignId" = $1`, a planner
// without column statistics (autovacuum off here, or any table not yet analysed) took the campaignId
// condition alone for the index and filtered the campaign's every registration against the array:
// at 480,000 registrations 445 ms per batch under the lock, and 1,467 ms for the other campaigns'
// registrations — a cost growing with the campaign (docs/benchmarks.md, "2026-12-03 evening").
const distinct = (values: (string | undefined)[]) => [...new Set(values.filter((v): v is string => !!v))];

/** The locked lookups' row kinds whose `a` is a registration's id ('burst' has it in `c`). */
const OWNER_KINDS: ReadonlySet<string> = new Set(['repeat', 'contactOwner', 'deviceOwner']);

export type { UnlockedFacts };
export type LockedFacts = Omit<RegistrationLookups, keyof UnlockedFacts>;

/**
 * The facts no holder of this campaign's registration lock writes, read BEFORE the lock so that another
 * batch of the campaign can hold it meanwhile: the bank's existing customers (imports), registrations in
 * OTHER campaigns (their own locks), this campaign's placements (publishing) and its material's versions.
 * Reading them under the lock never made them fresher than the statement's snapshot anyway. One
 * statement, its rows tagged by kind.
 */
export async function lookUpUnlockedFacts(
  client: PgClient,
  campaign: FunnelCampaign,
  items: readonly RegistrationItem[],
): Promise<UnlockedFacts> {
  const refs = distinct(items.map((i) => i.customerRef));
  const placementIds = distinct(
    items.flatMap((i) => [i.placementId, ...(i.touches ?? []).map((t) => t.placementId)]),
  );
  const versionIds = distinct(items.map((i) => i.materialVersionId));
  const { rows } = await client.query<{ kind: string; a: string; b: string; c: string; d: string }>(
    `SELECT 'existing'::text AS kind, e."customerRef"::text AS a, NULL::text AS b, NULL::text AS c, NULL::text AS d
       FROM "ExistingCustomer" e WHERE e."customerRef" = ANY($1::text[])
     UNION ALL
     SELECT 'elsewhere', v.ref, NULL, NULL, NULL
       FROM unnest($1::text[]) AS v(ref)
      CROSS JOIN LATERAL (SELECT 1 FROM "Registration" r JOIN "Campaign" c ON c.id = r."campaignId"
                           WHERE r."customerRef" = v.ref AND r."campaignId" <> $2 AND c.origin = 'live'
                           LIMIT 1) AS x
     UNION ALL
     SELECT 'placement', p.id, p."channelId", p."materialVersionId", p."variantKey"
       FROM "Placement" p WHERE p."campaignId" = $2 AND p.id = ANY($3::text[])
     UNION ALL
     SELECT 'version', v.id, NULL, NULL, NULL
       FROM "MaterialVersion" v WHERE v."materialId" = $4 AND v.id = ANY($5::text[])`,
    [refs, campaign.id, placementIds, campaign.materialId ?? null, versionIds],
  );
  const facts: UnlockedFacts = {
    existingCustomers: new Set(),
    registeredElsewhere: new Set(),
    placements: new Map(),
    campaignMaterialVersions: new Set(),
  };
  for (const row of rows) {
    if (row.kind === 'existing') facts.existingCustomers.add(row.a);
    else if (row.kind === 'elsewhere') facts.registeredElsewhere.add(row.a);
    else if (row.kind === 'placement')
      facts.placements.set(row.a, { channelId: row.b, materialVersionId: row.c, variantKey: row.d });
    else facts.campaignMaterialVersions.add(row.a);
  }
  return facts;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The facts the lock protects, read AFTER it in a statement of their own (so its snapshot includes every
 * batch committed before the lock was granted): this campaign's registrations of the batch's customers,
 * contacts and devices, live registrations per fingerprint around the batch's times (bursts, across
 * campaigns: this campaign's included), the acquisition spent so far (LedgerTotal) and the channel caps
 * with their spend. One statement, its rows tagged by kind.
 */
export async function lookUpLockedFacts(
  client: PgClient,
  campaign: FunnelCampaign,
  items: readonly RegistrationItem[],
  /**
   * This transaction's own registrations by id, written before the lock (registration-ingest.ts): left
   * out of the facts, and their customers not looked up as repeats (this transaction holds their key).
   */
  own: ReadonlyMap<string, RegistrationRow> = new Map(),
): Promise<LockedFacts> {
  const ownCustomers = new Set([...own.values()].map((r) => r.customerRef));
  const refs = distinct(items.map((i) => i.customerRef)).filter((ref) => !ownCustomers.has(ref));
  const contacts = distinct(items.map((i) => i.contactHash));
  const devices = distinct(items.map((i) => i.deviceFingerprint));
  const times = items.filter((i) => i.deviceFingerprint).map((i) => Date.parse(i.registeredAt));
  const [from, to] =
    times.length === 0
      ? [null, null]
      : [
          new Date(Math.min(...times) - FINGERPRINT_BURST_WINDOW_MS).toISOString(),
          new Date(Math.max(...times)).toISOString(),
        ];
  const { rows } = await client.query<{
    kind: string;
    a: string;
    b: string | null;
    c: string | null;
    d: string | null;
    e: string | null;
  }>(
    `SELECT 'repeat'::text AS kind, r.id::text AS a, r."customerRef"::text AS b, r."flagReason"::text AS c,
            r.arm::text AS d, r."cohortKey"::text AS e
       FROM unnest($2::text[]) AS v(ref)
      CROSS JOIN LATERAL (SELECT x.id, x."customerRef", x."flagReason", x.arm, x."cohortKey" FROM "Registration" x
                           WHERE x."campaignId" = $1 AND x."customerRef" = v.ref LIMIT 1) AS r
     UNION ALL
     SELECT 'contactOwner', r.id, r."customerRef", v.contact, NULL, NULL
       FROM unnest($3::text[]) AS v(contact)
      CROSS JOIN LATERAL (SELECT x.id, x."customerRef" FROM "Registration" x
                           WHERE x."campaignId" = $1 AND x."contactHash" = v.contact OFFSET 0) AS r
     UNION ALL
     SELECT 'deviceOwner', r.id, r."customerRef", NULL, v.device, NULL
       FROM unnest($4::text[]) AS v(device)
      CROSS JOIN LATERAL (SELECT x.id, x."customerRef" FROM "Registration" x
                           WHERE x."campaignId" = $1 AND x."deviceFingerprint" = v.device OFFSET 0) AS r
     UNION ALL
     SELECT 'burst', v.device, ((EXTRACT(EPOCH FROM r."registeredAt") * 1000)::float8)::text, r.id, NULL, NULL
       FROM unnest($4::text[]) AS v(device)
      CROSS JOIN LATERAL (SELECT x.id, x."registeredAt" FROM "Registration" x JOIN "Campaign" c ON c.id = x."campaignId"
                           WHERE x."deviceFingerprint" = v.device AND c.origin = 'live'
                             AND x."registeredAt" >= ($5::timestamptz AT TIME ZONE 'UTC')
                             AND x."registeredAt" <= ($6::timestamptz AT TIME ZONE 'UTC') OFFSET 0) AS r
     UNION ALL
     -- The running total (db/ledger-totals.ts), not a sum over every entry of the campaign per batch.
     SELECT 'spent', COALESCE(sum(t."amountMinor"), 0)::text, NULL, NULL, NULL, NULL
       FROM "LedgerTotal" t
      WHERE t."campaignId" = $1 AND t.kind = 'cost' AND t.scope = 'acquisition' AND t.currency = $7
     UNION ALL
     -- A channel's spend from the ledger's rollup (evaluation/rollups.ts: kept by triggers in the same
     -- transaction as every entry), not a sum over every acquisition entry of the channel per batch.
     SELECT 'channel', p."channelId", p."capMinor"::text, p."reviewIndex"::text,
            COALESCE((SELECT SUM(l."amountMinor") FROM "LedgerRollup" l
                       WHERE l."campaignId" = p."campaignId" AND l.kind = 'cost' AND l.scope = 'acquisition'
                         AND l."channelId" = p."channelId" AND l.currency = $7), 0)::text, NULL
       FROM "CampaignChannelPacing" p WHERE p."campaignId" = $1 AND $8::boolean`,
    [campaign.id, refs, contacts, devices, from, to, campaign.plan.currency, !!campaign.plan.pacing],
  );
  const facts: LockedFacts = {
    inCampaign: new Map(),
    contactOwners: new Map(),
    deviceOwners: new Map(),
    fingerprintTimes: new Map(),
    acquisitionSpentMinor: null,
    channelBudgets: new Map(),
  };
  for (const row of rows) {
    const registrationId = row.kind === 'burst' ? row.c : OWNER_KINDS.has(row.kind) ? row.a : null;
    if (registrationId !== null && own.has(registrationId)) continue;
    if (row.kind === 'repeat') {
      const stored: StoredRegistration = {
        id: row.a,
        customerRef: row.b as string,
        flagReason: row.c,
        arm: row.d as string,
        cohortKey: row.e as string,
      };
      facts.inCampaign.set(stored.customerRef, stored);
    } else if (row.kind === 'contactOwner') {
      push(facts.contactOwners, row.c as string, { registrationId: row.a, customerRef: row.b as string });
    } else if (row.kind === 'deviceOwner') {
      push(facts.deviceOwners, row.d as string, { registrationId: row.a, customerRef: row.b as string });
    } else if (row.kind === 'burst') {
      push(facts.fingerprintTimes, row.a, Number(row.b));
    } else if (row.kind === 'spent') {
      // No budget cap: nothing to weigh the spending against (the decision reads null as "no cap").
      facts.acquisitionSpentMinor = campaign.plan.acquisitionBudgetMinor === null ? null : BigInt(row.a);
    } else {
      const budget: ChannelBudget = {
        capMinor: BigInt(row.b as string),
        reviewIndex: Number(row.c),
        spentMinor: BigInt(row.d as string),
      };
      facts.channelBudgets.set(row.a, budget);
    }
  }
  return facts;
}

/**
 * Writes the registrations and their ledger entries in ONE statement (two data-modifying CTEs: each
 * table's statement-level triggers — rollups, ledger totals — fire once, at its end, as with two
 * statements; the registration triggers read only period revenue, which this statement never writes).
 * ON CONFLICT DO NOTHING as db/bulk-insert.ts; returns the ids of the registrations that were new.
 * The rows go in by customerRef: two transactions inserting some of the same customers wait for each
 * other on the (campaignId, customerRef) key in the same order, never in a cycle.
 */
export async function writeRegistrationsAndLedger(
  client: PgClient,
  unsorted: readonly RegistrationRow[],
  ledger: readonly LedgerRow[],
): Promise<Set<string>> {
  if (unsorted.length === 0 && ledger.length === 0) return new Set();
  const registrations = [...unsorted].sort((a, b) =>
    a.customerRef < b.customerRef ? -1 : a.customerRef > b.customerRef ? 1 : 0,
  );
  const r = <K extends keyof RegistrationRow>(key: K) => registrations.map((row) => row[key] ?? null);
  const at = (values: (Date | null | undefined)[]) => values.map((v) => (v ? iso(v) : null));
  const ledgerRows = ledgerArrays(ledger, 20);
  const { rows } = await client.query<{ registrations: string[] }>(
    `WITH reg AS (
       INSERT INTO "Registration" ("id", "campaignId", "customerRef", "channelId", "placementId", "materialVersionId",
         "variantKey", "registeredAt", "cohortKey", "periodEndsAt", "arm", "deviceFingerprint", "contactHash",
         "flagReason", "attributes", "activatedAt", "attributionBasis", "reportedChannelId", "attributedTouchAt",
         "createdAt")
       SELECT u.id, u.campaign, u.customer, u.channel, u.placement, u.version, u.variant, (u.registered AT TIME ZONE 'UTC'),
              u.cohort, (u.period_end AT TIME ZONE 'UTC'), u.arm, u.device, u.contact, u.flag, u.attributes,
              (u.activated AT TIME ZONE 'UTC'), u.basis, u.reported_channel, (u.touch_at AT TIME ZONE 'UTC'),
              (now() AT TIME ZONE 'UTC')
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::timestamptz[], $9::text[], $10::timestamptz[], $11::text[], $12::text[], $13::text[],
                     $14::text[], $15::jsonb[], $16::timestamptz[], $17::text[], $18::text[], $19::timestamptz[])
           AS u(id, campaign, customer, channel, placement, version, variant, registered, cohort, period_end, arm,
                device, contact, flag, attributes, activated, basis, reported_channel, touch_at)
       ON CONFLICT DO NOTHING
       RETURNING id
     ), led AS (
       INSERT INTO "LedgerEntry" ${LEDGER_COLUMNS}
       SELECT ${LEDGER_VALUES} FROM ${ledgerRows.from}
       ON CONFLICT ("id") DO NOTHING
     )
     SELECT coalesce(array_agg(id), '{}') AS registrations FROM reg`,
    [
      r('id'),
      r('campaignId'),
      r('customerRef'),
      r('channelId'),
      r('placementId'),
      r('materialVersionId'),
      r('variantKey'),
      at(r('registeredAt')),
      r('cohortKey'),
      at(r('periodEndsAt')),
      r('arm'),
      r('deviceFingerprint'),
      r('contactHash'),
      r('flagReason'),
      registrations.map((row) => (row.attributes ? JSON.stringify(row.attributes) : null)),
      at(r('activatedAt')),
      r('attributionBasis'),
      r('reportedChannelId'),
      at(r('attributedTouchAt')),
      ...ledgerRows.params,
    ],
  );
  return new Set(rows[0]?.registrations ?? []);
}

/** Deletes registrations by id (this transaction's own, written before the lock and refused under it). */
export async function deleteRegistrations(client: PgClient, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await client.query(`DELETE FROM "Registration" r USING unnest($1::text[]) AS u(id) WHERE r.id = u.id`, [
    ids,
  ]);
}

/**
 * Records, once per campaign channel (an audit entry with a deterministic id), that its cap closed it, for
 * the timeline; a later review that raises the cap reopens the channel, and a second closing after that is
 * recorded under the review's index (channel-budget.ts).
 */
export async function recordChannelExhaustion(
  client: PgClient,
  campaign: FunnelCampaign,
  closed: ({ channelId: string; channelCode: string } & ChannelBudget)[],
): Promise<void> {
  if (closed.length === 0) return;
  await client.query(
    `INSERT INTO "AuditLog" (id, "campaignId", actor, action, payload, at)
     SELECT u.id, $1, 'registration-ingest', $2, u.payload, (now() AT TIME ZONE 'UTC')
       FROM unnest($3::text[], $4::jsonb[]) AS u(id, payload)
     ON CONFLICT (id) DO NOTHING`,
    [
      campaign.id,
      CHANNEL_BUDGET_EXHAUSTED_ACTION,
      closed.map((c) => `channel-exhausted:${campaign.id}:${c.channelId}:${c.reviewIndex}`),
      closed.map((c) =>
        JSON.stringify({
          channelCode: c.channelCode,
          capMinor: c.capMinor.toString(),
          spentMinor: c.spentMinor.toString(),
          currency: campaign.plan.currency,
        }),
      ),
    ],
  );
}

/**
 * Records, once per campaign, that the budget closed acquisition (an audit log entry), and tells whether
 * this call is the one that recorded it: only that caller signals the workflow, so the workflow hears of
 * it once however many replicas and batches see the budget spent. Must run under the registration lock
 * (which makes the NOT EXISTS and the insert one step).
 */
export async function claimBudgetExhaustion(
  client: PgClient,
  campaign: FunnelCampaign,
  spent: bigint | null,
): Promise<boolean> {
  const { rowCount } = await client.query(
    `INSERT INTO "AuditLog" (id, "campaignId", actor, action, payload, at)
     SELECT $1, $2, 'registration-ingest', $3, $4::jsonb, (now() AT TIME ZONE 'UTC')
      WHERE NOT EXISTS (SELECT 1 FROM "AuditLog" WHERE "campaignId" = $2 AND action = $3)`,
    [
      randomUUID(),
      campaign.id,
      BUDGET_EXHAUSTED_ACTION,
      JSON.stringify({
        capMinor: campaign.plan.acquisitionBudgetMinor,
        spentMinor: spent === null ? null : spent.toString(),
        currency: campaign.plan.currency,
      }),
    ],
  );
  return rowCount === 1;
}
