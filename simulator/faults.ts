// Fault injection for the channel simulator: rules posted by a test or a demo operator that make a
// channel slow, flaky, down, silently lossy or unreachable past the client's timeout. Counted faults
// (failNext, timeoutNext, ...) are consumed in request arrival order and rate-based errors come from a
// seeded generator, so a test that injects faults gets the same outcome on every run.
import { z } from 'zod';
import type { ChannelOperation } from '../channels/adapter';
import { seededRandom } from './random';

export const OPERATIONS = [
  'publish',
  'readBack',
  'withdraw',
  'deliver',
] as const satisfies readonly ChannelOperation[];
const WRITES: ReadonlySet<ChannelOperation> = new Set(['publish', 'withdraw', 'deliver']);

const Count = z.int().min(0).max(1_000_000);

export const FaultRuleSchema = z.strictObject({
  /** A channel code, or '*' for every channel. */
  channelCode: z.string().min(1).max(200),
  /** Only these operations are affected (default: all). */
  operations: z.array(z.enum(OPERATIONS)).min(1).optional(),
  /** Added before every matching call is handled. */
  latencyMs: z.int().min(0).max(120_000).optional(),
  /** Probability (0..1) that a matching call answers 500. */
  errorRate: z.number().min(0).max(1).optional(),
  /** The next n matching calls answer 503. */
  failNext: Count.optional(),
  /** The next n matching calls answer 422 (the channel refuses: a non-retryable failure). */
  rejectNext: Count.optional(),
  /** The next n matching calls hang for hangMs (longer than the client's timeout). */
  timeoutNext: Count.optional(),
  /** 'before': nothing is applied; 'after': the write is applied and only the answer is lost. */
  timeoutMode: z.enum(['before', 'after']).optional(),
  hangMs: z.int().min(1).max(600_000).optional(),
  /** The next n matching writes answer success but store nothing (a lossy content system). */
  dropWrites: Count.optional(),
  /** Immediately alter the stored content of live placements on the channel(s) so their hash changes. */
  drift: z.boolean().optional(),
  /** Restricts drift to one placement. */
  placementId: z.string().min(1).optional(),
  /** Seed for errorRate; defaults to the simulator's seed plus the rule's number. */
  seed: z.int().optional(),
});
export type FaultRule = z.infer<typeof FaultRuleSchema>;

export type FaultAction = 'none' | 'fail' | 'reject' | 'error' | 'timeout' | 'drop';

export interface FaultDecision {
  latencyMs: number;
  action: FaultAction;
  timeoutMode: 'before' | 'after';
  hangMs: number;
}

interface ActiveRule {
  id: number;
  rule: FaultRule;
  /** Remaining counts, consumed as matching calls arrive. */
  remaining: { failNext: number; rejectNext: number; timeoutNext: number; dropWrites: number };
  random: () => number;
}

export const DEFAULT_HANG_MS = 30_000;

export class FaultBook {
  private rules: ActiveRule[] = [];
  private nextId = 1;

  constructor(private readonly seed: number) {}

  add(rule: FaultRule): number {
    const id = this.nextId++;
    this.rules.push({
      id,
      rule,
      remaining: {
        failNext: rule.failNext ?? 0,
        rejectNext: rule.rejectNext ?? 0,
        timeoutNext: rule.timeoutNext ?? 0,
        dropWrites: rule.dropWrites ?? 0,
      },
      random: seededRandom(rule.seed ?? this.seed + id),
    });
    return id;
  }

  /** Removes every rule, or only those posted for one channel code. */
  clear(channelCode?: string): void {
    this.rules =
      channelCode === undefined ? [] : this.rules.filter((r) => r.rule.channelCode !== channelCode);
    if (channelCode === undefined) this.nextId = 1;
  }

  list(): Array<{ id: number; rule: FaultRule; remaining: ActiveRule['remaining'] }> {
    return this.rules.map(({ id, rule, remaining }) => ({ id, rule, remaining: { ...remaining } }));
  }

  /** Decides, and consumes counted faults, for one incoming call. Synchronous: call it on arrival. */
  decide(channelCode: string, operation: ChannelOperation): FaultDecision {
    const matching = this.rules.filter(
      (r) =>
        (r.rule.channelCode === '*' || r.rule.channelCode === channelCode) &&
        (r.rule.operations === undefined || r.rule.operations.includes(operation)),
    );
    const latencyMs = Math.max(0, ...matching.map((r) => r.rule.latencyMs ?? 0));
    const decision = (action: FaultAction, from?: ActiveRule): FaultDecision => ({
      latencyMs,
      action,
      timeoutMode: from?.rule.timeoutMode ?? 'before',
      hangMs: from?.rule.hangMs ?? DEFAULT_HANG_MS,
    });
    const take = (counter: keyof ActiveRule['remaining']): ActiveRule | undefined => {
      const rule = matching.find((r) => r.remaining[counter] > 0);
      if (rule) rule.remaining[counter] -= 1;
      return rule;
    };
    // Precedence: hang, then outage, then refusal, then random errors, then silent loss.
    let rule = take('timeoutNext');
    if (rule) return decision('timeout', rule);
    if (take('failNext')) return decision('fail');
    if (take('rejectNext')) return decision('reject');
    // Every rule with a rate draws once per matching call, so the sequence depends only on the calls.
    const draws = matching
      .filter((r) => r.rule.errorRate !== undefined)
      .map((r) => r.random() < r.rule.errorRate!);
    if (draws.includes(true)) return decision('error');
    if (WRITES.has(operation) && (rule = take('dropWrites'))) return decision('drop', rule);
    return decision('none');
  }
}
