// OpenAPI entries of the funnel (api/funnel/routes.ts): registration, customer-event and delivery-report
// ingest, the funnel, a customer's journey, the cohorts. docs/api/funnel.md has the rules in full.
import { z } from 'zod';
import { batchReplySchema as batchReply, MAX_BATCH_ITEMS } from '../../funnel/ingest/batch';
import { DeliveryReportResultSchema } from '../../funnel/ingest/delivery-report-ingest';
import { CustomerEventResultSchema as EventResultSchema } from '../../funnel/ingest/event-ingest';
import { RegistrationResultSchema } from '../../funnel/ingest/registration-decision';
import { DeliveryReportItemSchema } from '../../funnel/ingest/delivery-report-schema';
import { CustomerEventItemSchema } from '../../funnel/ingest/event-schema';
import { RegistrationItemSchema } from '../../funnel/ingest/registration-schema';
import { ChannelBriefSchema } from '../../domain/channel-brief';
import { CohortsViewSchema } from '../funnel/cohorts-view';
import { FunnelViewSchema } from '../funnel/funnel-view';
import { JourneySchema } from '../funnel/journey-view';
import { JourneyParams } from '../funnel/routes';
import { EX } from './common';
import type { RouteDoc } from './registry';
import { CampaignIdParams } from '../campaigns/params';

/** One item, or `{ items: [...] }`: the envelope the router accepts (funnel/ingest/batch.ts). */
function singleOrBatch<T extends z.ZodType>(item: T) {
  return z.union([item, z.strictObject({ items: z.array(item).min(1).max(MAX_BATCH_ITEMS) })]);
}

const registrationExample = {
  customerRef: 'cust-000123',
  channelCode: 'wechat-pay',
  placementId: EX.placementId,
  registeredAt: '2026-03-02T10:15:00+08:00',
  deviceFingerprint: 'sha256:9f86d081884c7d65',
  contactHash: 'sha256:2c26b46b68ffc68f',
  attributes: { ageBand: '25-34', cityTier: 'tier1' },
};

const eventExample = {
  eventId: 'evt-20260305-000042',
  customerRef: 'cust-000123',
  type: 'transaction',
  amountMinor: 25000,
  revenueMinor: 120,
  currency: 'CNY',
  occurredAt: '2026-03-05T14:02:00+08:00',
};

const deliveryReportExample = {
  reportId: 'rpt-2026-03-02',
  channelCode: 'douyin-feed',
  placementId: EX.placementId,
  periodStart: '2026-03-02T00:00:00+08:00',
  periodEnd: '2026-03-03T00:00:00+08:00',
  impressions: 182_400,
  clicks: 3_912,
  registrationsStarted: 860,
};

const TAG = 'Funnel';

export const funnelRoutesDoc: RouteDoc[] = [
  {
    method: 'post',
    path: '/campaigns/:id/registrations',
    tag: TAG,
    operationId: 'ingestRegistrations',
    summary: 'Report registrations (one, or a batch of up to 1,000)',
    description:
      'Each item is answered on its own: accepted, flagged (stored but not counted), duplicate_request (a repeat of a stored customerRef) or rejected with reasons. A single item is answered like a resource (201 stored, 200 repeat, 400/422 refused); a batch always 200 with one result per item. A channel-system key may only report its own channels.',
    params: CampaignIdParams,
    body: {
      schema: singleOrBatch(RegistrationItemSchema),
      name: 'RegistrationIngestRequest',
      example: { items: [registrationExample] },
    },
    idempotent: true,
    errors: [404],
    responses: {
      200: {
        description: 'A batch: one result per item (or a single repeated item)',
        schema: batchReply(RegistrationResultSchema),
        example: {
          summary: { accepted: 1, flagged: 0, duplicate_request: 0, rejected: 0 },
          items: [
            {
              index: 0,
              status: 'accepted',
              registrationId: '5d6e7f80-91a2-4b3c-8d4e-5f6071829304',
              arm: 'treatment',
              cohortKey: '2026-03-02',
            },
          ],
        },
      },
      201: {
        description: 'A single item, stored (accepted or flagged)',
        schema: RegistrationResultSchema,
        example: {
          index: 0,
          status: 'flagged',
          registrationId: '5d6e7f80-91a2-4b3c-8d4e-5f6071829304',
          flagReason: 'duplicate_customer',
          arm: 'treatment',
          cohortKey: '2026-03-02',
        },
      },
    },
  },
  {
    method: 'post',
    path: '/campaigns/:id/events',
    tag: TAG,
    operationId: 'ingestCustomerEvents',
    summary: 'Report customer events (login, deposit, transaction, …) that drive activation',
    description:
      'Events of registered customers; those inside the new-customer period count towards the activation rule and the period revenue. Each item is answered on its own, as for registrations.',
    params: CampaignIdParams,
    body: {
      schema: singleOrBatch(CustomerEventItemSchema),
      name: 'CustomerEventIngestRequest',
      example: eventExample,
    },
    idempotent: true,
    errors: [404, 422],
    responses: {
      200: {
        description: 'A batch: one result per item (or a single repeated item)',
        schema: batchReply(EventResultSchema),
        example: {
          summary: { accepted: 1, flagged: 0, duplicate_request: 0, rejected: 0 },
          items: [{ index: 0, status: 'accepted', eventId: 'evt-20260305-000042', inPeriod: true }],
        },
      },
      201: {
        description: 'A single event, stored',
        schema: EventResultSchema,
        example: {
          index: 0,
          status: 'accepted',
          eventId: 'evt-20260305-000042',
          inPeriod: true,
          activatedAt: '2026-03-05T06:02:00.000Z',
        },
      },
    },
  },
  {
    method: 'post',
    path: '/campaigns/:id/delivery-reports',
    tag: TAG,
    operationId: 'ingestDeliveryReports',
    summary: 'Report what placements were shown and clicked (one report, or up to 1,000)',
    description:
      "Impressions and clicks of one placement over a period [periodStart, periodEnd), and optionally the sign-ups started (registrationsStarted: absent means not reported, shown as null / not_reported, never 0). A CPM channel's cost is booked on the placement's running impressions (rounded down once to the minor unit), a CPC channel's per click, to the acquisition ledger: CAC, AAC and the budget include it. Idempotent by (placementId, reportId); periods of one placement must not overlap. A channel-system key may only report its own channels.",
    params: CampaignIdParams,
    body: {
      schema: singleOrBatch(DeliveryReportItemSchema),
      name: 'DeliveryReportIngestRequest',
      example: deliveryReportExample,
    },
    idempotent: true,
    errors: [404, 422],
    responses: {
      200: {
        description: 'A batch: one result per item (or a single repeated item)',
        schema: batchReply(DeliveryReportResultSchema),
        example: {
          summary: { accepted: 1, flagged: 0, duplicate_request: 0, rejected: 0 },
          items: [
            {
              index: 0,
              status: 'accepted',
              reportId: 'rpt-2026-03-02',
              placementId: EX.placementId,
              costMinor: 42_864,
              currency: 'CNY',
            },
          ],
        },
      },
      201: {
        description: 'A single report, stored and billed',
        schema: DeliveryReportResultSchema,
        example: {
          index: 0,
          status: 'accepted',
          reportId: 'rpt-2026-03-02',
          placementId: EX.placementId,
          costMinor: 42_864,
          currency: 'CNY',
        },
      },
    },
  },
  {
    method: 'get',
    path: '/campaigns/:id/funnel',
    tag: TAG,
    operationId: 'getFunnel',
    summary: "The campaign's funnel: registrations, flags, activations, messages, ledger and budget",
    params: CampaignIdParams,
    errors: [404],
    responses: {
      200: {
        description: 'The funnel as of now',
        schema: FunnelViewSchema,
        example: {
          campaignId: EX.campaignId,
          status: 'acquiring',
          asOf: EX.later,
          registrations: {
            total: 1250,
            valid: 1190,
            flagged: { total: 60, byReason: { duplicate_customer: 41, existing_customer: 19 } },
          },
          activated: 402,
          inPeriod: 731,
          arms: {
            treatment: { registrations: 1071, activated: 371 },
            control: { registrations: 119, activated: 31 },
          },
          attribution: {
            rule: 'last_touch',
            windows: [
              { channelCode: 'branch-sh-01', clickThroughWindow: 'P7D', viewThroughWindow: 'PT24H' },
              { channelCode: 'douyin-feed', clickThroughWindow: 'P7D', viewThroughWindow: 'PT24H' },
            ],
            byBasis: { reported: 170, click: 880, view: 96, direct: 12, unattributed: 32 },
            unattributed: { registrations: 32, activated: 4 },
          },
          delivery: {
            reports: 14,
            impressions: 912_000,
            clicks: 19_560,
            registrationsStarted: 4_210,
            byChannel: [
              {
                channelCode: 'douyin-feed',
                reports: 14,
                impressions: 912_000,
                clicks: 19_560,
                registrationsStarted: 4_210,
                registrations: 988,
                activated: 352,
              },
              {
                channelCode: 'branch-sh-01',
                reports: 0,
                impressions: null,
                clicks: null,
                registrationsStarted: null,
                registrationsStartedReason: 'not_reported',
                registrations: 170,
                activated: 50,
              },
            ],
          },
          messages: {
            total: 1071,
            withheld: {
              total: 15,
              byReason: { opted_out: 12, quiet_hours: 0, frequency_capped: 3, lower_priority: 0 },
            },
            byStep: [
              {
                stepId: 'welcome',
                delivered: 1071,
                costMinor: 5355,
                withheld: { opted_out: 12, quiet_hours: 0, frequency_capped: 3, lower_priority: 0 },
              },
            ],
          },
          ledger: {
            currency: 'CNY',
            costs: { acquisitionMinor: 595000, periodMinor: 5355 },
            revenue: { periodMinor: 48240 },
            entries: [],
          },
          budget: {
            capMinor: 50000000,
            spentMinor: 595000,
            remainingMinor: 49405000,
            acquisitionClosed: false,
          },
        },
      },
    },
  },
  {
    method: 'get',
    path: '/campaigns/:id/channel-brief',
    tag: TAG,
    operationId: 'getChannelBrief',
    summary:
      "What a channel system is told about a campaign: its terms and the key's own channels' placements",
    description:
      "The campaign's status, whether acquisition is open, its registration window, new-customer period, cohort granularity, time zone and currency, and for each of the key's own channels (all channels for admin) its kind, cost model type, latest profile's audience traits and the campaign's placements on it. The control group and the engagement plan are not part of it. The prospect traffic generator (docs/traffic-generator.md) works from this brief.",
    params: CampaignIdParams,
    errors: [404],
    responses: {
      200: {
        description: 'The brief as of now',
        schema: ChannelBriefSchema,
        example: {
          campaignId: EX.campaignId,
          status: 'acquiring',
          acquisitionOpen: true,
          registrationWindow: { start: '2026-03-01T00:00:00+08:00', end: '2026-03-15T00:00:00+08:00' },
          newCustomerPeriod: 'P30D',
          cohortGranularity: 'P1D',
          timeZone: 'Asia/Shanghai',
          currency: 'CNY',
          channels: [
            {
              channelCode: 'douyin-feed',
              kind: 'ecosystem_scenario',
              onlineType: 'entertainment',
              costModelType: 'cpm',
              audience: { ageBands: { '18-24': 0.4, '25-34': 0.35 }, priceSensitivity: 'high' },
              placements: [
                {
                  placementId: EX.placementId,
                  materialVersionId: '0f1e2d3c-4b5a-4968-8776-655443322110',
                  variantKey: 'default',
                  status: 'verified',
                },
              ],
            },
          ],
        },
      },
    },
  },
  {
    method: 'get',
    path: '/campaigns/:id/customers/:customerRef/journey',
    tag: TAG,
    operationId: 'getCustomerJourney',
    summary: "One customer's journey: registration, events, messages and why they are (not) activated",
    params: JourneyParams,
    errors: [404],
    responses: {
      200: {
        description: 'The journey',
        schema: JourneySchema,
        example: {
          campaignId: EX.campaignId,
          customerRef: 'cust-000123',
          registration: {
            id: '5d6e7f80-91a2-4b3c-8d4e-5f6071829304',
            campaignId: EX.campaignId,
            customerRef: 'cust-000123',
            channelId: EX.channelId,
            channelCode: 'wechat-pay',
            placementId: EX.placementId,
            materialVersionId: null,
            variantKey: null,
            registeredAt: '2026-03-02T02:15:00.000Z',
            cohortKey: '2026-03-02',
            periodEndsAt: '2026-04-01T02:15:00.000Z',
            arm: 'treatment',
            deviceFingerprint: 'sha256:9f86d081884c7d65',
            contactHash: 'sha256:2c26b46b68ffc68f',
            flagReason: null,
            attributionBasis: 'click',
            reportedChannelId: null,
            attributedTouchAt: '2026-03-02T01:58:00.000Z',
            activatedAt: '2026-03-05T06:02:00.000Z',
            attributes: { ageBand: '25-34', cityTier: 'tier1' },
            createdAt: '2026-03-02T02:15:01.000Z',
          },
          activation: {
            activatedAt: '2026-03-05T06:02:00.000Z',
            rule: 'one transaction of at least CNY 100.00',
            explanation: 'Activated by transaction evt-20260305-000042 (CNY 250.00).',
          },
          messages: [],
          events: [],
          eventsTruncated: false,
          ledger: [],
        },
      },
    },
  },
  {
    method: 'get',
    path: '/campaigns/:id/cohorts',
    tag: TAG,
    operationId: 'listCohorts',
    summary: "The campaign's registration cohorts with their members and engagement steps",
    params: CampaignIdParams,
    errors: [404],
    responses: {
      200: {
        description: 'Every cohort of the registration window',
        schema: CohortsViewSchema,
        example: {
          campaignId: EX.campaignId,
          items: [
            {
              cohortKey: '2026-03-02',
              status: 'running',
              startsAt: '2026-03-01T16:00:00.000Z',
              endsAt: '2026-03-02T16:00:00.000Z',
              members: { members: 122, valid: 120, treatment: 108, control: 12, activated: 37 },
              steps: {
                welcome: {
                  status: 'completed',
                  delivered: 108,
                  skipped: 14,
                  withheld: { opted_out: 2, quiet_hours: 0, frequency_capped: 0, lower_priority: 0 },
                  finishedAt: '2026-03-02T02:00:00.000Z',
                },
              },
              updatedAt: EX.later,
            },
          ],
        },
      },
    },
  },
];
