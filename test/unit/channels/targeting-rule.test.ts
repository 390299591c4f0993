// The targeting rule language: what the schema accepts and what it refuses.
import { countConditions, TargetingRuleSchema, traitKindOf } from '../../../channels/targeting';

const valid = (rule: unknown) => TargetingRuleSchema.safeParse(rule).success;

describe('TargetingRuleSchema', () => {
  it('accepts conditions on every kind of trait, nested with all / any / not', () => {
    expect(
      valid({
        all: [
          { trait: 'audience.priceSensitivity', op: 'in', value: ['medium', 'high'] },
          { trait: 'audience.ageBands.65+', op: 'lte', value: 0.1 },
          {
            any: [
              { trait: 'audience.interests', op: 'contains', value: 'food' },
              { not: { trait: 'content.preferredStyles', op: 'contains', value: 'luxury' } },
            ],
          },
          { trait: 'performance.avgBalanceMinor', op: 'gte', value: 100_000 },
          { trait: 'performance.segment', op: 'eq', value: 'students' },
        ],
      }),
    ).toBe(true);
  });

  it.each([
    ['an unknown trait path', { trait: 'audience.ageBands.12-17', op: 'gte', value: 0.1 }],
    ['a misspelled section', { trait: 'audiance.interests', op: 'contains', value: 'food' }],
    ['contains on a share', { trait: 'audience.cityTiers.tier1', op: 'contains', value: 'x' }],
    ['a share above 1', { trait: 'audience.cityTiers.tier1', op: 'gte', value: 1.2 }],
    ['eq on a tag list', { trait: 'audience.interests', op: 'eq', value: 'food' }],
    ['contains with a list', { trait: 'audience.interests', op: 'contains', value: ['food'] }],
    ['an unknown level', { trait: 'audience.priceSensitivity', op: 'eq', value: 'extreme' }],
    ['in with a single level', { trait: 'audience.priceSensitivity', op: 'in', value: 'high' }],
    ['gte with a string figure', { trait: 'performance.activationRate', op: 'gte', value: 'high' }],
    ['an unknown operator', { trait: 'audience.priceSensitivity', op: 'neq', value: 'high' }],
    ['an empty all', { all: [] }],
    [
      'all and any in one node',
      { all: [{ trait: 'audience.interests', op: 'contains', value: 'a' }], any: [] },
    ],
    ['an invalid nested condition', { not: { any: [{ trait: 'audience.x', op: 'eq', value: 1 }] } }],
  ])('refuses %s', (_name, rule) => {
    expect(valid(rule)).toBe(false);
  });

  it('names the unknown trait in the error', () => {
    const result = TargetingRuleSchema.safeParse({
      trait: 'audience.hobbies',
      op: 'contains',
      value: 'food',
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('unknown trait \\"audience.hobbies\\"');
  });
});

describe('trait catalogue and specificity', () => {
  it('classifies trait paths', () => {
    expect(traitKindOf('audience.ageBands.18-24')).toBe('share');
    expect(traitKindOf('audience.genderSplit.other')).toBe('share');
    expect(traitKindOf('audience.willingnessToPay')).toBe('level');
    expect(traitKindOf('content.preferredStyles')).toBe('tags');
    expect(traitKindOf('performance.conversionRate')).toBe('scalar');
    expect(traitKindOf('audience.ageBands.18-24.x')).toBeUndefined();
    expect(traitKindOf('performance.__proto__x')).toBeUndefined();
  });

  it('counts leaf conditions through all / any / not', () => {
    const leaf = { trait: 'audience.interests', op: 'contains' as const, value: 'food' };
    expect(countConditions(leaf)).toBe(1);
    expect(countConditions({ all: [leaf, { any: [leaf, { not: leaf }] }] })).toBe(3);
  });
});
