// Shared test data for channel tests: a valid material content and channel profiles.
import type { ChannelProfileTraits } from '../../../domain/channel-profile';
import type { MaterialContent } from '../../../domain/material-content';

export function sampleContent(overrides: Partial<MaterialContent> = {}): MaterialContent {
  return {
    title: 'Open an account, get 20 off your first order',
    body: 'New customers of the bank get a first-order discount in the partner app.',
    imageRefs: ['https://cdn.bank.example/creative/discount.png', 'asset:creative/discount-wide.png'],
    linkUrl: 'https://bank.example/open?utm_campaign=spring',
    callToAction: 'Open now',
    incentiveText: '20 CNY off the first order',
    styleTags: ['discount', 'food'],
    ...overrides,
  };
}

/** A price-sensitive, food-loving e-commerce audience: both the discount and the food variant fit. */
export const priceSensitiveFoodie: ChannelProfileTraits = {
  audience: {
    ageBands: { '18-24': 0.35, '25-34': 0.4, '35-44': 0.15 },
    genderSplit: { female: 0.62, male: 0.38 },
    cityTiers: { tier3: 0.3, tier4: 0.25, tier5: 0.2 },
    interests: ['food', 'entertainment'],
    priceSensitivity: 'high',
    willingnessToPay: 'low',
  },
  content: { preferredStyles: ['discount', 'short-video'] },
};
