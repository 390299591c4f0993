// What the API shows of a channel profile: the stored row, named by its channel's code (the word
// callers use) rather than by the internal channel id. The response schemas are declared here and
// type the views; the OpenAPI document (api/openapi/channels.ts) imports them.
import { z } from 'zod';
import type { ChannelProfile } from '../../generated/prisma/client';
import { ProfileSourceSchema, type ProfileSource } from '../../domain/channel-profile';
import { Timestamp, Uuid } from '../openapi/common';

export const ProfileSchema = z.object({
  id: Uuid,
  channelCode: z.string(),
  version: z.int(),
  source: ProfileSourceSchema,
  asOf: Timestamp,
  traits: z.record(z.string(), z.unknown()),
  basis: z.record(z.string(), z.unknown()).nullable(),
  createdAt: Timestamp,
});
export type ProfileView = z.infer<typeof ProfileSchema>;

/** The reply of POST /channel-profiles/import: every profile stored, in the order given. */
export const ProfileImportReplySchema = z.object({ imported: z.int(), items: z.array(ProfileSchema) });
export type ProfileImportReply = z.infer<typeof ProfileImportReplySchema>;

export function profileView(profile: ChannelProfile, channelCode: string): ProfileView {
  return {
    id: profile.id,
    channelCode,
    version: profile.version,
    // Written only from CreateProfileSchema / ImportItemSchema (profile-schemas.ts): the columns are
    // a string and JSON objects in the database, of these shapes.
    source: profile.source as ProfileSource,
    asOf: profile.asOf.toISOString(),
    traits: profile.traits as ProfileView['traits'],
    basis: profile.basis as ProfileView['basis'],
    createdAt: profile.createdAt.toISOString(),
  };
}

export function profileImportReply(
  imported: readonly { channelCode: string; profile: ChannelProfile }[],
): ProfileImportReply {
  return {
    imported: imported.length,
    items: imported.map(({ channelCode, profile }) => profileView(profile, channelCode)),
  };
}
