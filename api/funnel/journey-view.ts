// GET /campaigns/:id/customers/:customerRef/journey — one customer's path through the campaign: the
// registration (attribution, arm, cohort, flag), the messages sent, the events received, the activation
// with the rule's explanation, and the ledger entries the customer caused.
import type { Db } from '../../db/client';
import { describeRule } from '../../funnel/activation-description';
import { evaluateActivation } from '../../funnel/activation-evaluation';
import type { FunnelCampaign } from '../../funnel/ingest/campaign-context';

/** A journey shows at most this many events (the latest); activation is explained from all of them. */
export const JOURNEY_MAX_EVENTS = 1_000;

export async function viewJourney(db: Db, campaign: FunnelCampaign, customerRef: string) {
  const registration = await db.registration.findUnique({
    where: { campaignId_customerRef: { campaignId: campaign.id, customerRef } },
  });
  if (!registration) return null;
  const where = { campaignId: campaign.id, customerRef };
  const [channel, messages, events, ledger] = await Promise.all([
    db.channel.findUnique({ where: { id: registration.channelId }, select: { code: true, name: true } }),
    db.message.findMany({ where, orderBy: { deliveredAt: 'asc' } }),
    db.customerEvent.findMany({
      where,
      orderBy: [{ occurredAt: 'desc' }, { eventId: 'desc' }],
      take: JOURNEY_MAX_EVENTS,
    }),
    db.ledgerEntry.findMany({ where, orderBy: { occurredAt: 'asc' } }),
  ]);
  const evaluation = evaluateActivation(
    campaign.plan.activationRule,
    events.map((e) => ({
      id: e.eventId,
      type: e.type,
      amountMinor: e.amountMinor === null ? null : Number(e.amountMinor),
      currency: e.currency,
      occurredAt: e.occurredAt.toISOString(),
    })),
    { start: registration.registeredAt.toISOString(), end: registration.periodEndsAt.toISOString() },
    campaign.plan.currency,
  );
  const { attributes, ...rest } = registration;
  return {
    campaignId: campaign.id,
    customerRef,
    registration: { ...rest, channelCode: channel?.code ?? null, attributes },
    activation: {
      activatedAt: registration.activatedAt?.toISOString() ?? null,
      rule: describeRule(campaign.plan.activationRule, campaign.plan.currency),
      /** Recomputed from the stored events; may name an earlier instant than the recorded activatedAt (see docs). */
      explanation: registration.flagReason
        ? `Not counted: the registration is flagged (${registration.flagReason}).`
        : evaluation.explanation,
    },
    messages: messages.map((m) => ({
      messageId: m.id,
      stepId: m.stepId,
      kind: m.kind,
      channelId: m.channelId,
      costMinor: Number(m.costMinor),
      deliveredAt: m.deliveredAt.toISOString(),
    })),
    events: events.reverse().map((e) => ({
      eventId: e.eventId,
      type: e.type,
      amountMinor: e.amountMinor === null ? null : Number(e.amountMinor),
      currency: e.currency,
      occurredAt: e.occurredAt.toISOString(),
      receivedAt: e.receivedAt.toISOString(),
      inPeriod: e.occurredAt >= registration.registeredAt && e.occurredAt < registration.periodEndsAt,
    })),
    eventsTruncated: events.length === JOURNEY_MAX_EVENTS,
    ledger: ledger.map((l) => ({
      id: l.id,
      kind: l.kind,
      scope: l.scope,
      category: l.category,
      amountMinor: Number(l.amountMinor),
      currency: l.currency,
      occurredAt: l.occurredAt.toISOString(),
    })),
  };
}
