// Channel profile (渠道画像): the audience traits (人, who is there) and content traits (what works
// there) of one channel, plus optional performance figures computed from the bank's own history.
// Profiles come from partners (external, 外联) or from our history (internal, 内建), so nearly every
// field is optional — a partner may not know its age bands — but whatever is present is validated,
// because targeting rules read these values and a share of 7 or a typo'd tier would mis-target silently.
import { z } from 'zod';

export const AGE_BANDS = ['18-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const;
export const CITY_TIERS = ['tier1', 'tier2', 'tier3', 'tier4', 'tier5'] as const;
export const LEVELS = ['low', 'medium', 'high'] as const;

export type AgeBand = (typeof AGE_BANDS)[number];
export type CityTier = (typeof CITY_TIERS)[number];
export type Level = (typeof LEVELS)[number];

/** Shares are fractions of the channel's audience; floats, so sums are checked with a tolerance. */
const SHARE_SUM_TOLERANCE = 1e-9;
const ShareSchema = z.number().min(0).max(1);

function sharesSumAtMostOne(shares: Record<string, number | undefined>): boolean {
  let sum = 0;
  for (const share of Object.values(shares)) sum += share ?? 0;
  return sum <= 1 + SHARE_SUM_TOLERANCE;
}

/** Partial: a profile may cover only some bands; the shares it gives may not exceed the whole. */
function shareRecord<const K extends readonly [string, ...string[]]>(keys: K) {
  return z
    .partialRecord(z.enum(keys), ShareSchema)
    .refine(sharesSumAtMostOne, { message: 'shares must sum to at most 1' });
}

export const LevelSchema = z.enum(LEVELS);

/** Interest / style vocabulary is open (partners use their own), but kept to lower-case slugs. */
const TagSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'tags are lower-case slugs');

export const GenderSplitSchema = z
  .strictObject({ female: ShareSchema, male: ShareSchema, other: ShareSchema.optional() })
  .refine(sharesSumAtMostOne, { message: 'shares must sum to at most 1' });

export const AudienceTraitsSchema = z.strictObject({
  ageBands: shareRecord(AGE_BANDS).optional(),
  genderSplit: GenderSplitSchema.optional(),
  cityTiers: shareRecord(CITY_TIERS).optional(),
  interests: z.array(TagSchema).optional(),
  priceSensitivity: LevelSchema.optional(),
  willingnessToPay: LevelSchema.optional(),
});

export const ContentTraitsSchema = z.strictObject({
  preferredStyles: z.array(TagSchema).optional(),
  notes: z.string().max(2000).optional(),
});

/**
 * Performance figures, filled when an internal profile is computed from history. Known keys are
 * typed; other keys are allowed (the set will grow) but must be finite numbers or strings so that
 * targeting rules can compare them. Money stays in integer minor units with its currency.
 */
export const PerformanceTraitsSchema = z
  .object({
    conversionRate: ShareSchema.optional(),
    activationRate: ShareSchema.optional(),
    registrations: z.int().nonnegative().optional(),
    activations: z.int().nonnegative().optional(),
    avgBalanceMinor: z.int().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
  })
  .catchall(z.union([z.number().finite(), z.string().max(200)]))
  .refine((p) => Object.keys(p).every((key) => /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(key)), {
    message: 'performance keys are identifiers (letters, digits, "_")',
  });

export const ChannelProfileTraitsSchema = z.strictObject({
  audience: AudienceTraitsSchema.optional(),
  content: ContentTraitsSchema.optional(),
  performance: PerformanceTraitsSchema.optional(),
});

export type ChannelProfileTraits = z.infer<typeof ChannelProfileTraitsSchema>;

export const ProfileSourceSchema = z.enum(['internal', 'external']);
export type ProfileSource = z.infer<typeof ProfileSourceSchema>;

/** A profile as stored: traits are facts with a source and an as-of time (domain.md, step 1). */
export const ChannelProfileSchema = z.strictObject({
  source: ProfileSourceSchema,
  asOf: z.iso.datetime({ offset: true }),
  traits: ChannelProfileTraitsSchema,
});
export type ChannelProfile = z.infer<typeof ChannelProfileSchema>;
