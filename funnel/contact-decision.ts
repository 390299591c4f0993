// Whether one message may go to one customer now, under the contact policy and the customer's consent:
// the pure half of the delivery's contact check (activities/contact-reservation.ts gathers the facts under
// the customer's lock and records the outcome). The order of the checks is the order of the reasons:
// consent first (PIPL: an opted-out customer is never messaged), then quiet hours, then the caps.
//
// Priority (docs/api/contact-policy.md, "lower_priority"): a message of a higher-priority campaign that is
// due for the same customer within a cap's window either side of now, and not yet decided, holds a slot of
// that cap. A message that fits the cap by the contacts already made, but not once the held slots are
// counted too, is withheld as `lower_priority`; one that does not fit even without them is
// `frequency_capped`. Equal priorities hold nothing: first decided, first served.
import { durationMs } from '../domain/duration';
import type { ContactPolicy } from '../domain/contact-policy';
import type { PlanStepKind } from '../domain/engagement-plan';
import { isWithinSendingHours } from './schedule';

export const WITHHELD_REASONS = ['opted_out', 'quiet_hours', 'frequency_capped', 'lower_priority'] as const;
export type WithheldReason = (typeof WITHHELD_REASONS)[number];

export type ContactOutcome =
  { outcome: 'reserved'; counted: boolean } | { outcome: WithheldReason; counted: false; detail: string };

/** A contact already made (reserved) with the customer, that caps count. */
export interface PastContact {
  atMs: number;
  channelCode: string;
}

/** A higher-priority campaign's message due for the customer and not yet decided. */
export interface HeldSlot {
  dueMs: number;
  channelCode: string;
  priority: number;
}

export interface ContactQuestion {
  policy: ContactPolicy;
  nowMs: number;
  kind: PlanStepKind;
  channelCode: string;
  /** The priority of the sending campaign. */
  priority: number;
  /** Opted out of all marketing, or of this channel. */
  optedOut: boolean;
  /** Counted contacts of the customer, at least as far back as the longest cap's window. */
  past: readonly PastContact[];
  held: readonly HeldSlot[];
}

export function decideContact(q: ContactQuestion): ContactOutcome {
  if (q.optedOut)
    return { outcome: 'opted_out', counted: false, detail: 'the customer opted out of this marketing' };
  const { policy } = q;
  if (
    policy.quietHours &&
    isWithinSendingHours(new Date(q.nowMs).toISOString(), policy.quietHours, policy.timeZone)
  ) {
    return {
      outcome: 'quiet_hours',
      counted: false,
      detail: `${policy.quietHours.start}–${policy.quietHours.end} ${policy.timeZone} are quiet hours`,
    };
  }
  if (policy.exemptKinds.includes(q.kind)) return { outcome: 'reserved', counted: false };
  let lowerPriority: string | null = null;
  for (const cap of policy.frequencyCaps) {
    const windowMs = durationMs(cap.per);
    const applies = (channelCode: string) => cap.scope === 'overall' || channelCode === q.channelCode;
    // No upper bound: a contact stamped a little after `now` (another worker's clock, or one that took
    // the customer's lock first) was still decided before this one, and counts.
    const used = q.past.filter((c) => applies(c.channelCode) && c.atMs > q.nowMs - windowMs).length;
    const where = cap.scope === 'overall' ? 'overall' : `through ${q.channelCode}`;
    if (used >= cap.max) {
      return {
        outcome: 'frequency_capped',
        counted: false,
        detail: `${used} of at most ${cap.max} messages ${where} per ${cap.per} already sent`,
      };
    }
    const held = q.held.filter(
      (h) => h.priority > q.priority && applies(h.channelCode) && Math.abs(h.dueMs - q.nowMs) < windowMs,
    ).length;
    if (lowerPriority === null && used + held >= cap.max) {
      lowerPriority = `${held} message(s) of higher-priority campaigns are due within ${cap.per} and hold the slot(s) left by the cap of ${cap.max} ${where} per ${cap.per}`;
    }
  }
  if (lowerPriority !== null) return { outcome: 'lower_priority', counted: false, detail: lowerPriority };
  return { outcome: 'reserved', counted: true };
}

/** The longest cap window of a policy in ms (0 without caps): how far back past contacts are needed. */
export function longestWindowMs(policy: ContactPolicy): number {
  return Math.max(0, ...policy.frequencyCaps.map((cap) => durationMs(cap.per)));
}
