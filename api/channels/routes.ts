// /channels: the channel registry ("one system", domain.md step 1) — register, list, read, update and
// retire channels. Channels are never deleted. Profile routes are mounted from profile-routes.ts.
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import {
  ChannelCodeSchema,
  ChannelKindSchema,
  ChannelStatusSchema,
  CreateChannelSchema,
  OnlineTypeSchema,
  UpdateChannelSchema,
} from '../../domain/channel';
import { actorOf } from '../auth/principal';
import { handle, idempotent } from '../handler';
import { afterCursor, decodeCursor, page, PageQuerySchema } from '../pagination';
import { parseWith } from '../validate';
import { channelView } from './channel-view';
import { createChannel, findChannel, retireChannel, updateChannel } from './channel-store';
import { profileRoutes } from './profile-routes';

export const ChannelParams = z.object({ code: ChannelCodeSchema });
export const RetireBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });
// Strict: a misspelt filter must fail loudly rather than silently list every channel.
export const ListQuery = PageQuerySchema.extend({
  kind: ChannelKindSchema.optional(),
  onlineType: OnlineTypeSchema.optional(),
  department: z.string().min(1).max(100).optional(),
  status: ChannelStatusSchema.optional(),
}).strict();

/** The channel's version is its entity tag: PATCH with If-Match refuses to overwrite a newer edit. */
const etag = (channel: { version: number }) => `"${channel.version}"`;

export function channelRoutes(db: Db): Router {
  const router = Router();

  router.post(
    '/channels',
    idempotent(db, 'channels.create', async (req, res) => {
      const body = parseWith(CreateChannelSchema, req.body, 'body');
      const channel = await createChannel(db, body, actorOf(res));
      return {
        status: 201,
        headers: { Location: `/channels/${channel.code}`, ETag: etag(channel) },
        body: channelView(channel),
      };
    }),
  );

  router.get(
    '/channels',
    handle(async (req) => {
      const { limit, cursor, ...filters } = parseWith(ListQuery, req.query, 'query');
      const rows = await db.channel.findMany({
        where: { ...afterCursor(decodeCursor(cursor)), ...filters },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
      });
      const { items, nextCursor } = page(rows, limit);
      return { status: 200, body: { items: items.map(channelView), nextCursor } };
    }),
  );

  router.get(
    '/channels/:code',
    handle(async (req) => {
      const { code } = parseWith(ChannelParams, req.params, 'params');
      const channel = await findChannel(db, code);
      return { status: 200, headers: { ETag: etag(channel) }, body: channelView(channel) };
    }),
  );

  router.patch(
    '/channels/:code',
    handle(async (req, res) => {
      const { code } = parseWith(ChannelParams, req.params, 'params');
      const patch = parseWith(UpdateChannelSchema, req.body, 'body');
      const channel = await updateChannel(db, code, patch, actorOf(res), req.header('If-Match'));
      return { status: 200, headers: { ETag: etag(channel) }, body: channelView(channel) };
    }),
  );

  router.post(
    '/channels/:code/retire',
    idempotent(db, 'channels.retire', async (req, res) => {
      const { code } = parseWith(ChannelParams, req.params, 'params');
      const { reason } = parseWith(RetireBody, req.body, 'body');
      const channel = await retireChannel(db, code, actorOf(res), reason);
      return { status: 200, headers: { ETag: etag(channel) }, body: channelView(channel) };
    }),
  );

  router.use(profileRoutes(db));
  return router;
}
