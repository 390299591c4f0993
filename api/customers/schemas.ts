// Request and response schemas of /customers (consent, export, erasure) and /suppression-list: the routers
// validate with them and the OpenAPI document (api/openapi/customers.ts) is built from them.
import { z } from 'zod';
import { ChannelCodeSchema } from '../../domain/channel';
import { text } from '../../domain/text';

export const CustomerParams = z.strictObject({ ref: text({ min: 1, max: 200 }) });

export const ConsentRequestSchema = z.strictObject({
  decision: z.enum(['opt_in', 'opt_out']),
  /** The channel the decision is about; absent: all marketing. */
  channelCode: ChannelCodeSchema.optional(),
  reason: text({ trim: true, min: 1, max: 500 }).optional(),
});
export type ConsentRequest = z.infer<typeof ConsentRequestSchema>;

export const ErasureRequestSchema = z.strictObject({
  reason: text({ trim: true, min: 1, max: 500 }).optional(),
});

export const SuppressionQuery = z.strictObject({
  channelCode: ChannelCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Customers after this customerRef (the previous page's `nextAfter`). */
  after: text({ min: 1, max: 200 }).optional(),
});

const Instant = z.iso.datetime();

export const ConsentViewSchema = z.object({
  scope: z.string().describe("'all' (all marketing) or a channel code"),
  decision: z.enum(['opt_in', 'opt_out']),
  source: z.string().describe("'bank' or 'channel:<code>'"),
  actor: z.string(),
  reason: z.string().nullable(),
  recordedAt: Instant,
});

export const ConsentReplySchema = z.object({
  customerRef: z.string(),
  recorded: ConsentViewSchema,
  consents: z.array(ConsentViewSchema).describe('The consent in force, per scope'),
});

export const SuppressionListSchema = z.object({
  items: z.array(z.object({ customerRef: z.string(), scope: z.string(), since: Instant })),
  nextAfter: z.string().nullable(),
});

export const CustomerExportSchema = z.object({
  customerRef: z.string(),
  erasure: z.object({ requestedBy: z.string(), erasedAt: Instant, registrations: z.int() }).nullable(),
  consents: z.object({ current: z.array(ConsentViewSchema), history: z.array(ConsentViewSchema) }),
  registrations: z.array(
    z.object({
      campaignId: z.string(),
      campaignName: z.string(),
      channelCode: z.string().nullable(),
      registeredAt: Instant,
      arm: z.string(),
      cohortKey: z.string(),
      flagReason: z.string().nullable(),
      activatedAt: Instant.nullable(),
      periodEndsAt: Instant,
      deviceFingerprint: z.string().nullable(),
      contactHash: z.string().nullable(),
      attributes: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  messages: z.array(
    z.object({
      messageId: z.string(),
      campaignId: z.string(),
      stepId: z.string(),
      kind: z.string(),
      deliveredAt: Instant,
    }),
  ),
  withheldMessages: z.array(
    z.object({
      messageId: z.string(),
      campaignId: z.string(),
      stepId: z.string(),
      channelCode: z.string(),
      reason: z.string(),
      decidedAt: Instant,
    }),
  ),
  events: z.array(
    z.object({
      eventId: z.string(),
      campaignId: z.string(),
      type: z.string(),
      amountMinor: z.string().nullable().describe('Integer minor units, as a decimal string'),
      currency: z.string().nullable(),
      occurredAt: Instant,
    }),
  ),
  eventsTruncated: z.boolean(),
});

export const ErasureReplySchema = z.object({
  customerRef: z.string(),
  alreadyErased: z.boolean(),
  registrations: z.int().describe('Registrations whose personal attributes were pseudonymised'),
  erasedAt: Instant,
});
