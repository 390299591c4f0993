// Walking an activation rule's tree (all / any / condition), shared by validation, evaluation and description.
// Imported by workflow code: no Node built-ins, no clock, pure functions only.
import type { ActivationConditionInput, ActivationRuleInput } from './activation-rule';

export function isAll(rule: ActivationRuleInput): rule is { readonly all: readonly ActivationRuleInput[] } {
  return 'all' in rule;
}

export function isAny(rule: ActivationRuleInput): rule is { readonly any: readonly ActivationRuleInput[] } {
  return 'any' in rule;
}

/** The rule's conditions, depth first, left to right. */
export function conditionsOf(rule: ActivationRuleInput): ActivationConditionInput[] {
  if (isAll(rule)) return rule.all.flatMap(conditionsOf);
  if (isAny(rule)) return rule.any.flatMap(conditionsOf);
  return [rule];
}

export function ruleDepth(rule: ActivationRuleInput): number {
  const children = isAll(rule) ? rule.all : isAny(rule) ? rule.any : [];
  return 1 + Math.max(0, ...children.map(ruleDepth));
}
