// An activation rule in plain English, for the marketer who sets it and the report that explains it,
// e.g. "a transaction of at least 100.00 CNY and 3 logins".
// Imported by workflow code: no Node built-ins, no clock, pure functions only.
import { formatMajor, money } from '../domain/money';
import type {
  ActivationConditionInput,
  ActivationRuleInput,
  CustomerEventType,
} from '../domain/activation-rule';
import { isAll, isAny } from '../domain/activation-rule-tree';

const NOUNS: Record<CustomerEventType, readonly [singular: string, plural: string]> = {
  login: ['login', 'logins'],
  deposit: ['deposit', 'deposits'],
  transaction: ['transaction', 'transactions'],
  product_purchase: ['product purchase', 'product purchases'],
  card_activation: ['card activation', 'card activations'],
  bill_payment: ['bill payment', 'bill payments'],
  transfer: ['transfer', 'transfers'],
};

/**
 * Describes the rule. Amounts are shown in major units of `currency` (the campaign's); without one they
 * are shown as raw minor units, since the rule alone does not say which currency it is in.
 */
export function describeRule(rule: ActivationRuleInput, currency?: string): string {
  if (isAll(rule)) return joinRules(rule.all, 'and', currency);
  if (isAny(rule)) return joinRules(rule.any, 'or', currency);
  return describeCondition(rule, currency);
}

function joinRules(rules: readonly ActivationRuleInput[], word: 'and' | 'or', currency?: string): string {
  const texts = rules.map((child) => {
    const text = describeRule(child, currency);
    // A compound inside a compound gets parentheses, so "a and (b or c)" cannot be misread.
    const compound = (isAll(child) && child.all.length > 1) || (isAny(child) && child.any.length > 1);
    return compound ? `(${text})` : text;
  });
  if (texts.length <= 1) return texts[0] ?? '';
  return `${texts.slice(0, -1).join(', ')} ${word} ${texts[texts.length - 1]}`;
}

export function describeCondition(condition: ActivationConditionInput, currency?: string): string {
  const [singular, plural] = NOUNS[condition.event];
  const count = condition.atLeast ?? 1;
  const { minAmountMinor: min, sumAmountMinorAtLeast: total } = condition;
  if (total !== undefined) {
    // "deposits totalling …" when any number of them may make up the total.
    const who = count === 1 ? plural : `${count} ${plural}`;
    const each = min === undefined ? '' : ` of at least ${formatAmount(min, currency)} each,`;
    return `${who}${each} totalling at least ${formatAmount(total, currency)}`;
  }
  const who = count === 1 ? `${article(singular)} ${singular}` : `${count} ${plural}`;
  if (min === undefined) return who;
  return `${who} of at least ${formatAmount(min, currency)}${count === 1 ? '' : ' each'}`;
}

export function formatAmount(minor: number, currency?: string): string {
  return currency === undefined
    ? `${minor} minor units`
    : `${formatMajor(money(minor, currency))} ${currency}`;
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? 'an' : 'a';
}
