// Channel profile (渠道画像) routes: record a profile for one channel, recompute a channel's internal
// profile from its campaign history, import a partner's batch of external profiles, read the latest
// profile, one version, and the history of versions.
import { decodeVersionCursor, encodeVersionCursor } from '../pagination';
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { ChannelCodeSchema } from '../../domain/channel';
import { NoHistoryError, recordInternalProfile } from '../../profiles/internal-profile';
import { recordProfile } from '../../profiles/profile-versions';
import { actorOf } from '../auth/principal';
import { handle, idempotent } from '../handler';
import { Problem } from '../problem';
import { EmptyBody, parseWith } from '../validate';
import { findChannel } from './channel-store';
import { CreateProfileSchema, ImportEnvelopeSchema } from './profile-schemas';
import { importProfiles, latestProfile, profileHistory } from './profile-store';
import { profileImportReply, profileView } from './profile-view';

export const Params = z.object({ code: ChannelCodeSchema });
export const VersionParams = z.object({ code: ChannelCodeSchema, version: z.coerce.number().int().min(1) });
export const HistoryQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

// History is ordered by version, not by createdAt: an import writes many versions in one
// transaction, with one timestamp (cursors: api/pagination.ts).

export function profileRoutes(db: Db, now: () => Date = () => new Date()): Router {
  const router = Router();

  router.post(
    '/channels/:code/profiles',
    idempotent(db, 'channel-profiles.create', async (req, res) => {
      const { code } = parseWith(Params, req.params, 'params');
      const body = parseWith(CreateProfileSchema, req.body, 'body');
      const channel = await findChannel(db, code);
      const profile = await recordProfile(db, channel, body, actorOf(res));
      return {
        status: 201,
        headers: { Location: `/channels/${code}/profiles/${profile.version}` },
        body: profileView(profile, code),
      };
    }),
  );

  router.post(
    '/channels/:code/profiles/internal',
    idempotent(db, 'channel-profiles.internal', async (req, res) => {
      const { code } = parseWith(Params, req.params, 'params');
      parseWith(EmptyBody, req.body, 'body');
      const channel = await findChannel(db, code);
      const profile = await recordInternalProfile(db, channel, now(), actorOf(res)).catch((err: unknown) => {
        if (err instanceof NoHistoryError) throw new Problem(409, 'Conflict', err.message);
        throw err;
      });
      return {
        status: 201,
        headers: { Location: `/channels/${code}/profiles/${profile.version}` },
        body: profileView(profile, code),
      };
    }),
  );

  router.post(
    '/channel-profiles/import',
    idempotent(db, 'channel-profiles.import', async (req, res) => {
      const { items } = parseWith(ImportEnvelopeSchema, req.body, 'body');
      const imported = await importProfiles(db, items, actorOf(res));
      return {
        status: 201,
        body: profileImportReply(imported),
      };
    }),
  );

  router.get(
    '/channels/:code/profile',
    handle(async (req) => {
      const { code } = parseWith(Params, req.params, 'params');
      const channel = await findChannel(db, code);
      const profile = await latestProfile(db, channel);
      if (!profile) throw new Problem(404, 'Not Found', `channel ${code} has no profile yet`);
      return { status: 200, body: profileView(profile, code) };
    }),
  );

  router.get(
    '/channels/:code/profiles',
    handle(async (req) => {
      const { code } = parseWith(Params, req.params, 'params');
      const q = parseWith(HistoryQuery, req.query, 'query');
      const channel = await findChannel(db, code);
      const history = await profileHistory(db, channel, q.limit, decodeVersionCursor(q.cursor));
      return {
        status: 200,
        body: {
          items: history.items.map((profile) => profileView(profile, code)),
          nextCursor:
            history.nextBeforeVersion === null ? null : encodeVersionCursor(history.nextBeforeVersion),
        },
      };
    }),
  );

  router.get(
    '/channels/:code/profiles/:version',
    handle(async (req) => {
      const { code, version } = parseWith(VersionParams, req.params, 'params');
      const channel = await findChannel(db, code);
      const profile = await db.channelProfile.findUnique({
        where: { channelId_version: { channelId: channel.id, version } },
      });
      if (!profile) throw new Problem(404, 'Not Found', `channel ${code} has no profile version ${version}`);
      return { status: 200, body: profileView(profile, code) };
    }),
  );

  return router;
}
