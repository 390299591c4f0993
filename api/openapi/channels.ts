// OpenAPI entries of the channel registry and channel profiles (api/channels/routes.ts and
// profile-routes.ts). docs/api/registry.md has the rules in full. The response schemas are declared
// beside their views (api/channels/channel-view.ts, profile-view.ts).
import { z } from 'zod';
import { CreateChannelSchema, UpdateChannelSchema } from '../../domain/channel';
import { ChannelSchema } from '../channels/channel-view';
import { ProfileImportReplySchema, ProfileSchema } from '../channels/profile-view';
import { ChannelParams, ListQuery, RetireBody } from '../channels/routes';
import { HistoryQuery, Params as ProfileParams, VersionParams } from '../channels/profile-routes';
import {
  CreateProfileSchema,
  ImportEnvelopeSchema,
  ImportItemSchema,
  MAX_IMPORT_ITEMS,
} from '../channels/profile-schemas';
import { EmptyBody } from '../validate';
import { EX, pageOf } from './common';
import type { RouteDoc } from './registry';

const createChannelExample = {
  code: 'wechat-pay',
  name: 'WeChat Pay mini-program',
  kind: 'ecosystem_scenario',
  onlineType: 'payment',
  department: 'digital-channels',
  costModel: { type: 'cpc', amountMinor: 35, currency: 'CNY' },
  canShowMaterial: true,
  canDeliverMessages: true,
  adapter: { type: 'http', baseUrl: 'https://partner.example/wechat-pay/api', timeoutMs: 5000 },
};

const channelExample = {
  id: EX.channelId,
  ...createChannelExample,
  postAttributionWindow: 'P7D',
  clickThroughWindow: 'P7D',
  viewThroughWindow: 'PT24H',
  status: 'active',
  retiredAt: null,
  createdAt: EX.at,
  updatedAt: EX.at,
  version: 1,
};

const traits = {
  audience: {
    ageBands: { '18-24': 0.3, '25-34': 0.45 },
    cityTiers: { tier1: 0.6, tier2: 0.3 },
    interests: ['shopping', 'travel'],
    priceSensitivity: 'high',
  },
  content: { preferredStyles: ['discount'] },
};

export const profileExample = {
  id: '6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d',
  channelCode: 'wechat-pay',
  version: 4,
  source: 'external',
  asOf: '2026-02-28T00:00:00.000Z',
  traits,
  basis: null,
  createdAt: EX.at,
};

const CHANNELS = 'Channels';
const PROFILES = 'Channel profiles';
const ifMatch = {
  name: 'If-Match',
  description: 'The ETag last read ("<version>"): refuses the change (412) if the channel changed since',
  example: '"3"',
};

export const channelRoutesDoc: RouteDoc[] = [
  {
    method: 'post',
    path: '/channels',
    tag: CHANNELS,
    operationId: 'registerChannel',
    summary: 'Register a channel',
    body: { schema: CreateChannelSchema, name: 'CreateChannelRequest', example: createChannelExample },
    idempotent: true,
    errors: [409],
    responses: {
      201: {
        description: 'Registered',
        schema: ChannelSchema,
        name: 'Channel',
        headers: ['Location', 'ETag'],
        example: channelExample,
      },
    },
  },
  {
    method: 'get',
    path: '/channels',
    tag: CHANNELS,
    operationId: 'listChannels',
    summary: 'List channels, newest first, filtered by kind, online type, department or status',
    query: ListQuery,
    responses: {
      200: {
        description: 'A page of channels',
        schema: pageOf(ChannelSchema),
        example: { items: [channelExample], nextCursor: null },
      },
    },
  },
  {
    method: 'get',
    path: '/channels/:code',
    tag: CHANNELS,
    operationId: 'getChannel',
    summary: 'Read a channel',
    params: ChannelParams,
    errors: [404],
    responses: {
      200: {
        description: 'The channel',
        schema: ChannelSchema,
        name: 'Channel',
        headers: ['ETag'],
        example: channelExample,
      },
    },
  },
  {
    method: 'patch',
    path: '/channels/:code',
    tag: CHANNELS,
    operationId: 'updateChannel',
    summary: 'Change some fields of a channel (the code never changes)',
    params: ChannelParams,
    headers: [ifMatch],
    body: {
      schema: UpdateChannelSchema,
      name: 'UpdateChannelRequest',
      example: { costModel: { type: 'cpc', amountMinor: 30, currency: 'CNY' } },
    },
    errors: [404, 409, 412],
    responses: {
      200: {
        description: 'The updated channel',
        schema: ChannelSchema,
        name: 'Channel',
        headers: ['ETag'],
        example: {
          ...channelExample,
          costModel: { type: 'cpc', amountMinor: 30, currency: 'CNY' },
          version: 2,
        },
      },
    },
  },
  {
    method: 'post',
    path: '/channels/:code/retire',
    tag: CHANNELS,
    operationId: 'retireChannel',
    summary: 'Retire a channel (channels are never deleted)',
    description: '409 while campaigns that have not finished use the channel.',
    params: ChannelParams,
    body: { schema: RetireBody, name: 'RetireChannelRequest', example: { reason: 'partnership ended' } },
    idempotent: true,
    errors: [404, 409],
    responses: {
      200: {
        description: 'The retired channel',
        schema: ChannelSchema,
        name: 'Channel',
        headers: ['ETag'],
        example: { ...channelExample, status: 'retired', retiredAt: EX.later, version: 2 },
      },
    },
  },
  {
    method: 'post',
    path: '/channels/:code/profiles',
    tag: PROFILES,
    operationId: 'recordChannelProfile',
    summary: 'Record a profile (渠道画像) of one channel, as a new version',
    params: ProfileParams,
    body: {
      schema: CreateProfileSchema,
      name: 'CreateProfileRequest',
      example: { source: 'external', asOf: '2026-02-28T00:00:00Z', traits },
    },
    idempotent: true,
    errors: [404],
    responses: {
      201: {
        description: 'The new version',
        schema: ProfileSchema,
        name: 'ChannelProfile',
        headers: ['Location'],
        example: profileExample,
      },
    },
  },
  {
    method: 'post',
    path: '/channels/:code/profiles/internal',
    tag: 'Channels',
    operationId: 'recordInternalProfile',
    summary: "Recompute a channel's internal profile from its campaign history",
    description: '409 when the channel has no evaluated history to compute from.',
    params: ProfileParams,
    body: { schema: EmptyBody, name: 'EmptyBody', example: {} },
    idempotent: true,
    errors: [404, 409],
    responses: {
      201: {
        description: 'The new profile version',
        schema: ProfileSchema,
        name: 'ChannelProfile',
        headers: ['Location'],
        example: { ...profileExample, source: 'internal' },
      },
    },
  },
  {
    method: 'post',
    path: '/channel-profiles/import',
    tag: PROFILES,
    operationId: 'importChannelProfiles',
    summary: `Import a partner's batch of external profiles (1–${MAX_IMPORT_ITEMS}), all or nothing`,
    description: `Every item is an ImportItem; one invalid item refuses the whole batch (400, naming each invalid field as items.<n>.<field>).`,
    body: {
      schema: ImportEnvelopeSchema.extend({ items: z.array(ImportItemSchema).min(1).max(MAX_IMPORT_ITEMS) }),
      name: 'ImportProfilesRequest',
      example: { items: [{ channelCode: 'wechat-pay', asOf: '2026-02-28T00:00:00Z', traits }] },
    },
    idempotent: true,
    responses: {
      201: {
        description: 'The imported versions',
        schema: ProfileImportReplySchema,
        example: { imported: 1, items: [profileExample] },
      },
    },
  },
  {
    method: 'get',
    path: '/channels/:code/profile',
    tag: PROFILES,
    operationId: 'getLatestChannelProfile',
    summary: "A channel's latest profile",
    params: ProfileParams,
    errors: [404],
    responses: {
      200: {
        description: 'The latest version',
        schema: ProfileSchema,
        name: 'ChannelProfile',
        example: profileExample,
      },
    },
  },
  {
    method: 'get',
    path: '/channels/:code/profiles',
    tag: PROFILES,
    operationId: 'listChannelProfiles',
    summary: "A channel's profile versions, newest first",
    params: ProfileParams,
    query: HistoryQuery,
    errors: [404],
    responses: {
      200: {
        description: 'A page of versions',
        schema: pageOf(ProfileSchema),
        example: { items: [profileExample], nextCursor: null },
      },
    },
  },
  {
    method: 'get',
    path: '/channels/:code/profiles/:version',
    tag: PROFILES,
    operationId: 'getChannelProfileVersion',
    summary: 'One version of a channel profile',
    params: VersionParams,
    errors: [404],
    responses: {
      200: {
        description: 'The version',
        schema: ProfileSchema,
        name: 'ChannelProfile',
        example: profileExample,
      },
    },
  },
];
