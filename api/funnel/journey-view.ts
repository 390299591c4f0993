// GET /campaigns/:id/customers/:customerRef/journey — one customer's path through the campaign: the
// registration (attribution, arm, cohort, flag), the messages sent, the events received, the activation
// with the rule's explanation, and the ledger entries the customer caused.
// Its reply schema is declared here and types the builder; the OpenAPI document imports it.
import { z } from 'zod';
import type { Db } from '../../db/client';
import { describeRule } from '../../funnel/activation-description';
import { evaluateActivation } from '../../funnel/activation-evaluation';
import type { FunnelCampaign } from '../../funnel/ingest/campaign-context';
import { NullableTimestamp, Timestamp, Uuid } from '../openapi/common';

/** A journey shows at most this many events (the latest); activation is explained from all of them. */
export const JOURNEY_MAX_EVENTS = 1_000;

/** The reply of GET /campaigns/:id/customers/:customerRef/journey. */
export const JourneySchema = z.object({
  campaignId: Uuid,
  customerRef: z.string(),
  registration: z.object({
    id: Uuid,
    campaignId: Uuid,
    customerRef: z.string(),
    channelId: z.string().describe('"unattributed" when the registration was credited to no channel'),
    channelCode: z.string().nullable(),
    placementId: z.string().nullable(),
    materialVersionId: z.string().nullable(),
    variantKey: z.string().nullable(),
    registeredAt: Timestamp,
    cohortKey: z.string(),
    periodEndsAt: Timestamp,
    arm: z.string(),
    deviceFingerprint: z.string().nullable(),
    contactHash: z.string().nullable(),
    flagReason: z.string().nullable().describe('null: valid; otherwise why it is excluded from the funnel'),
    attributionBasis: z.string().nullable().describe('click | view | direct | unattributed; null: reported'),
    reportedChannelId: z.string().nullable(),
    attributedTouchAt: NullableTimestamp,
    activatedAt: NullableTimestamp,
    attributes: z.record(z.string(), z.unknown()).nullable(),
    createdAt: Timestamp,
  }),
  activation: z.object({
    activatedAt: NullableTimestamp,
    rule: z.string(),
    explanation: z
      .string()
      .describe(
        'Recomputed from the stored events; may name an earlier instant than the recorded activatedAt',
      ),
  }),
  messages: z.array(
    z.object({
      messageId: z.string(),
      stepId: z.string(),
      kind: z.string(),
      channelId: z.string(),
      costMinor: z.int(),
      deliveredAt: Timestamp,
    }),
  ),
  events: z.array(
    z.object({
      eventId: z.string(),
      type: z.string(),
      amountMinor: z.int().nullable(),
      currency: z.string().nullable(),
      occurredAt: Timestamp,
      receivedAt: Timestamp,
      inPeriod: z.boolean(),
    }),
  ),
  eventsTruncated: z.boolean().describe(`Only the latest ${JOURNEY_MAX_EVENTS} events are listed`),
  ledger: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      scope: z.string(),
      category: z.string(),
      amountMinor: z.int(),
      currency: z.string(),
      occurredAt: Timestamp,
    }),
  ),
});
export type Journey = z.infer<typeof JourneySchema>;

const isoOrNull = (d: Date | null) => d?.toISOString() ?? null;

export async function viewJourney(
  db: Db,
  campaign: FunnelCampaign,
  customerRef: string,
): Promise<Journey | null> {
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
  const r = registration;
  return {
    campaignId: campaign.id,
    customerRef,
    registration: {
      id: r.id,
      campaignId: r.campaignId,
      customerRef: r.customerRef,
      channelId: r.channelId,
      channelCode: channel?.code ?? null,
      placementId: r.placementId,
      materialVersionId: r.materialVersionId,
      variantKey: r.variantKey,
      registeredAt: r.registeredAt.toISOString(),
      cohortKey: r.cohortKey,
      periodEndsAt: r.periodEndsAt.toISOString(),
      arm: r.arm,
      deviceFingerprint: r.deviceFingerprint,
      contactHash: r.contactHash,
      flagReason: r.flagReason,
      attributionBasis: r.attributionBasis,
      reportedChannelId: r.reportedChannelId,
      attributedTouchAt: isoOrNull(r.attributedTouchAt),
      activatedAt: isoOrNull(r.activatedAt),
      // Stored attributes are always an object (registration-schema.ts); null when none were sent.
      attributes: (r.attributes ?? null) as Record<string, unknown> | null,
      createdAt: r.createdAt.toISOString(),
    },
    activation: {
      activatedAt: registration.activatedAt?.toISOString() ?? null,
      rule: describeRule(campaign.plan.activationRule, campaign.plan.currency),
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
