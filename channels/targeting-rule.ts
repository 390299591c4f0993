// The targeting rule language (人货场: match the material variant to the channel's audience), as data.
// A rule is a tree of conditions over channel-profile traits combined with all / any / not. Rules are
// stored with material variants and validated here when a campaign is created, so that a typo in a
// trait path or an operator that makes no sense for a trait fails loudly instead of never matching.
import { z } from 'zod';
import { AGE_BANDS, CITY_TIERS, LEVELS } from '../domain/channel-profile';

export const TARGETING_OPS = ['eq', 'in', 'gte', 'lte', 'contains'] as const;
export type TargetingOp = (typeof TARGETING_OPS)[number];

export type TraitScalar = number | string;

export interface TargetingCondition {
  trait: string;
  op: TargetingOp;
  value: TraitScalar | TraitScalar[];
}

export type TargetingRule =
  TargetingCondition | { all: TargetingRule[] } | { any: TargetingRule[] } | { not: TargetingRule };

/**
 * What kind of value a trait path holds, which decides the operators it accepts:
 * - share: a fraction 0..1 of the audience ('audience.ageBands.18-24', 'audience.cityTiers.tier3',
 *   'audience.genderSplit.female') — eq / gte / lte with a number.
 * - level: 'low' < 'medium' < 'high' ('audience.priceSensitivity', 'audience.willingnessToPay') —
 *   eq / gte / lte with a level, in with a list of levels.
 * - tags: a list of slugs ('audience.interests', 'content.preferredStyles') — contains one tag.
 * - scalar: an open performance figure ('performance.conversionRate') — eq / in with numbers or
 *   strings, gte / lte with a number.
 */
export type TraitKind = 'share' | 'level' | 'tags' | 'scalar';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const oneOf = (values: readonly string[]) => values.map(escape).join('|');

const TRAIT_PATHS: ReadonlyArray<[RegExp, TraitKind]> = [
  [new RegExp(`^audience\\.ageBands\\.(${oneOf(AGE_BANDS)})$`), 'share'],
  [new RegExp(`^audience\\.cityTiers\\.(${oneOf(CITY_TIERS)})$`), 'share'],
  [/^audience\.genderSplit\.(female|male|other)$/, 'share'],
  [/^audience\.(priceSensitivity|willingnessToPay)$/, 'level'],
  [/^(audience\.interests|content\.preferredStyles)$/, 'tags'],
  [/^performance\.[A-Za-z][A-Za-z0-9_]{0,63}$/, 'scalar'],
];

export function traitKindOf(path: string): TraitKind | undefined {
  return TRAIT_PATHS.find(([pattern]) => pattern.test(path))?.[1];
}

const isLevel = (v: unknown): boolean => typeof v === 'string' && (LEVELS as readonly string[]).includes(v);
const isShare = (v: unknown): boolean => typeof v === 'number' && v >= 0 && v <= 1;

/** Returns why the operator/value pair does not fit the trait kind, or undefined when it does. */
function conditionProblem(kind: TraitKind, op: TargetingOp, value: unknown): string | undefined {
  const list = Array.isArray(value) ? (value as unknown[]) : undefined;
  switch (kind) {
    case 'share':
      if (op === 'eq' || op === 'gte' || op === 'lte')
        return isShare(value) ? undefined : 'expects a share 0..1';
      return `a share accepts eq, gte, lte (not ${op})`;
    case 'level':
      if (op === 'in') return list && list.every(isLevel) ? undefined : 'in expects a list of levels';
      if (op === 'contains') return 'a level accepts eq, in, gte, lte (not contains)';
      return isLevel(value) ? undefined : `expects one of ${LEVELS.join(', ')}`;
    case 'tags':
      if (op !== 'contains') return `a tag list accepts contains (not ${op})`;
      return typeof value === 'string' ? undefined : 'contains expects one tag';
    case 'scalar':
      if (op === 'contains') return 'a performance figure accepts eq, in, gte, lte (not contains)';
      if (op === 'in') return list ? undefined : 'in expects a list';
      if (op === 'gte' || op === 'lte')
        return typeof value === 'number' ? undefined : `${op} expects a number`;
      return list ? 'eq expects a single value' : undefined;
  }
}

const ScalarSchema = z.union([z.number().finite(), z.string().min(1).max(200)]);

export const TargetingConditionSchema = z
  .strictObject({
    trait: z.string(),
    op: z.enum(TARGETING_OPS),
    value: z.union([ScalarSchema, z.array(ScalarSchema).min(1).max(50)]),
  })
  .superRefine((condition, ctx) => {
    const kind = traitKindOf(condition.trait);
    if (!kind) {
      ctx.addIssue({ code: 'custom', path: ['trait'], message: `unknown trait "${condition.trait}"` });
      return;
    }
    const problem = conditionProblem(kind, condition.op, condition.value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: `${condition.trait}: ${problem}` });
  });

// Strict objects keep the union unambiguous: { all: [...], any: [...] } is an error, not a guess.
export const TargetingRuleSchema: z.ZodType<TargetingRule> = z.lazy(() =>
  z.union([
    TargetingConditionSchema,
    z.strictObject({ all: z.array(TargetingRuleSchema).min(1).max(50) }),
    z.strictObject({ any: z.array(TargetingRuleSchema).min(1).max(50) }),
    z.strictObject({ not: TargetingRuleSchema }),
  ]),
);

export function isCondition(rule: TargetingRule): rule is TargetingCondition {
  return 'trait' in rule;
}

/** Specificity used for tie-breaking: the number of leaf conditions in the rule. */
export function countConditions(rule: TargetingRule): number {
  if (isCondition(rule)) return 1;
  if ('all' in rule) return rule.all.reduce((n, r) => n + countConditions(r), 0);
  if ('any' in rule) return rule.any.reduce((n, r) => n + countConditions(r), 0);
  return countConditions(rule.not);
}
