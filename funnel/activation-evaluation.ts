// Decides whether, and from which instant, a customer is activated: the campaign's activation rule
// evaluated against the customer's events inside the new-customer period. Called when events arrive (API
// ingest) and again by the evaluation; both must find the same activation time.
// Imported by workflow code: no Node built-ins, no clock, pure functions only.
import { add, money, zero, type Money } from '../domain/money';
import { describeCondition, describeRule, formatAmount } from './activation-description';
import type { ActivationConditionInput, ActivationRuleInput } from '../domain/activation-rule';
import { conditionsOf, isAll, isAny } from '../domain/activation-rule-tree';
import { formatInstant, parseInstant } from '../domain/zoned-time';

/** A customer event as stored. `type` is a string because events of types no rule uses are kept too. */
export interface CustomerEventFact {
  /** Stable id of the stored event; orders events that happened at the same instant. */
  readonly id?: string;
  readonly type: string;
  readonly amountMinor?: number | null;
  readonly currency?: string | null;
  readonly occurredAt: string;
}

/** The customer's new-customer period: [registration time, registration + period). */
export interface ActivationWindow {
  readonly start: string;
  readonly end: string;
}

export interface ActivationResult {
  readonly activated: boolean;
  /** The occurredAt (normalised to UTC) of the event with which the rule first held. */
  readonly activatedAt?: string;
  /** The id of that event, when it has one. */
  readonly activatingEventId?: string;
  /** For people: what the rule asks, how far the customer got, and which events were not counted. */
  readonly explanation: string;
}

interface Tally {
  count: number;
  total: Money;
}

/**
 * Replays the customer's in-period events in time order (ties by event id, then input order) and returns
 * the first event after which the rule holds.
 *
 * Why the result is stable: every condition only ever grows as events are added (counts, and totals of
 * non-negative amounts), and all/any preserve that, so once the rule holds it keeps holding. Events that
 * arrive later with later times therefore never change activatedAt, and the activation is recorded once.
 * (An event that arrives late but happened before activatedAt can only move it earlier; the caller keeps
 * the first recorded time.)
 *
 * Counting: an event counts towards a condition of its type. For a condition with an amount
 * (minAmountMinor or sumAmountMinorAtLeast) it must also carry a non-negative amount in the campaign's
 * `currency`: events in another currency, or without a currency or amount, are not counted for it.
 * The rule must have passed ActivationRuleSchema.
 */
export function evaluateActivation(
  rule: ActivationRuleInput,
  events: readonly CustomerEventFact[],
  window: ActivationWindow,
  currency: string,
): ActivationResult {
  const start = parseInstant(window.start);
  const end = parseInstant(window.end);
  // One tally per distinct condition object, so a condition shared by two branches is counted once.
  const tallies = new Map<ActivationConditionInput, Tally>(
    conditionsOf(rule).map((condition) => [condition, { count: 0, total: zero(currency) }]),
  );
  const timed = events.map((event, index) => ({ event, at: parseInstant(event.occurredAt), index }));
  const inPeriod = timed.filter(({ at }) => at >= start && at < end).sort(byTimeThenId);
  const notes = { outside: timed.length - inPeriod.length, otherCurrency: 0 };

  for (const { event, at } of inPeriod) {
    if (!tallyEvent(event, tallies, currency)) notes.otherCurrency++;
    if (holds(rule, tallies)) {
      const activatedAt = formatInstant(at);
      const by = event.id === undefined ? event.type : `${event.type} ${event.id}`;
      return {
        activated: true,
        activatedAt,
        ...(event.id === undefined ? {} : { activatingEventId: event.id }),
        explanation: explain(
          `Activated at ${activatedAt} (${by}): ${describeRule(rule, currency)}.`,
          tallies,
          notes,
          currency,
        ),
      };
    }
  }
  const head = `Not activated: ${describeRule(rule, currency)} did not happen between ${formatInstant(start)} and ${formatInstant(end)}.`;
  return { activated: false, explanation: explain(head, tallies, notes, currency) };
}

function byTimeThenId(
  a: { event: CustomerEventFact; at: number; index: number },
  b: { event: CustomerEventFact; at: number; index: number },
): number {
  if (a.at !== b.at) return a.at - b.at;
  const [x, y] = [a.event.id, b.event.id];
  // Code-unit order, not localeCompare, so the order never depends on the ICU data in use.
  if (x !== undefined && y !== undefined && x !== y) return x < y ? -1 : 1;
  if (x === undefined && y !== undefined) return 1;
  if (x !== undefined && y === undefined) return -1;
  return a.index - b.index;
}

function needsAmount(condition: ActivationConditionInput): boolean {
  return condition.minAmountMinor !== undefined || condition.sumAmountMinorAtLeast !== undefined;
}

/** Adds the event to the tallies of its type; false when an amount condition refused it for its currency/amount. */
function tallyEvent(
  event: CustomerEventFact,
  tallies: Map<ActivationConditionInput, Tally>,
  currency: string,
): boolean {
  let countedForAmounts = true;
  for (const [condition, tally] of tallies) {
    if (condition.event !== event.type) continue;
    if (needsAmount(condition)) {
      const amount = event.amountMinor;
      if (event.currency !== currency || amount === undefined || amount === null || amount < 0) {
        countedForAmounts = false;
        continue;
      }
      if (condition.minAmountMinor !== undefined && amount < condition.minAmountMinor) continue;
      tally.total = add(tally.total, money(amount, currency));
    }
    tally.count++;
  }
  return countedForAmounts;
}

function conditionHolds(condition: ActivationConditionInput, tally: Tally): boolean {
  const enoughEvents = tally.count >= (condition.atLeast ?? 1);
  const sum = condition.sumAmountMinorAtLeast;
  return enoughEvents && (sum === undefined || tally.total.minor >= sum);
}

function holds(rule: ActivationRuleInput, tallies: Map<ActivationConditionInput, Tally>): boolean {
  if (isAll(rule)) return rule.all.every((child) => holds(child, tallies));
  if (isAny(rule)) return rule.any.some((child) => holds(child, tallies));
  const tally = tallies.get(rule);
  return tally !== undefined && conditionHolds(rule, tally);
}

function explain(
  head: string,
  tallies: Map<ActivationConditionInput, Tally>,
  notes: { outside: number; otherCurrency: number },
  currency: string,
): string {
  const progress = [...tallies].map(([condition, tally]) => {
    const atLeast = condition.atLeast ?? 1;
    const sum = condition.sumAmountMinorAtLeast;
    const parts = sum !== undefined && atLeast === 1 ? [] : [`${tally.count} of ${atLeast}`];
    if (sum !== undefined)
      parts.push(`${formatAmount(tally.total.minor, currency)} of ${formatAmount(sum, currency)}`);
    return `${describeCondition(condition, currency)}: ${parts.join(', ')}`;
  });
  const lines = [head, `Progress: ${progress.join('; ')}.`];
  if (notes.outside > 0)
    lines.push(`${plural(notes.outside, 'event')} outside the new-customer period ignored.`);
  if (notes.otherCurrency > 0) {
    lines.push(
      `${plural(notes.otherCurrency, 'event')} without an amount in ${currency} not counted towards amounts.`,
    );
  }
  return lines.join(' ');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
