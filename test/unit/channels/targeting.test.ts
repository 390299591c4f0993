// resolveVariant: which material variant a channel gets from its profile, and the explanation.
import type { ChannelProfileTraits } from '../../../domain/channel-profile';
import { resolveVariant, TargetingError, type TargetingVariant } from '../../../channels/targeting';
import { priceSensitiveFoodie } from './fixtures';

interface Variant extends TargetingVariant {
  materialVersionId: string;
}

const discount: Variant = {
  key: 'discount',
  priority: 10,
  materialVersionId: 'mv-discount',
  rule: { trait: 'audience.priceSensitivity', op: 'eq', value: 'high' },
};
const food: Variant = {
  key: 'food',
  priority: 5,
  materialVersionId: 'mv-food',
  rule: { trait: 'audience.interests', op: 'contains', value: 'food' },
};
const generic: Variant = { key: 'generic', priority: 0, materialVersionId: 'mv-generic', rule: null };

const outcomeOf = (r: ReturnType<typeof resolveVariant>, key: string) =>
  r.considered.find((c) => c.key === key);

describe('resolveVariant with conflicting traits (price-sensitive AND food-loving channel)', () => {
  it('picks the higher-priority variant and explains both matches', () => {
    const result = resolveVariant([food, generic, discount], priceSensitiveFoodie);

    expect(result.variant).toBe(discount);
    expect(result.variant?.materialVersionId).toBe('mv-discount');
    expect(result.reason).toBe('matched');
    expect(result.matched).toEqual({
      key: 'discount',
      rule: discount.rule,
      evidence: [
        { trait: 'audience.priceSensitivity', op: 'eq', expected: 'high', actual: 'high', result: true },
      ],
    });
    // The food variant matched too, with its own evidence, and lost on priority.
    expect(outcomeOf(result, 'food')).toEqual({
      key: 'food',
      priority: 5,
      specificity: 1,
      outcome: 'outranked',
      evidence: [
        {
          trait: 'audience.interests',
          op: 'contains',
          expected: 'food',
          actual: ['food', 'entertainment'],
          result: true,
        },
      ],
      outrankedBy: { key: 'discount', on: 'priority' },
    });
    expect(outcomeOf(result, 'generic')?.outcome).toBe('default_not_needed');
    // Considered rows follow the input order.
    expect(result.considered.map((c) => c.key)).toEqual(['food', 'generic', 'discount']);
    expect(result.summary).toBe(
      'variant "discount" matched: audience.priceSensitivity eq "high" (actual "high"); outranked "food" on priority',
    );
  });

  it('on equal priority prefers the more specific rule', () => {
    const youngFoodies: Variant = {
      ...food,
      priority: 10,
      rule: {
        all: [
          { trait: 'audience.interests', op: 'contains', value: 'food' },
          { trait: 'audience.ageBands.18-24', op: 'gte', value: 0.3 },
        ],
      },
    };
    const result = resolveVariant([discount, youngFoodies, generic], priceSensitiveFoodie);
    expect(result.variant?.key).toBe('food');
    expect(result.matched?.evidence).toEqual([
      {
        trait: 'audience.interests',
        op: 'contains',
        expected: 'food',
        actual: ['food', 'entertainment'],
        result: true,
      },
      { trait: 'audience.ageBands.18-24', op: 'gte', expected: 0.3, actual: 0.35, result: true },
    ]);
    expect(outcomeOf(result, 'discount')?.outrankedBy).toEqual({ key: 'food', on: 'specificity' });
  });

  it('on equal priority and specificity prefers the smaller key, whatever the input order', () => {
    const foodSamePriority = { ...food, priority: 10 };
    const forward = resolveVariant([discount, foodSamePriority, generic], priceSensitiveFoodie);
    const backward = resolveVariant([generic, foodSamePriority, discount], priceSensitiveFoodie);
    expect(forward.variant?.key).toBe('discount');
    expect(backward.variant?.key).toBe('discount');
    expect(outcomeOf(backward, 'food')?.outrankedBy).toEqual({ key: 'discount', on: 'key' });
  });
});

describe('resolveVariant fallbacks', () => {
  it('uses the default with reason no_profile when the channel has no profile', () => {
    const result = resolveVariant([discount, food, generic], null);
    expect(result.variant).toBe(generic);
    expect(result.reason).toBe('no_profile');
    expect(result.matched).toBeNull();
    expect(result.considered.map((c) => c.outcome)).toEqual([
      'not_evaluated_no_profile',
      'not_evaluated_no_profile',
      'chosen_as_default',
    ]);
  });

  it('falls back to the default and shows the failing trait values when nothing matches', () => {
    const frugalTraveller: ChannelProfileTraits = {
      audience: { priceSensitivity: 'low', interests: ['travel'] },
    };
    const result = resolveVariant([discount, food, generic], frugalTraveller);
    expect(result.variant).toBe(generic);
    expect(result.reason).toBe('default');
    expect(outcomeOf(result, 'discount')).toMatchObject({
      outcome: 'rule_not_satisfied',
      evidence: [{ trait: 'audience.priceSensitivity', expected: 'high', actual: 'low', result: false }],
    });
    expect(outcomeOf(result, 'food')?.evidence[0]).toMatchObject({ actual: ['travel'], result: false });
    expect(outcomeOf(result, 'generic')?.outcome).toBe('chosen_as_default');
  });

  it('returns no variant with reason no_match when nothing matches and there is no default', () => {
    const result = resolveVariant([discount, food], { audience: { priceSensitivity: 'low', interests: [] } });
    expect(result.variant).toBeNull();
    expect(result.reason).toBe('no_match');
  });

  it('returns no variant with reason no_profile when there is neither profile nor default', () => {
    const result = resolveVariant([discount], undefined);
    expect(result).toMatchObject({ variant: null, reason: 'no_profile' });
  });
});

describe('resolveVariant on incomplete profiles (three-valued logic)', () => {
  it('treats a missing trait as undecided, not as false, so `not` does not match unknown channels', () => {
    const notPriceSensitive: Variant = {
      key: 'premium',
      priority: 10,
      materialVersionId: 'mv-premium',
      rule: { not: { trait: 'audience.priceSensitivity', op: 'eq', value: 'high' } },
    };
    const partnerProfile: ChannelProfileTraits = { audience: { interests: ['travel'] } };
    const result = resolveVariant([notPriceSensitive, generic], partnerProfile);
    expect(result.variant).toBe(generic);
    expect(outcomeOf(result, 'premium')).toMatchObject({
      outcome: 'rule_undecided',
      evidence: [{ trait: 'audience.priceSensitivity', result: null }],
    });
    expect(outcomeOf(result, 'premium')?.evidence[0]).not.toHaveProperty('actual');

    // With the trait known and low, the same rule matches and the evidence shows why.
    const known = resolveVariant([notPriceSensitive, generic], { audience: { priceSensitivity: 'low' } });
    expect(known.variant?.key).toBe('premium');
    expect(known.matched?.evidence).toEqual([
      { trait: 'audience.priceSensitivity', op: 'eq', expected: 'high', actual: 'low', result: false },
    ]);
  });

  it('lets `any` match on a known branch even when another branch is unknown, citing only the true branch', () => {
    const either: Variant = {
      key: 'either',
      priority: 1,
      materialVersionId: 'mv-either',
      rule: {
        any: [
          { trait: 'audience.cityTiers.tier1', op: 'gte', value: 0.5 },
          { trait: 'content.preferredStyles', op: 'contains', value: 'discount' },
        ],
      },
    };
    const result = resolveVariant([either, generic], priceSensitiveFoodie);
    expect(result.variant?.key).toBe('either');
    expect(result.matched?.evidence).toEqual([
      {
        trait: 'content.preferredStyles',
        op: 'contains',
        expected: 'discount',
        actual: ['discount', 'short-video'],
        result: true,
      },
    ]);
  });

  it('compares levels by rank with gte / lte and matches lists with in', () => {
    const atLeastMedium: Variant = {
      key: 'mid',
      priority: 1,
      materialVersionId: 'mv-mid',
      rule: {
        all: [
          { trait: 'audience.priceSensitivity', op: 'gte', value: 'medium' },
          { trait: 'audience.willingnessToPay', op: 'in', value: ['low', 'medium'] },
          { trait: 'audience.genderSplit.female', op: 'gte', value: 0.6 },
        ],
      },
    };
    expect(resolveVariant([atLeastMedium, generic], priceSensitiveFoodie).variant?.key).toBe('mid');
    const lowSensitivity = {
      audience: { ...priceSensitiveFoodie.audience, priceSensitivity: 'low' as const },
    };
    const result = resolveVariant([atLeastMedium, generic], lowSensitivity);
    expect(result.variant?.key).toBe('generic');
    expect(outcomeOf(result, 'mid')?.evidence).toEqual([
      { trait: 'audience.priceSensitivity', op: 'gte', expected: 'medium', actual: 'low', result: false },
    ]);
  });

  it('reads performance figures computed from history', () => {
    const converting: Variant = {
      key: 'converting',
      priority: 1,
      materialVersionId: 'mv-c',
      rule: { trait: 'performance.activationRate', op: 'gte', value: 0.2 },
    };
    const profile: ChannelProfileTraits = { performance: { activationRate: 0.25 } };
    expect(resolveVariant([converting, generic], profile).matched?.evidence[0]?.actual).toBe(0.25);
    expect(resolveVariant([converting, generic], { performance: { activationRate: 0.1 } }).variant?.key).toBe(
      'generic',
    );
  });
});

describe('resolveVariant refuses ambiguous or invalid variant sets', () => {
  it.each([
    ['no variants', []],
    ['duplicate keys', [discount, { ...food, key: 'discount' }]],
    ['two defaults', [generic, { ...generic, key: 'other' }]],
    ['an unknown trait', [{ ...food, rule: { trait: 'audience.hobbies', op: 'contains', value: 'food' } }]],
    ['a non-finite priority', [{ ...food, priority: Number.NaN }]],
  ] as Array<[string, Variant[]]>)('throws TargetingError for %s', (_name, variants) => {
    expect(() => resolveVariant(variants, priceSensitiveFoodie)).toThrow(TargetingError);
  });
});
