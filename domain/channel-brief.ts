// The channel brief (GET /campaigns/:id/channel-brief, api/funnel/channel-brief.ts): what a channel system
// is told about a campaign it carries. Its own module so that clients (the traffic generator) validate
// the answer with the same schema the OpenAPI document is generated from.
import { z } from 'zod';
import { ChannelKindSchema, COST_MODEL_TYPES, OnlineTypeSchema } from './channel';
import { AudienceTraitsSchema } from './channel-profile';

export const ChannelBriefPlacementSchema = z.object({
  placementId: z.string(),
  materialVersionId: z.string(),
  variantKey: z.string(),
  /** One of PLACEMENT_STATUSES (domain/placement-status.ts), as stored. */
  status: z.string(),
});

export const ChannelBriefChannelSchema = z.object({
  channelCode: z.string(),
  kind: ChannelKindSchema,
  onlineType: OnlineTypeSchema.nullable(),
  costModelType: z.enum(COST_MODEL_TYPES).nullable(),
  /** The audience traits of the channel's latest profile; null when it has none. */
  audience: AudienceTraitsSchema.nullable(),
  placements: z.array(ChannelBriefPlacementSchema),
});

export const ChannelBriefSchema = z.object({
  campaignId: z.string(),
  status: z.string(),
  /** False once the window has ended, the campaign is past acquisition or its budget is spent. */
  acquisitionOpen: z.boolean(),
  registrationWindow: z.object({ start: z.string(), end: z.string() }),
  newCustomerPeriod: z.string(),
  cohortGranularity: z.string(),
  timeZone: z.string(),
  currency: z.string(),
  channels: z.array(ChannelBriefChannelSchema),
});
export type ChannelBrief = z.infer<typeof ChannelBriefSchema>;
