// GET /campaigns/:id/funnel — the campaign's funnel so far, counted in PostgreSQL (GROUP BY, never rows per
// customer): registrations valid and flagged by reason, activated, still in their new-customer period,
// control vs treatment, impressions and clicks per channel (delivery reports), messages per step, and
// the ledger's costs and revenue by scope and category.
// Its reply schema is declared here and types the builder; the OpenAPI document imports it.
import { z } from 'zod';
import type { Db } from '../../db/client';
import { money } from '../../domain/money';
import { FLAG_REASONS } from '../../funnel/registration-flags';
import type { FunnelCampaign } from '../../funnel/ingest/campaign-context';
import { acquisitionClosedAt } from '../../funnel/ingest/budget';
import { WITHHELD_REASONS, type WithheldReason } from '../../funnel/contact-decision';
import {
  ATTRIBUTION_BASES,
  attributionRuleOf,
  UNATTRIBUTED_CHANNEL_ID,
  type AttributionBasis,
  AttributionRuleSchema,
} from '../../domain/attribution';
import { Timestamp, Uuid } from '../openapi/common';

const WithheldSchema = z.record(z.enum(WITHHELD_REASONS), z.int()).meta({
  description: 'Messages the contact policy or consent withheld, by reason: not sent, never a cost',
});
const ArmCountsSchema = z.object({ registrations: z.int(), activated: z.int() });

const DeliverySchema = z.object({
  reports: z.int(),
  impressions: z.int(),
  clicks: z.int(),
  registrationsStarted: z
    .int()
    .nullable()
    .describe('Sign-ups started, over the channels that reported them; null when none did'),
  byChannel: z.array(
    z.object({
      channelCode: z.string(),
      reports: z.int(),
      impressions: z.int().nullable().describe('null: the channel sent no delivery report'),
      clicks: z.int().nullable(),
      registrationsStarted: z
        .int()
        .nullable()
        .describe("Sign-ups started, from the channel's delivery reports; null: not reported"),
      registrationsStartedReason: z.literal('not_reported').optional(),
      registrations: z.int(),
      activated: z.int(),
    }),
  ),
});

const AttributionSchema = z
  .object({
    rule: AttributionRuleSchema,
    windows: z.array(
      z.object({ channelCode: z.string(), clickThroughWindow: z.string(), viewThroughWindow: z.string() }),
    ),
    byBasis: z
      .record(z.enum(ATTRIBUTION_BASES), z.int())
      .describe('Valid registrations by how their channel was decided'),
    unattributed: z
      .object({ registrations: z.int(), activated: z.int() })
      .describe('Valid registrations credited to no channel: in no row of delivery.byChannel'),
  })
  .describe("The campaign's attribution rule, its channels' pinned windows, and what they gave");

/** The reply of GET /campaigns/:id/funnel. */
export const FunnelViewSchema = z.object({
  campaignId: Uuid,
  status: z.string(),
  asOf: Timestamp,
  registrations: z.object({
    total: z.int(),
    valid: z.int(),
    flagged: z.object({
      total: z.int(),
      byReason: z.record(z.string(), z.int()).describe('Every flag reason, 0 where none was flagged'),
    }),
  }),
  activated: z.int(),
  inPeriod: z.int().describe('Valid, not yet activated, and still in their new-customer period'),
  arms: z.record(z.string(), ArmCountsSchema).describe('treatment and control (always), imported arms too'),
  attribution: AttributionSchema,
  delivery: DeliverySchema,
  messages: z.object({
    total: z.int(),
    withheld: z.object({ total: z.int(), byReason: WithheldSchema }),
    byStep: z.array(
      z.object({ stepId: z.string(), delivered: z.int(), costMinor: z.int(), withheld: WithheldSchema }),
    ),
  }),
  ledger: z.object({
    currency: z.string(),
    costs: z.object({ acquisitionMinor: z.int(), periodMinor: z.int() }),
    revenue: z.object({ periodMinor: z.int() }),
    entries: z
      .array(
        z.object({
          kind: z.string(),
          scope: z.string(),
          category: z.string(),
          currency: z.string(),
          amountMinor: z.int(),
        }),
      )
      .describe('Every (kind, scope, category, currency) total, other currencies included'),
  }),
  budget: z
    .object({
      capMinor: z.int(),
      spentMinor: z.int(),
      remainingMinor: z.int(),
      acquisitionClosed: z.boolean().describe('The rest of the cap cannot pay for one more registration'),
    })
    .nullable(),
});
export type FunnelView = z.infer<typeof FunnelViewSchema>;

/** Zero messages withheld for every reason: the shape every step's (and the total's) counts have. */
const noneWithheld = () =>
  Object.fromEntries(WITHHELD_REASONS.map((r) => [r, 0])) as Record<WithheldReason, number>;

interface ArmCounts {
  registrations: number;
  activated: number;
}

export async function viewFunnel(db: Db, campaign: FunnelCampaign, now: Date): Promise<FunnelView> {
  const where = { campaignId: campaign.id };
  const [byFlagAndArm, activatedByArm, inPeriod, messages, ledger, delivery, withheldRows, attribution] =
    await Promise.all([
      db.registration.groupBy({ by: ['flagReason', 'arm'], where, _count: { _all: true } }),
      db.registration.groupBy({
        by: ['arm'],
        where: { ...where, flagReason: null, activatedAt: { not: null } },
        _count: { _all: true },
      }),
      db.registration.count({
        where: { ...where, flagReason: null, activatedAt: null, periodEndsAt: { gt: now } },
      }),
      db.message.groupBy({ by: ['stepId'], where, _count: { _all: true }, _sum: { costMinor: true } }),
      db.ledgerEntry.groupBy({
        by: ['kind', 'scope', 'category', 'currency'],
        where,
        _sum: { amountMinor: true },
      }),
      viewDelivery(db, campaign),
      // Messages the contact policy or consent withheld (activities/contact-reservation.ts): not sent, no cost.
      db.contactDecision.groupBy({
        by: ['stepId', 'outcome'],
        where: { ...where, outcome: { not: 'reserved' } },
        _count: { _all: true },
      }),
      viewAttribution(db, campaign),
    ]);
  const withheldOf = (stepId: string) => {
    const counts = noneWithheld();
    for (const row of withheldRows)
      if (row.stepId === stepId && row.outcome in counts)
        counts[row.outcome as WithheldReason] += row._count._all;
    return counts;
  };
  const withheldTotal = noneWithheld();
  for (const row of withheldRows)
    if (row.outcome in withheldTotal) withheldTotal[row.outcome as WithheldReason] += row._count._all;

  const flagged: Record<string, number> = Object.fromEntries(FLAG_REASONS.map((reason) => [reason, 0]));
  const arms: Record<string, ArmCounts> = {
    treatment: { registrations: 0, activated: 0 },
    control: { registrations: 0, activated: 0 },
  };
  let total = 0;
  let valid = 0;
  for (const row of byFlagAndArm) {
    total += row._count._all;
    if (row.flagReason === null) {
      valid += row._count._all;
      (arms[row.arm] ??= { registrations: 0, activated: 0 }).registrations += row._count._all;
    } else {
      flagged[row.flagReason] = (flagged[row.flagReason] ?? 0) + row._count._all;
    }
  }
  let activated = 0;
  for (const row of activatedByArm) {
    activated += row._count._all;
    (arms[row.arm] ??= { registrations: 0, activated: 0 }).activated += row._count._all;
  }

  const stepOrder = campaign.plan.engagementPlan.steps.map((s) => s.id);
  const messagesByStep = stepOrder.map((stepId) => {
    const row = messages.find((m) => m.stepId === stepId);
    return {
      stepId,
      delivered: row?._count._all ?? 0,
      costMinor: Number(row?._sum.costMinor ?? 0),
      withheld: withheldOf(stepId),
    };
  });
  // Steps no longer in the plan (a plan edit) still had their messages sent: show them after the plan's.
  for (const row of messages) {
    if (!stepOrder.includes(row.stepId)) {
      messagesByStep.push({
        stepId: row.stepId,
        delivered: row._count._all,
        costMinor: Number(row._sum.costMinor ?? 0),
        withheld: withheldOf(row.stepId),
      });
    }
  }

  const ledgerRows = ledger.map((row) => ({
    kind: row.kind,
    scope: row.scope,
    category: row.category,
    currency: row.currency,
    amountMinor: money(row._sum.amountMinor ?? 0n, row.currency).minor,
  }));
  const inCurrency = (kind: string, scope: string) =>
    ledgerRows
      .filter((r) => r.kind === kind && r.scope === scope && r.currency === campaign.plan.currency)
      .reduce((sum, r) => sum + BigInt(r.amountMinor), 0n);
  const minor = (amount: bigint) => money(amount, campaign.plan.currency).minor;
  const acquisitionMinor = inCurrency('cost', 'acquisition');
  const cap = campaign.plan.acquisitionBudgetMinor;

  return {
    campaignId: campaign.id,
    status: campaign.status,
    asOf: now.toISOString(),
    registrations: {
      total,
      valid,
      flagged: { total: total - valid, byReason: flagged },
    },
    activated,
    inPeriod,
    arms,
    attribution,
    delivery,
    messages: {
      total: messagesByStep.reduce((sum, s) => sum + s.delivered, 0),
      /** Not sent because of the contact policy or consent, by reason; never a cost. */
      withheld: { total: Object.values(withheldTotal).reduce((a, b) => a + b, 0), byReason: withheldTotal },
      byStep: messagesByStep,
    },
    ledger: {
      currency: campaign.plan.currency,
      costs: {
        acquisitionMinor: minor(acquisitionMinor),
        periodMinor: minor(inCurrency('cost', 'period')),
      },
      revenue: { periodMinor: minor(inCurrency('revenue', 'period')) },
      /** Every (kind, scope, category, currency) total, other currencies included. */
      entries: ledgerRows,
    },
    budget:
      cap === null
        ? null
        : {
            capMinor: cap,
            spentMinor: minor(acquisitionMinor),
            remainingMinor: Math.max(0, cap - minor(acquisitionMinor)),
            acquisitionClosed: acquisitionClosedAt(campaign, acquisitionMinor),
          },
  };
}

/**
 * The top of the funnel per channel, from the channels' delivery reports: what the campaign's placements
 * were shown and clicked and how many sign-ups were started, beside the valid registrations and
 * activations each channel brought — impressions → clicks → started → completed, so a marketer sees
 * which channel's sign-up flow loses people. Channels without reports (offline ones, or systems that do
 * not report) show null impressions and clicks; channels that do not report sign-ups started show null
 * registrationsStarted with registrationsStartedReason 'not_reported' (never 0).
 */
async function viewDelivery(db: Db, campaign: FunnelCampaign): Promise<z.infer<typeof DeliverySchema>> {
  const where = { campaignId: campaign.id };
  const [reports, registrations] = await Promise.all([
    db.deliveryReport.groupBy({
      by: ['channelId'],
      where,
      _count: { _all: true },
      _sum: { impressions: true, clicks: true, registrationsStarted: true },
    }),
    // One pass: count(activatedAt) counts the activated among the valid registrations.
    db.registration.groupBy({
      by: ['channelId'],
      where: { ...where, flagReason: null },
      _count: { _all: true, activatedAt: true },
    }),
  ]);
  const byChannel = [...campaign.channels.values()]
    .sort((a, b) => (a.channelCode < b.channelCode ? -1 : a.channelCode > b.channelCode ? 1 : 0))
    .map((channel) => {
      const row = reports.find((r) => r.channelId === channel.channelId);
      const brought = registrations.find((r) => r.channelId === channel.channelId);
      // SUM over only NULLs is NULL: no report of the channel carried sign-ups started.
      const started = row?._sum.registrationsStarted;
      return {
        channelCode: channel.channelCode,
        reports: row?._count._all ?? 0,
        impressions: row ? Number(row._sum.impressions ?? 0n) : null,
        clicks: row ? Number(row._sum.clicks ?? 0n) : null,
        registrationsStarted: started === null || started === undefined ? null : Number(started),
        ...(started === null || started === undefined
          ? { registrationsStartedReason: 'not_reported' as const }
          : {}),
        registrations: brought?._count._all ?? 0,
        activated: brought?._count.activatedAt ?? 0,
      };
    });
  const reported = byChannel.filter((c) => c.impressions !== null);
  const startedReported = byChannel.filter((c) => c.registrationsStarted !== null);
  return {
    reports: byChannel.reduce((sum, c) => sum + c.reports, 0),
    impressions: reported.reduce((sum, c) => sum + (c.impressions ?? 0), 0),
    clicks: reported.reduce((sum, c) => sum + (c.clicks ?? 0), 0),
    /** Over the channels that reported it; null when none did. */
    registrationsStarted:
      startedReported.length === 0
        ? null
        : startedReported.reduce((sum, c) => sum + (c.registrationsStarted ?? 0), 0),
    byChannel,
  };
}

/**
 * How the valid registrations were attributed (domain/attribution.ts): the rule and the windows pinned on
 * the campaign, the count per basis, and the unattributed ones — stored and counted here, credited to no
 * channel (they are in no row of delivery.byChannel).
 */
async function viewAttribution(db: Db, campaign: FunnelCampaign): Promise<z.infer<typeof AttributionSchema>> {
  const where = { campaignId: campaign.id, flagReason: null };
  const [byBasis, unattributed] = await Promise.all([
    db.registration.groupBy({ by: ['attributionBasis'], where, _count: { _all: true } }),
    db.registration.aggregate({
      where: { ...where, channelId: UNATTRIBUTED_CHANNEL_ID },
      _count: { _all: true, activatedAt: true },
    }),
  ]);
  const counts = Object.fromEntries(ATTRIBUTION_BASES.map((b) => [b, 0])) as Record<AttributionBasis, number>;
  for (const row of byBasis) {
    const basis = (row.attributionBasis ?? 'reported') as AttributionBasis;
    counts[basis] = (counts[basis] ?? 0) + row._count._all;
  }
  return {
    rule: attributionRuleOf(campaign.plan),
    windows: [...campaign.channels.values()]
      .sort((a, b) => (a.channelCode < b.channelCode ? -1 : a.channelCode > b.channelCode ? 1 : 0))
      .map((c) => ({
        channelCode: c.channelCode,
        clickThroughWindow: c.clickThroughWindow,
        viewThroughWindow: c.viewThroughWindow,
      })),
    byBasis: counts,
    unattributed: { registrations: unattributed._count._all, activated: unattributed._count.activatedAt },
  };
}
