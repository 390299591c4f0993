// What the API shows of a registry channel: the stored row, its JSON columns typed (they are written
// only from CreateChannelSchema / UpdateChannelSchema, domain/channel.ts) and its times as ISO strings.
// The response schema is declared here and types the view; the OpenAPI document
// (api/openapi/channels.ts) imports it, so the two cannot drift apart.
import { z } from 'zod';
import type { Channel } from '../../generated/prisma/client';
import {
  ChannelAdapterConfigSchema,
  ChannelKindSchema,
  ChannelStatusSchema,
  CostModelSchema,
  OnlineTypeSchema,
  type ChannelAdapterConfig,
  type CostModel,
} from '../../domain/channel';
import { NullableTimestamp, Timestamp, Uuid } from '../openapi/common';

export const ChannelSchema = z.object({
  id: Uuid,
  code: z.string(),
  name: z.string(),
  kind: ChannelKindSchema,
  onlineType: OnlineTypeSchema.nullable(),
  department: z.string(),
  costModel: CostModelSchema,
  canShowMaterial: z.boolean(),
  canDeliverMessages: z.boolean(),
  adapter: ChannelAdapterConfigSchema,
  postAttributionWindow: z.string().meta({
    description:
      'ISO-8601 duration: how long after a registration a fraud flag may still reverse it (default P7D)',
  }),
  clickThroughWindow: z.string().meta({
    description:
      'ISO-8601 duration (PT1S–P90D): how long after a click on this channel a registration is still credited to it (default P7D). Pinned on a campaign when it is created: an edit applies to campaigns created after it.',
  }),
  viewThroughWindow: z.string().meta({
    description:
      'ISO-8601 duration (PT1S–P90D): how long after an impression (a view without a click) on this channel a registration is still credited to it (default PT24H). Pinned like clickThroughWindow.',
  }),
  status: ChannelStatusSchema,
  retiredAt: NullableTimestamp,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.int().meta({ description: 'Bumped by every change; the ETag' }),
});
export type ChannelView = z.infer<typeof ChannelSchema>;

export function channelView(channel: Channel): ChannelView {
  return {
    id: channel.id,
    code: channel.code,
    name: channel.name,
    kind: channel.kind,
    onlineType: channel.onlineType,
    department: channel.department,
    costModel: channel.costModel as CostModel,
    canShowMaterial: channel.canShowMaterial,
    canDeliverMessages: channel.canDeliverMessages,
    adapter: channel.adapter as ChannelAdapterConfig,
    postAttributionWindow: channel.postAttributionWindow,
    clickThroughWindow: channel.clickThroughWindow,
    viewThroughWindow: channel.viewThroughWindow,
    status: channel.status,
    retiredAt: channel.retiredAt?.toISOString() ?? null,
    createdAt: channel.createdAt.toISOString(),
    updatedAt: channel.updatedAt.toISOString(),
    version: channel.version,
  };
}
