// Picks which variant of a material a channel gets, from the channel's profile (人货场), and explains
// the choice: the rule that matched with the trait values that satisfied it, and for every other
// variant why it was not chosen. The explanation is stored with the placement so that marketers can
// see why a price-sensitive food channel got the discount creative and not the food one.
//
// Resolution order (documented contract):
//  1. No profile → the default variant (rule null), reason 'no_profile'.
//  2. Otherwise every variant with a rule is evaluated (three-valued, see targeting-eval.ts); those
//     whose rule is definitely true are candidates.
//  3. Among candidates: higher `priority` wins; on equal priority the more specific rule wins
//     (more leaf conditions); on equal specificity the smaller `key` (plain string order) wins, so the
//     result never depends on the order variants were loaded in.
//  4. No candidate → the default variant, reason 'default'; no default either → null, 'no_match'.
// A default's priority plays no part: it is only ever the fallback.
import type { ChannelProfileTraits } from '../domain/channel-profile';
import { decisiveConditions, evaluateRule, type ConditionTrace } from './targeting-eval';
import { countConditions, TargetingRuleSchema, type TargetingRule } from './targeting-rule';

export * from './targeting-rule';
export { evaluateRule, decisiveConditions, readTrait } from './targeting-eval';
export type { ConditionTrace, RuleTrace, Truth, TraitActual } from './targeting-eval';

export interface TargetingVariant {
  key: string;
  priority: number;
  rule: TargetingRule | null;
}

export type VariantOutcome =
  | 'chosen_by_rule'
  | 'chosen_as_default'
  | 'outranked' // its rule matched, but another matching variant won the tie-break
  | 'rule_not_satisfied' // its rule is false for this profile
  | 'rule_undecided' // the profile lacks a trait the rule needs
  | 'default_not_needed'
  | 'not_evaluated_no_profile';

export interface ConsideredVariant {
  key: string;
  priority: number;
  /** Number of leaf conditions in the rule (0 for the default). */
  specificity: number;
  outcome: VariantOutcome;
  /** The conditions that decided the outcome, with the concrete trait values seen. */
  evidence: ConditionTrace[];
  outrankedBy?: { key: string; on: 'priority' | 'specificity' | 'key' };
}

export type ResolutionReason = 'matched' | 'default' | 'no_profile' | 'no_match';

export interface VariantResolution<V extends TargetingVariant = TargetingVariant> {
  variant: V | null;
  reason: ResolutionReason;
  /** Set when reason is 'matched'. */
  matched: { key: string; rule: TargetingRule; evidence: ConditionTrace[] } | null;
  /** Every variant, in the order given. */
  considered: ConsideredVariant[];
  /** One line for operators and logs. */
  summary: string;
}

export class TargetingError extends Error {
  override name = 'TargetingError';
}

/** Checks a variant set: unique non-empty keys, finite priorities, valid rules, at most one default. */
export function assertValidVariants(variants: readonly TargetingVariant[]): void {
  if (variants.length === 0) throw new TargetingError('a material needs at least one variant');
  const keys = new Set<string>();
  for (const v of variants) {
    if (!v.key) throw new TargetingError('variant keys must be non-empty');
    if (keys.has(v.key)) throw new TargetingError(`duplicate variant key "${v.key}"`);
    keys.add(v.key);
    if (!Number.isFinite(v.priority)) throw new TargetingError(`variant "${v.key}": priority must be finite`);
    if (v.rule !== null) {
      const parsed = TargetingRuleSchema.safeParse(v.rule);
      if (!parsed.success) {
        throw new TargetingError(
          `variant "${v.key}": invalid rule: ${parsed.error.issues[0]?.message ?? ''}`,
        );
      }
    }
  }
  const defaults = variants.filter((v) => v.rule === null);
  // Two defaults would make the fallback depend on something nobody chose.
  if (defaults.length > 1)
    throw new TargetingError(`more than one default variant: ${defaults.map((v) => v.key)}`);
}

type Scored<V> = { variant: V; specificity: number };

function byPrecedence<V extends TargetingVariant>(a: Scored<V>, b: Scored<V>): number {
  if (a.variant.priority !== b.variant.priority) return b.variant.priority - a.variant.priority;
  if (a.specificity !== b.specificity) return b.specificity - a.specificity;
  return a.variant.key < b.variant.key ? -1 : a.variant.key > b.variant.key ? 1 : 0;
}

function tieBreakOn(winner: Scored<TargetingVariant>, loser: Scored<TargetingVariant>) {
  if (winner.variant.priority !== loser.variant.priority) return 'priority' as const;
  if (winner.specificity !== loser.specificity) return 'specificity' as const;
  return 'key' as const;
}

const describe = (c: ConditionTrace): string =>
  `${c.trait} ${c.op} ${JSON.stringify(c.expected)} (actual ${c.actual === undefined ? 'missing' : JSON.stringify(c.actual)})`;

/** Throws TargetingError on an invalid variant set (see assertValidVariants). */
export function resolveVariant<V extends TargetingVariant>(
  variants: readonly V[],
  profile: ChannelProfileTraits | null | undefined,
): VariantResolution<V> {
  assertValidVariants(variants);
  const fallback = variants.find((v) => v.rule === null) ?? null;
  const specificityOf = (v: V) => (v.rule === null ? 0 : countConditions(v.rule));

  if (!profile) {
    const considered = variants.map((v): ConsideredVariant => ({
      key: v.key,
      priority: v.priority,
      specificity: specificityOf(v),
      outcome: v === fallback ? ('chosen_as_default' as const) : ('not_evaluated_no_profile' as const),
      evidence: [],
    }));
    const summary = fallback
      ? `no channel profile: default variant "${fallback.key}"`
      : 'no channel profile and no default variant: nothing to publish';
    return { variant: fallback, reason: 'no_profile', matched: null, considered, summary };
  }

  const evaluated = variants.map((v) => {
    const trace = v.rule === null ? null : evaluateRule(v.rule, profile);
    return { variant: v, specificity: specificityOf(v), trace };
  });
  const candidates = evaluated.filter((e) => e.trace?.result === true).sort(byPrecedence);
  const winner = candidates[0];
  const chosen = winner?.variant ?? fallback;

  const considered = evaluated.map((e): ConsideredVariant => {
    const row = { key: e.variant.key, priority: e.variant.priority, specificity: e.specificity };
    if (e.trace === null) {
      return {
        ...row,
        outcome: chosen === e.variant ? 'chosen_as_default' : 'default_not_needed',
        evidence: [],
      };
    }
    const evidence = decisiveConditions(e.trace);
    if (e.trace.result === null) return { ...row, outcome: 'rule_undecided', evidence };
    if (e.trace.result === false) return { ...row, outcome: 'rule_not_satisfied', evidence };
    if (e === winner) return { ...row, outcome: 'chosen_by_rule', evidence };
    return {
      ...row,
      outcome: 'outranked',
      evidence,
      outrankedBy: { key: winner!.variant.key, on: tieBreakOn(winner!, e) },
    };
  });

  if (winner) {
    const evidence = considered.find((c) => c.key === winner.variant.key)!.evidence;
    const others = considered
      .filter((c) => c.outcome === 'outranked')
      .map((c) => `"${c.key}" on ${c.outrankedBy!.on}`);
    const summary =
      `variant "${winner.variant.key}" matched: ${evidence.map(describe).join('; ')}` +
      (others.length ? `; outranked ${others.join(', ')}` : '');
    return {
      variant: winner.variant,
      reason: 'matched',
      matched: { key: winner.variant.key, rule: winner.variant.rule!, evidence },
      considered,
      summary,
    };
  }
  const summary = fallback
    ? `no targeting rule matched: default variant "${fallback.key}"`
    : 'no targeting rule matched and no default variant: nothing to publish';
  return { variant: fallback, reason: fallback ? 'default' : 'no_match', matched: null, considered, summary };
}
