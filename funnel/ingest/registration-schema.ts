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

/** At most this many touches per registration: the journey that matters, not a clickstream. */
export const MAX_TOUCHES = 20;

/** An impression or a click that preceded the registration (funnel/attribution.ts decides which one wins). */
export const TouchSchema = z.strictObject({
  kind: z.enum(['impression', 'click'], { error: 'must be impression or click' }),
  /** The channel the touch happened on; must be allocated to the campaign. */
  channelCode: text({ min: 1, max: 100 }),
  /** The placement touched; must be one of this campaign's on that channel. */
  placementId: Ref.optional(),
  /** The material variant touched, when the channel reports it; must match the placement's (or the channel's). */
  variantKey: text({ min: 1, max: 100 }).optional(),
  at: InstantSchema,
});
export type TouchItem = z.infer<typeof TouchSchema>;

export const RegistrationItemSchema = z
  .strictObject({
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
    /**
     * The touches before the registration, in any order. With touches or `direct`, the registration is
     * attributed by the campaign's rule and the channels' windows; without both, to the reporting channel as
     * before (basis `reported`).
     */
    touches: z.array(TouchSchema).max(MAX_TOUCHES).optional(),
    /** The channel system says the customer came directly (no touch): credited to it when no touch qualifies. */
    direct: z.boolean().optional(),
  })
  .superRefine((item, ctx) => {
    const registeredAt = Date.parse(item.registeredAt);
    item.touches?.forEach((touch, j) => {
      if (Date.parse(touch.at) > registeredAt) {
        ctx.addIssue({
          code: 'custom',
          path: ['touches', j, 'at'],
          message: 'must not be after registeredAt',
        });
      }
    });
  });

export type RegistrationItem = z.infer<typeof RegistrationItemSchema>;
