// Customer-event ingest: stores a batch of up to 1,000 events idempotently by event id, books the revenue
// of those inside the customer's new-customer period, and evaluates activation for the customers they
// concern — all in one transaction under the campaign's event lock, so activation always sees every
// event already committed and a batch is never half-written. Its statements go through `pg`
// (event-sql.ts): seven round trips, the lock's included.
import { pgPoolOf, type Db } from '../../db/client';
import { MAX_TOTAL_MINOR } from '../../domain/money';
import { ACTIVATION_STEPS, recordActivations, type ActivationCandidate } from './activation-on-arrival';
import { z } from 'zod';
import { itemError, ItemResultSchema, type ItemError, type ParsedItem } from './batch';
import type { CustomerEventRow } from '../../db/bulk-insert';
import type { FunnelCampaign } from './campaign-context';
import type { CustomerEventItem } from './event-schema';
import { lookUpEventFacts, writeEventsAndRevenue, type StoredRegistration } from './event-sql';
import { ledgerEntries, type LedgerRow } from './ledger-entries';
import { MAX_CLOCK_SKEW_MS } from '../../domain/clock-skew';
import { inPgTransaction, lockFunnel, retryableOnTimeout } from './registration-sql';

/** One customer event's result, as the ingest API answers it (api/openapi/funnel.ts imports it). */
export const CustomerEventResultSchema = ItemResultSchema.extend({
  eventId: z.string().optional(),
  inPeriod: z.boolean().optional().meta({
    description: "Whether the event fell inside the customer's new-customer period (only those count)",
  }),
  activatedAt: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: "The customer's activation time, when activated (by this batch or earlier)" }),
});
export type CustomerEventResult = z.infer<typeof CustomerEventResultSchema>;

/** The steps of a batch, in order, as scripts/bench/event-profile.ts times them (the commit is the rest). */
export const EVENT_INGEST_STEPS = ['lock', 'lookups', 'write', ...ACTIVATION_STEPS] as const;
export type EventIngestStep = (typeof EVENT_INGEST_STEPS)[number];

export async function ingestCustomerEvents(
  db: Db,
  campaign: FunnelCampaign,
  items: readonly ParsedItem<CustomerEventItem>[],
  /**
   * `hiddenCustomerRefs`: customers the caller may not see (a channel-system key, for customers who
   * registered through another channel): their events are refused as for unregistered customers.
   */
  options: {
    now?: Date;
    hiddenCustomerRefs?: ReadonlySet<string>;
    /** Wraps each step (the benchmark's timer); the steps run as they are without it. */
    step?: <T>(name: EventIngestStep, run: () => Promise<T>) => Promise<T>;
  } = {},
): Promise<CustomerEventResult[]> {
  const now = options.now ?? new Date();
  const step = options.step ?? ((_name, run) => run());
  const hidden = options.hiddenCustomerRefs ?? new Set<string>();
  const valid = items.flatMap((item) => (item.value ? [item.value] : []));
  const refs = [...new Set(valid.map((e) => e.customerRef))];
  const ids = [...new Set(valid.map((e) => e.eventId))];
  return inPgTransaction(pgPoolOf(db), async (client) => {
    await step('lock', () => lockFunnel(client, campaign.id, 'events'));
    // Every revenue sum the funnel and the evaluation form stays exact: the campaign's revenue total
    // (all currencies together, an upper bound of any subtotal) never passes MAX_TOTAL_MINOR. Read
    // under the campaign's event lock, the only writer of revenue.
    const facts = await step('lookups', () => lookUpEventFacts(client, campaign.id, refs, ids));
    const { registrations, seen } = facts;
    for (const ref of hidden) registrations.delete(ref);
    let revenueTotal = facts.revenueTotal;

    const rows: CustomerEventRow[] = [];
    // The revenue entry of each accepted event that books revenue, with its event (written only if the
    // event itself is: writeEventsAndRevenue).
    const revenue: LedgerRow[] = [];
    const revenueEvents: string[] = [];
    const accepted = new Map<string, CustomerEventItem>();
    const results: CustomerEventResult[] = items.map(({ index, value: event, errors }) => {
      if (!event) return { index, status: 'rejected', errors: errors ?? [] };
      const earlier = seen.get(event.eventId);
      if (earlier) {
        if (earlier.campaignId === campaign.id && earlier.customerRef === event.customerRef) {
          return { index, status: 'duplicate_request', eventId: event.eventId };
        }
        const error = itemError(
          'eventId',
          'event_id_reused',
          'this event id was already used for another customer or campaign',
        );
        return { index, status: 'rejected', errors: [error] };
      }
      const refusal = refusalOf(event, registrations, now);
      if (refusal) return { index, status: 'rejected', errors: [refusal] };
      const registration = registrations.get(event.customerRef) as StoredRegistration;
      if (booksRevenue(event, registration)) {
        const next = revenueTotal + BigInt(event.revenueMinor ?? 0);
        if (next > BigInt(MAX_TOTAL_MINOR)) {
          const error = itemError(
            'revenueMinor',
            'amount_out_of_range',
            `would take the campaign's revenue past ${MAX_TOTAL_MINOR} minor units, beyond which sums are not exact`,
          );
          return { index, status: 'rejected', errors: [error] };
        }
        revenueTotal = next;
        revenue.push(
          ledgerEntries.revenue(
            event.eventId,
            { campaignId: campaign.id, ...registration },
            event.revenueMinor as number,
            event.currency ?? campaign.plan.currency,
            new Date(event.occurredAt),
          ),
        );
        revenueEvents.push(event.eventId);
      }
      seen.set(event.eventId, { campaignId: campaign.id, customerRef: event.customerRef });
      accepted.set(event.eventId, event);
      rows.push({
        eventId: event.eventId,
        campaignId: campaign.id,
        customerRef: event.customerRef,
        type: event.type,
        amountMinor: event.amountMinor ?? null,
        currency: event.currency ?? null,
        occurredAt: new Date(event.occurredAt),
      });
      return { index, status: 'accepted', eventId: event.eventId };
    });

    const inserted = await step('write', () => writeEventsAndRevenue(client, rows, revenue, revenueEvents));
    const candidates = new Map<string, ActivationCandidate>();
    for (const result of results) {
      if (result.status !== 'accepted' || !result.eventId) continue;
      // Stored meanwhile by a concurrent batch (event ids are global, the lock is per campaign).
      if (!inserted.has(result.eventId)) {
        result.status = 'duplicate_request';
        continue;
      }
      const event = accepted.get(result.eventId) as CustomerEventItem;
      const registration = registrations.get(event.customerRef) as StoredRegistration;
      const at = new Date(event.occurredAt);
      result.inPeriod = at >= registration.registeredAt && at < registration.periodEndsAt;
      // Flagged registrations are outside the funnel: their events are kept as facts, but earn the
      // campaign no revenue and never activate anyone.
      if (!result.inPeriod || registration.flagReason !== null) continue;
      if (registration.activatedAt === null) candidates.set(registration.id, registration);
    }
    const activated = await recordActivations(client, campaign, [...candidates.values()], step);

    const customerOf = new Map(valid.map((e) => [e.eventId, e.customerRef]));
    for (const result of results) {
      const ref = result.eventId ? customerOf.get(result.eventId) : undefined;
      const registration = ref === undefined ? undefined : registrations.get(ref);
      const at = registration ? (activated.get(registration.id) ?? registration.activatedAt) : null;
      if (at && result.status !== 'rejected') result.activatedAt = at.toISOString();
    }
    return results;
  }).catch(retryableOnTimeout('events'));
}

/** Whether an accepted event books revenue: inside its customer's period, customer not flagged, revenue > 0. */
function booksRevenue(event: CustomerEventItem, registration: StoredRegistration): boolean {
  const at = new Date(event.occurredAt);
  const inPeriod = at >= registration.registeredAt && at < registration.periodEndsAt;
  return inPeriod && registration.flagReason === null && (event.revenueMinor ?? 0) > 0;
}

function refusalOf(
  event: CustomerEventItem,
  registrations: Map<string, StoredRegistration>,
  now: Date,
): ItemError | null {
  if (!registrations.has(event.customerRef)) {
    return itemError(
      'customerRef',
      'customer_not_registered',
      'this customer is not registered in this campaign',
    );
  }
  if (Date.parse(event.occurredAt) > now.getTime() + MAX_CLOCK_SKEW_MS) {
    return itemError(
      'occurredAt',
      'occurred_in_future',
      `is later than the server's clock (${now.toISOString()})`,
    );
  }
  return null;
}
