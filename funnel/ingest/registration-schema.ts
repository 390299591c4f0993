// One registration as a channel reports it (domain step 2, acquisition): who registered, through which
// channel, attributed to which placement or material version, when, and the fingerprints that let the
// bank recognise a person or a device it has seen before. Validated per item by the ingest API.
import { z } from 'zod';
import { InstantSchema, text } from '../../domain/text';

const Ref = text({ min: 1, max: 200 });

/** Free-form profile attributes (age band, job, city tier, …), used for channel profiles, never for money. */
export const RegistrationAttributesSchema = z
  .record(text({ min: 1, max: 64 }), z.union([text({ max: 200 }), z.number().finite()]))
  .refine((attributes) => Object.keys(attributes).length <= 50, 'at most 50 attributes');

export const RegistrationItemSchema = z.strictObject({
  /** The bank's reference for the customer; with the campaign, the registration's idempotency key. */
  customerRef: Ref,
  /** The channel the customer registered through; must be allocated to the campaign. */
  channelCode: text({ min: 1, max: 100 }),
  /** The placement the customer came from; one this campaign does not have flags the registration. */
  placementId: Ref.optional(),
  /** The material version the customer saw, when the channel reports it instead of a placement. */
  materialVersionId: Ref.optional(),
  registeredAt: InstantSchema,
  /** A hash of the device (never the raw identifier). */
  deviceFingerprint: Ref.optional(),
  /** A hash of the customer's phone number or e-mail (never the raw contact). */
  contactHash: Ref.optional(),
  attributes: RegistrationAttributesSchema.optional(),
});

export type RegistrationItem = z.infer<typeof RegistrationItemSchema>;
