// Request bodies for channel profiles (渠道画像): one profile for one channel, or a partner's batch of
// external profiles (外联). The traits themselves are defined once in domain/channel-profile.ts.
import { z } from 'zod';
import { ChannelCodeSchema } from '../../domain/channel';
import { ChannelProfileTraitsSchema, ProfileSourceSchema } from '../../domain/channel-profile';

/** Clock skew we tolerate between a partner's systems and ours before "as of" means "in the future". */
const AS_OF_SKEW_MS = 5 * 60_000;

export const AsOfSchema = z.iso
  .datetime({ offset: true, error: 'an ISO-8601 date-time with an offset, e.g. 2026-01-31T00:00:00Z' })
  // NaN (not a date-time at all) is already reported by the format check above.
  .refine((asOf) => !(Date.parse(asOf) > Date.now() + AS_OF_SKEW_MS), {
    message: 'a profile cannot describe the channel as of a time in the future',
  });

/** What an internal profile was computed from; any JSON object, kept small (it is read, not queried). */
export const BasisSchema = z
  .record(z.string(), z.json())
  .refine((basis) => JSON.stringify(basis).length <= 10_000, {
    message: 'basis is limited to 10 000 characters',
  });

export const CreateProfileSchema = z.strictObject({
  source: ProfileSourceSchema,
  asOf: AsOfSchema,
  traits: ChannelProfileTraitsSchema,
  basis: BasisSchema.optional(),
});
export type CreateProfileRequest = z.infer<typeof CreateProfileSchema>;

export const MAX_IMPORT_ITEMS = 500;

/** The outer shape only: items are validated one by one so that every bad item is reported. */
export const ImportEnvelopeSchema = z.strictObject({
  items: z.array(z.unknown()).min(1).max(MAX_IMPORT_ITEMS),
});

export const ImportItemSchema = z.strictObject({
  channelCode: ChannelCodeSchema,
  asOf: AsOfSchema,
  traits: ChannelProfileTraitsSchema,
  basis: BasisSchema.optional(),
});
export type ImportItem = z.infer<typeof ImportItemSchema>;
