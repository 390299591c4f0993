// Appends one version of a channel's profile: profiles are facts with a source and an as-of time,
// numbered 1, 2, 3… per channel and never changed, since a campaign's explanation names the profile
// version it was targeted with. Used by the profile route (external or hand-entered profiles) and by
// the internal profile (internal-profile.ts); the next version is max+1 read inside the transaction,
// and the unique (channelId, version) index turns a concurrent writer's duplicate into a retry rather
// than a second "version 3".
import type { Db } from '../db/client';
import { retryOnUniqueViolation } from '../db/unique-violation';
import type { ChannelProfileTraits, ProfileSource } from '../domain/channel-profile';
import type { Channel, ChannelProfile, Prisma } from '../generated/prisma/client';

/** What a new version holds: validated by the caller (api/channels/profile-schemas.ts, or computed). */
export interface NewProfileVersion {
  source: ProfileSource;
  /** ISO-8601 date-time. */
  asOf: string;
  traits: ChannelProfileTraits;
  basis?: Prisma.ChannelProfileUncheckedCreateInput['basis'];
}

export async function recordProfile(
  db: Db,
  channel: Channel,
  request: NewProfileVersion,
  actor: string,
): Promise<ChannelProfile> {
  return retryOnUniqueViolation(() =>
    db.$transaction(async (tx) => {
      const last = await tx.channelProfile.findFirst({
        where: { channelId: channel.id },
        orderBy: { version: 'desc' },
        select: { version: true },
      });
      const profile = await tx.channelProfile.create({
        data: {
          channelId: channel.id,
          version: (last?.version ?? 0) + 1,
          source: request.source,
          asOf: new Date(request.asOf),
          traits: request.traits,
          basis: request.basis,
        },
      });
      await tx.auditLog.create({
        data: {
          actor,
          action: 'channel_profile.create',
          payload: {
            channelId: channel.id,
            code: channel.code,
            version: profile.version,
            source: profile.source,
          },
        },
      });
      return profile;
    }),
  );
}
