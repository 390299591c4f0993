// A campaign's activation rule as data: which customer events, inside the new-customer period, make a
// registered customer "activated" (激活). The rule is stored with the campaign and validated here, then
// evaluated when customer events arrive (funnel/activation-evaluation.ts) and shown to people
// (funnel/activation-description.ts).
// Imported by workflow code: no Node built-ins, no clock, pure functions only.
import { z } from 'zod';
import { conditionsOf, ruleDepth } from './activation-rule-tree';

export const CustomerEventTypeSchema = z.enum([
  'login',
  'deposit',
  'transaction',
  'product_purchase',
  'card_activation',
  'bill_payment',
  'transfer',
]);
export type CustomerEventType = z.infer<typeof CustomerEventTypeSchema>;

/** Event types that carry no amount, so amount conditions on them could never hold. */
export const AMOUNTLESS_EVENT_TYPES: ReadonlySet<CustomerEventType> = new Set(['login', 'card_activation']);

/**
 * "At least `atLeast` events of this type", optionally counting only events of at least `minAmountMinor`
 * each, and optionally requiring their amounts to total at least `sumAmountMinorAtLeast`. Amounts are in
 * the minor unit of the campaign's currency; events in another currency never count towards them.
 */
export interface ActivationCondition {
  readonly event: CustomerEventType;
  readonly atLeast: number;
  readonly minAmountMinor?: number;
  readonly sumAmountMinorAtLeast?: number;
}

export type ActivationRule =
  | { readonly all: readonly ActivationRule[] }
  | { readonly any: readonly ActivationRule[] }
  | ActivationCondition;

/** The rule as written, before defaults: `atLeast` may be left out and means 1. */
export type ActivationConditionInput = Omit<ActivationCondition, 'atLeast'> & { readonly atLeast?: number };
export type ActivationRuleInput =
  | { readonly all: readonly ActivationRuleInput[] }
  | { readonly any: readonly ActivationRuleInput[] }
  | ActivationConditionInput;

/** Deeper nesting than this is unreadable to a marketer and is refused. */
export const MAX_RULE_DEPTH = 5;
export const MAX_RULE_CONDITIONS = 20;

const ConditionSchema = z
  .strictObject({
    event: CustomerEventTypeSchema,
    atLeast: z.int().min(1).max(10_000).default(1),
    minAmountMinor: z.int().min(1).optional(),
    sumAmountMinorAtLeast: z.int().min(1).optional(),
  })
  .refine(
    (c) =>
      !AMOUNTLESS_EVENT_TYPES.has(c.event) ||
      (c.minAmountMinor === undefined && c.sumAmountMinorAtLeast === undefined),
    { message: 'This event type has no amount, so it cannot have an amount condition', path: ['event'] },
  );

// Strict objects make a misspelt key ('minAmount') an error instead of a silently weaker rule.
const RuleNodeSchema: z.ZodType<ActivationRule, ActivationRuleInput> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(RuleNodeSchema).min(1, 'An "all" needs at least one rule') }),
    z.strictObject({ any: z.array(RuleNodeSchema).min(1, 'An "any" needs at least one rule') }),
    ConditionSchema,
  ]),
);

export const ActivationRuleSchema = RuleNodeSchema.superRefine((rule, ctx) => {
  if (ruleDepth(rule) > MAX_RULE_DEPTH) {
    ctx.addIssue({
      code: 'custom',
      message: `An activation rule may nest at most ${MAX_RULE_DEPTH} levels deep`,
    });
  }
  if (conditionsOf(rule).length > MAX_RULE_CONDITIONS) {
    ctx.addIssue({
      code: 'custom',
      message: `An activation rule may have at most ${MAX_RULE_CONDITIONS} conditions`,
    });
  }
});
