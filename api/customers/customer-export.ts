// GET /customers/:ref — what the system holds about one customer, across campaigns (PIPL's right to know
// and to a copy): registrations with their attributes and activation, consents (in force and history),
// the messages sent and those the contact policy or consent withheld, and the customer's events.
import type { Db } from '../../db/client';
import { Problem } from '../problem';
import { consentsOf } from './consent-store';

/** At most this many events (the latest) are exported in one answer. */
export const EXPORT_MAX_EVENTS = 1_000;

export async function exportCustomer(db: Db, customerRef: string) {
  const [registrations, consents, messages, withheld, events, erasure] = await Promise.all([
    db.registration.findMany({
      where: { customerRef },
      orderBy: { registeredAt: 'asc' },
      include: { campaign: { select: { name: true } } },
    }),
    consentsOf(db, customerRef),
    db.message.findMany({ where: { customerRef }, orderBy: { deliveredAt: 'asc' } }),
    db.contactDecision.findMany({
      where: { customerRef, outcome: { not: 'reserved' } },
      orderBy: { decidedAt: 'asc' },
    }),
    db.customerEvent.findMany({
      where: { customerRef },
      orderBy: [{ occurredAt: 'desc' }, { eventId: 'desc' }],
      take: EXPORT_MAX_EVENTS,
    }),
    db.customerErasure.findUnique({ where: { customerRef } }),
  ]);
  if (registrations.length === 0 && consents.history.length === 0 && !erasure) {
    throw new Problem(404, 'Not Found', 'the system holds nothing about this customer');
  }
  const channelIds = [...new Set(registrations.map((r) => r.channelId))];
  const channels = new Map(
    (await db.channel.findMany({ where: { id: { in: channelIds } }, select: { id: true, code: true } })).map(
      (c) => [c.id, c.code],
    ),
  );
  return {
    customerRef,
    erasure: erasure
      ? {
          requestedBy: erasure.requestedBy,
          erasedAt: erasure.erasedAt.toISOString(),
          registrations: erasure.registrations,
        }
      : null,
    consents,
    registrations: registrations.map((r) => ({
      campaignId: r.campaignId,
      campaignName: r.campaign.name,
      channelCode: channels.get(r.channelId) ?? null,
      registeredAt: r.registeredAt.toISOString(),
      arm: r.arm,
      cohortKey: r.cohortKey,
      flagReason: r.flagReason,
      activatedAt: r.activatedAt?.toISOString() ?? null,
      periodEndsAt: r.periodEndsAt.toISOString(),
      deviceFingerprint: r.deviceFingerprint,
      contactHash: r.contactHash,
      attributes: (r.attributes as Record<string, unknown> | null) ?? null,
    })),
    messages: messages.map((m) => ({
      messageId: m.id,
      campaignId: m.campaignId,
      stepId: m.stepId,
      kind: m.kind,
      deliveredAt: m.deliveredAt.toISOString(),
    })),
    withheldMessages: withheld.map((d) => ({
      messageId: d.messageId,
      campaignId: d.campaignId,
      stepId: d.stepId,
      channelCode: d.channelCode,
      reason: d.outcome,
      decidedAt: d.decidedAt.toISOString(),
    })),
    events: events.reverse().map((e) => ({
      eventId: e.eventId,
      campaignId: e.campaignId,
      type: e.type,
      amountMinor: e.amountMinor === null ? null : e.amountMinor.toString(),
      currency: e.currency,
      occurredAt: e.occurredAt.toISOString(),
    })),
    eventsTruncated: events.length === EXPORT_MAX_EVENTS,
  };
}
