// Channel profile traits: optional where partners lack data, validated where present.
import { ChannelProfileSchema, ChannelProfileTraitsSchema } from '../../../domain/channel-profile';
import { priceSensitiveFoodie } from './fixtures';

const valid = (traits: unknown) => ChannelProfileTraitsSchema.safeParse(traits).success;

describe('ChannelProfileTraitsSchema', () => {
  it('accepts a full profile and an empty one (a partner that told us nothing)', () => {
    expect(valid(priceSensitiveFoodie)).toBe(true);
    expect(valid({})).toBe(true);
    expect(valid({ audience: { interests: ['travel'] } })).toBe(true);
  });

  it('accepts shares summing to 1 within float tolerance, refuses more', () => {
    expect(valid({ audience: { ageBands: { '18-24': 0.1, '25-34': 0.2, '35-44': 0.7 } } })).toBe(true);
    expect(valid({ audience: { cityTiers: { tier1: 0.6, tier2: 0.5 } } })).toBe(false);
    expect(valid({ audience: { genderSplit: { female: 0.7, male: 0.3, other: 0.01 } } })).toBe(false);
  });

  it('refuses unknown bands and tiers and out-of-range shares', () => {
    expect(valid({ audience: { ageBands: { '16-17': 0.1 } } })).toBe(false);
    expect(valid({ audience: { cityTiers: { tier6: 0.1 } } })).toBe(false);
    expect(valid({ audience: { ageBands: { '18-24': 1.5 } } })).toBe(false);
    expect(valid({ audience: { ageBands: { '18-24': -0.1 } } })).toBe(false);
  });

  it('requires female and male in a gender split', () => {
    expect(valid({ audience: { genderSplit: { female: 0.5 } } })).toBe(false);
  });

  it('accepts only low/medium/high levels', () => {
    expect(valid({ audience: { priceSensitivity: 'very high' } })).toBe(false);
    expect(valid({ audience: { willingnessToPay: 'medium' } })).toBe(true);
  });

  it('keeps performance open but typed', () => {
    expect(
      valid({
        performance: { conversionRate: 0.04, avgBalanceMinor: 1_250_000, currency: 'CNY', cohort: 'Q1' },
      }),
    ).toBe(true);
    expect(valid({ performance: { conversionRate: 4 } })).toBe(false);
    expect(valid({ performance: { avgBalanceMinor: 12.5 } })).toBe(false);
    expect(valid({ performance: { nested: { a: 1 } } })).toBe(false);
    expect(valid({ performance: { 'bad.key': 1 } })).toBe(false);
  });

  it('refuses misspelled sections rather than ignoring them', () => {
    expect(valid({ audeince: { interests: ['food'] } })).toBe(false);
  });
});

describe('ChannelProfileSchema', () => {
  it('carries a source and an as-of time', () => {
    const profile = { source: 'external', asOf: '2024-03-01T00:00:00+08:00', traits: priceSensitiveFoodie };
    expect(ChannelProfileSchema.safeParse(profile).success).toBe(true);
    expect(ChannelProfileSchema.safeParse({ ...profile, source: 'partner' }).success).toBe(false);
  });
});
