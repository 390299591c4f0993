// The customer-event ingest's statements, sent through `pg` on one connection of the Db's pool, as the
// registration ingest's are (registration-sql.ts says why: Prisma's raw-query path cost the API more CPU
// than the statements themselves). And few of them: a batch is BEGIN, the lock, ONE lookup (the
// registrations of the batch's customers, the event ids already stored, the campaign's revenue total),
// ONE write of the events and their revenue entries, the activation's read of the customers' events,
// ONE write of the activations and their rewards, COMMIT — where through Prisma it was eleven.
import type { CustomerEventRow, LedgerRow } from '../../db/bulk-insert';
import type { CustomerEventFact } from '../activation-evaluation';
import type { ActivationCandidate } from './activation-on-arrival';
import { iso, LEDGER_COLUMNS, LEDGER_VALUES, ledgerArrays } from './ledger-sql';
import type { PgClient } from './registration-sql';

export type StoredRegistration = ActivationCandidate & {
  flagReason: string | null;
  activatedAt: Date | null;
};

export interface EventFacts {
  /** This campaign's registrations of the batch's customers, by customerRef. */
  registrations: Map<string, StoredRegistration>;
  /** The batch's event ids already stored (in any campaign), with whose they are. */
  seen: Map<string, { campaignId: string; customerRef: string }>;
  /** The campaign's revenue so far, every currency (the running total, db/ledger-totals.ts). */
  revenueTotal: bigint;
}

/**
 * One statement, its rows tagged by kind; each customer's registration is a probe of its own (a LATERAL
 * per value, as registration-sql.ts's lookups and for the same reason: `= ANY($array)` beside the
 * campaign's id was planned, without statistics, as a filter over the campaign's every row). Timestamps are read as timestamptz (`AT TIME ZONE 'UTC'`):
 * the columns are UTC without a zone, which pg would otherwise parse in the process's local time.
 */
export async function lookUpEventFacts(
  client: PgClient,
  campaignId: string,
  customerRefs: readonly string[],
  eventIds: readonly string[],
): Promise<EventFacts> {
  const { rows } = await client.query<{
    kind: string;
    a: string;
    b: string | null;
    c: string | null;
    d: string | null;
    e: string | null;
    f: string | null;
    registered: Date | null;
    period_end: Date | null;
    activated: Date | null;
  }>(
    `SELECT 'registration'::text AS kind, r.id::text AS a, r."customerRef"::text AS b, r."channelId"::text AS c,
            r."variantKey"::text AS d, r."cohortKey"::text AS e, r."flagReason"::text AS f,
            (r."registeredAt" AT TIME ZONE 'UTC') AS registered, (r."periodEndsAt" AT TIME ZONE 'UTC') AS period_end,
            (r."activatedAt" AT TIME ZONE 'UTC') AS activated
       FROM unnest($2::text[]) AS v(ref)
      CROSS JOIN LATERAL (SELECT * FROM "Registration" x
                           WHERE x."campaignId" = $1 AND x."customerRef" = v.ref LIMIT 1) AS r
     UNION ALL
     SELECT 'event', e."eventId", e."customerRef", e."campaignId", NULL, NULL, NULL, NULL, NULL, NULL
       FROM "CustomerEvent" e WHERE e."eventId" = ANY($3::text[])
     UNION ALL
     SELECT 'revenue', COALESCE(sum(t."amountMinor"), 0)::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
       FROM "LedgerTotal" t WHERE t."campaignId" = $1 AND t.kind = 'revenue'`,
    [campaignId, customerRefs, eventIds],
  );
  const facts: EventFacts = { registrations: new Map(), seen: new Map(), revenueTotal: 0n };
  for (const row of rows) {
    if (row.kind === 'registration') {
      facts.registrations.set(row.b as string, {
        id: row.a,
        customerRef: row.b as string,
        channelId: row.c as string,
        variantKey: row.d,
        cohortKey: row.e as string,
        flagReason: row.f,
        registeredAt: row.registered as Date,
        periodEndsAt: row.period_end as Date,
        activatedAt: row.activated,
      });
    } else if (row.kind === 'event') {
      facts.seen.set(row.a, { campaignId: row.c as string, customerRef: row.b as string });
    } else {
      facts.revenueTotal = BigInt(row.a);
    }
  }
  return facts;
}

/**
 * Inserts the events and, for those actually inserted (an id stored before is skipped), their revenue
 * entries, in ONE statement: `revenue` holds the entry of every event that books revenue, keyed by its
 * event (`revenueEvents`, parallel), and only those joined to an inserted event are written. Returns the
 * ids inserted. The ledger's statement-level triggers (totals, rollups) fire once at the statement's end
 * and read Registration, which this statement does not write.
 */
export async function writeEventsAndRevenue(
  client: PgClient,
  events: readonly CustomerEventRow[],
  revenue: readonly LedgerRow[],
  revenueEvents: readonly string[],
): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const ledger = ledgerArrays(revenue, 8, { event: revenueEvents });
  const { rows } = await client.query<{ eventId: string }>(
    `WITH ev AS (
       INSERT INTO "CustomerEvent" ("eventId", "campaignId", "customerRef", "type", "amountMinor", "currency",
         "occurredAt", "receivedAt")
       SELECT u.id, u.campaign, u.customer, u.type, u.amount, u.currency, (u.occurred AT TIME ZONE 'UTC'),
              (now() AT TIME ZONE 'UTC')
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::timestamptz[])
           AS u(id, campaign, customer, type, amount, currency, occurred)
       ON CONFLICT ("eventId") DO NOTHING
       RETURNING "eventId"
     ), rev AS (
       INSERT INTO "LedgerEntry" ${LEDGER_COLUMNS}
       SELECT ${LEDGER_VALUES} FROM ${ledger.from} JOIN ev ON ev."eventId" = u.event
       ON CONFLICT ("id") DO NOTHING
     )
     SELECT "eventId" FROM ev`,
    [
      events.map((e) => e.eventId),
      events.map((e) => e.campaignId),
      events.map((e) => e.customerRef),
      events.map((e) => e.type),
      events.map((e) => (e.amountMinor === null ? null : String(e.amountMinor))),
      events.map((e) => e.currency),
      events.map((e) => iso(e.occurredAt)),
      ...ledger.params,
    ],
  );
  return new Set(rows.map((row) => row.eventId));
}

/**
 * Every stored event of these customers in the campaign, as the activation rule reads them: one index
 * probe per customer (see lookUpEventFacts; the `= ANY` form read all 120,000 events of the campaign
 * per batch at 480,000 registrations).
 */
export async function customerEventFacts(
  client: PgClient,
  campaignId: string,
  customerRefs: readonly string[],
): Promise<Map<string, CustomerEventFact[]>> {
  const { rows } = await client.query<{
    eventId: string;
    customerRef: string;
    type: string;
    amountMinor: string | null;
    currency: string | null;
    occurredAt: Date;
  }>(
    `SELECT "eventId", "customerRef", type, "amountMinor"::text AS "amountMinor", currency,
            ("occurredAt" AT TIME ZONE 'UTC') AS "occurredAt"
       FROM unnest($2::text[]) AS v(ref)
      CROSS JOIN LATERAL (SELECT * FROM "CustomerEvent" e
                           WHERE e."campaignId" = $1 AND e."customerRef" = v.ref OFFSET 0) AS e`,
    [campaignId, customerRefs],
  );
  const byCustomer = new Map<string, CustomerEventFact[]>();
  for (const event of rows) {
    const fact: CustomerEventFact = {
      id: event.eventId,
      type: event.type,
      amountMinor: event.amountMinor === null ? null : Number(event.amountMinor),
      currency: event.currency,
      occurredAt: event.occurredAt.toISOString(),
    };
    const list = byCustomer.get(event.customerRef);
    if (list) list.push(fact);
    else byCustomer.set(event.customerRef, [fact]);
  }
  return byCustomer;
}

/**
 * Sets activatedAt on the registrations still unactivated and unflagged, and writes the activation reward
 * of exactly those (`rewards`, keyed by registration in `rewardRegistrations`), in ONE statement; returns
 * the ids activated. A concurrent or repeated evaluation can never set it twice nor pay twice.
 *
 * Each row is found by its primary key alone, one probe per candidate, and locked there (FOR UPDATE
 * rechecks the conditions on the row's latest version, as the UPDATE's own WHERE would). The conditions
 * are NOT on the updated table: written there, `"flagReason" IS NULL` matches the (campaignId, cohortKey,
 * flagReason) index and, without column statistics (a table never analysed: autovacuum off, or a fresh
 * database), the planner takes IS NULL to hold for 0.5% of the rows, so it scanned the campaign's
 * unflagged registrations and compared each with every candidate — 250 × 60,000 comparisons, 3–14 s per
 * event batch at 30,000 registrations (docs/benchmarks.md, 2026-12-03). The lateral subquery (not
 * flattened: FOR UPDATE) can only be a primary-key probe per candidate. The Registration update trigger
 * reads the ledger only for registrations that move between buckets, which an activation never does.
 */
export async function writeActivations(
  client: PgClient,
  activations: readonly { id: string; at: string }[],
  rewards: readonly LedgerRow[],
  rewardRegistrations: readonly string[],
): Promise<Set<string>> {
  if (activations.length === 0) return new Set();
  const ledger = ledgerArrays(rewards, 3, { registration: rewardRegistrations });
  const { rows } = await client.query<{ id: string }>(
    `WITH done AS (
       UPDATE "Registration" AS r
          SET "activatedAt" = (due.at::timestamptz AT TIME ZONE 'UTC')
         FROM (SELECT still.id, v.at
                 FROM unnest($1::text[], $2::text[]) AS v(id, at)
                CROSS JOIN LATERAL (
                      SELECT x.id FROM "Registration" AS x
                       WHERE x.id = v.id AND x."activatedAt" IS NULL AND x."flagReason" IS NULL
                         FOR UPDATE) AS still) AS due
        WHERE r.id = due.id
    RETURNING r.id
     ), reward AS (
       INSERT INTO "LedgerEntry" ${LEDGER_COLUMNS}
       SELECT ${LEDGER_VALUES} FROM ${ledger.from} JOIN done ON done.id = u.registration
       ON CONFLICT ("id") DO NOTHING
     )
     SELECT id FROM done`,
    [activations.map((a) => a.id), activations.map((a) => a.at), ...ledger.params],
  );
  return new Set(rows.map((row) => row.id));
}
