// Evaluates a targeting rule against a channel profile's traits and keeps a trace of every condition
// with the concrete trait value it saw, so that "why did channel X get variant Y" has an answer.
//
// Three-valued logic (Kleene): a condition on a trait the profile lacks is *unknown* (null), not
// false. Partner profiles are often incomplete, and with two values `not {priceSensitivity eq high}`
// would match every channel whose price sensitivity nobody measured. A variant is chosen only when its
// rule is definitely true.
//   not unknown = unknown;  all = false if any false, else unknown if any unknown, else true;
//   any = true if any true, else unknown if any unknown, else false.
import type { ChannelProfileTraits } from '../domain/channel-profile';
import { LEVELS } from '../domain/channel-profile';
import {
  isCondition,
  traitKindOf,
  type TargetingCondition,
  type TargetingRule,
  type TraitKind,
  type TraitScalar,
} from './targeting-rule';

/** true / false, or null when undecidable (trait missing or not comparable). */
export type Truth = boolean | null;

export type TraitActual = number | string | string[];

export interface ConditionTrace {
  trait: string;
  op: TargetingCondition['op'];
  expected: TraitScalar | TraitScalar[];
  /** The value found in the profile; absent when the profile lacks the trait. */
  actual?: TraitActual;
  result: Truth;
}

export type RuleTrace =
  | ({ kind: 'condition' } & ConditionTrace)
  | { kind: 'all' | 'any'; result: Truth; children: RuleTrace[] }
  | { kind: 'not'; result: Truth; child: RuleTrace };

/** Reads a dotted trait path; own properties only, and only values of the kind the path promises. */
export function readTrait(traits: ChannelProfileTraits, path: string): TraitActual | undefined {
  const kind = traitKindOf(path);
  if (!kind) return undefined;
  let node: unknown = traits;
  for (const segment of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return fitsKind(kind, node) ? node : undefined;
}

function fitsKind(kind: TraitKind, v: unknown): v is TraitActual {
  switch (kind) {
    case 'share':
      return typeof v === 'number' && Number.isFinite(v);
    case 'level':
      return typeof v === 'string' && (LEVELS as readonly string[]).includes(v);
    case 'tags':
      return Array.isArray(v) && v.every((t) => typeof t === 'string');
    case 'scalar':
      return (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string';
  }
}

const levelRank = (v: unknown): number => (LEVELS as readonly unknown[]).indexOf(v);

function compare(
  kind: TraitKind,
  actual: TraitActual,
  op: TargetingCondition['op'],
  expected: unknown,
): Truth {
  if (op === 'contains') return Array.isArray(actual) ? actual.includes(expected as string) : null;
  if (op === 'in') return Array.isArray(expected) ? (expected as unknown[]).includes(actual) : null;
  if (op === 'eq') return actual === expected;
  // gte / lte: levels compare by rank, everything else must be two numbers.
  let a: number, e: number;
  if (kind === 'level') [a, e] = [levelRank(actual), levelRank(expected)];
  else if (typeof actual === 'number' && typeof expected === 'number') [a, e] = [actual, expected];
  else return null;
  if (a < 0 || e < 0) return null;
  return op === 'gte' ? a >= e : a <= e;
}

function evaluateCondition(condition: TargetingCondition, traits: ChannelProfileTraits): ConditionTrace {
  const base = { trait: condition.trait, op: condition.op, expected: condition.value };
  const kind = traitKindOf(condition.trait);
  const actual = readTrait(traits, condition.trait);
  if (!kind || actual === undefined) return { ...base, result: null };
  return { ...base, actual, result: compare(kind, actual, condition.op, condition.value) };
}

function combine(kind: 'all' | 'any', results: Truth[]): Truth {
  const decisive = kind === 'all' ? false : true;
  if (results.includes(decisive)) return decisive;
  if (results.includes(null)) return null;
  return !decisive;
}

export function evaluateRule(rule: TargetingRule, traits: ChannelProfileTraits): RuleTrace {
  if (isCondition(rule)) return { kind: 'condition', ...evaluateCondition(rule, traits) };
  if ('not' in rule) {
    const child = evaluateRule(rule.not, traits);
    return { kind: 'not', result: child.result === null ? null : !child.result, child };
  }
  const kind = 'all' in rule ? 'all' : 'any';
  const children = ('all' in rule ? rule.all : rule.any).map((r) => evaluateRule(r, traits));
  return {
    kind,
    result: combine(
      kind,
      children.map((c) => c.result),
    ),
    children,
  };
}

/**
 * The leaf conditions that decided a trace's result: for a match, the conditions that satisfied it
 * (for `any`, only the true branches); for a rejection, the conditions that failed (or were unknown).
 */
export function decisiveConditions(trace: RuleTrace): ConditionTrace[] {
  if (trace.kind === 'condition') {
    const { kind: _kind, ...condition } = trace;
    return [condition];
  }
  if (trace.kind === 'not') return decisiveConditions(trace.child);
  // The children that share the combined result decided it: every child when all=true or any=false,
  // only the false (resp. true, unknown) ones otherwise.
  return trace.children.filter((c) => c.result === trace.result).flatMap(decisiveConditions);
}
