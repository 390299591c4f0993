// The partner apps' EXTERNAL channel profiles (外联画像), as a partner marketing platform would send them
// to POST /channel-profiles/import. The audience descriptions follow the article's examples (the
// entertainment audience is its "women 18–35, tier-3 to tier-5 cities, consume content, low willingness
// to pay, prefer entertainment"); the materials' targeting rules (demo/materials.ts) read these traits.
// Internal profiles (内建) come from history instead: see demo/history.ts.
import type { ChannelProfileTraits } from '../domain/channel-profile';

export interface DemoExternalProfile {
  channelCode: string;
  traits: ChannelProfileTraits;
}

/** The as-of date the partners' reports are stamped with (a fixed date: the seed is reproducible). */
export const EXTERNAL_PROFILES_AS_OF = '2026-11-01T00:00:00+08:00';

/** What the basis of each imported profile says about where it came from. */
export const EXTERNAL_PROFILE_BASIS = {
  source: 'demo partner marketing platform (illustrative figures, not measured data)',
  seededBy: 'demo',
};

export const DEMO_EXTERNAL_PROFILES: readonly DemoExternalProfile[] = [
  {
    channelCode: 'partner-ecommerce',
    traits: {
      audience: {
        ageBands: { '18-24': 0.22, '25-34': 0.41, '35-44': 0.22, '45-54': 0.1, '55-64': 0.05 },
        genderSplit: { female: 0.58, male: 0.42 },
        cityTiers: { tier1: 0.18, tier2: 0.27, tier3: 0.3, tier4: 0.17, tier5: 0.08 },
        interests: ['shopping', 'deals', 'home'],
        priceSensitivity: 'high',
        willingnessToPay: 'medium',
      },
      content: {
        preferredStyles: ['discount', 'coupon'],
        notes: 'Price-driven shoppers: lead with the offer.',
      },
    },
  },
  {
    channelCode: 'partner-social',
    traits: {
      audience: {
        ageBands: { '18-24': 0.3, '25-34': 0.36, '35-44': 0.2, '45-54': 0.1, '55-64': 0.04 },
        genderSplit: { female: 0.52, male: 0.48 },
        cityTiers: { tier1: 0.2, tier2: 0.3, tier3: 0.28, tier4: 0.15, tier5: 0.07 },
        interests: ['sharing', 'friends', 'food'],
        priceSensitivity: 'medium',
        willingnessToPay: 'medium',
      },
      content: {
        preferredStyles: ['invite-friends', 'group-buy'],
        notes: 'Word of mouth: rewards for inviting.',
      },
    },
  },
  {
    channelCode: 'partner-entertainment',
    traits: {
      audience: {
        ageBands: { '18-24': 0.46, '25-34': 0.34, '35-44': 0.12, '45-54': 0.06, '55-64': 0.02 },
        genderSplit: { female: 0.66, male: 0.34 },
        cityTiers: { tier1: 0.08, tier2: 0.17, tier3: 0.33, tier4: 0.26, tier5: 0.16 },
        interests: ['entertainment', 'celebrity', 'short-video'],
        priceSensitivity: 'medium',
        willingnessToPay: 'low',
      },
      content: {
        preferredStyles: ['celebrity', 'video'],
        notes: 'Young women in lower-tier cities who consume content and pay little: low thresholds work.',
      },
    },
  },
  {
    channelCode: 'partner-information',
    traits: {
      audience: {
        ageBands: { '18-24': 0.08, '25-34': 0.24, '35-44': 0.32, '45-54': 0.24, '55-64': 0.12 },
        genderSplit: { female: 0.38, male: 0.62 },
        cityTiers: { tier1: 0.32, tier2: 0.33, tier3: 0.2, tier4: 0.1, tier5: 0.05 },
        interests: ['finance-news', 'investing', 'economy'],
        priceSensitivity: 'low',
        willingnessToPay: 'high',
      },
      content: {
        preferredStyles: ['insight', 'data'],
        notes: 'Readers of market news: explain, do not shout.',
      },
    },
  },
  {
    channelCode: 'partner-payment',
    traits: {
      audience: {
        ageBands: { '18-24': 0.2, '25-34': 0.33, '35-44': 0.25, '45-54': 0.14, '55-64': 0.08 },
        genderSplit: { female: 0.5, male: 0.5 },
        cityTiers: { tier1: 0.15, tier2: 0.25, tier3: 0.3, tier4: 0.2, tier5: 0.1 },
        interests: ['payments', 'lifestyle', 'food'],
        priceSensitivity: 'high',
        willingnessToPay: 'medium',
      },
      content: {
        preferredStyles: ['cashback'],
        notes: 'Everyday payers: cashback on the first card payment.',
      },
    },
  },
];
