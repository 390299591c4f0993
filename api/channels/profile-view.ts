// What the API shows of a channel profile: the stored row, named by its channel's code (the word
// callers use) rather than by the internal channel id.
import type { ChannelProfile } from '../../generated/prisma/client';

export function profileView(profile: ChannelProfile, channelCode: string) {
  return {
    id: profile.id,
    channelCode,
    version: profile.version,
    source: profile.source,
    asOf: profile.asOf,
    traits: profile.traits,
    basis: profile.basis,
    createdAt: profile.createdAt,
  };
}
