// A registered customer's behaviour in the new-customer period, as a pure function: given the customer's
// own random draws (fixed at arrival), the channel's audience and what messages the customer had received
// by the time of an opportunity, does the customer log in / deposit / transact, and for how much. The
// only input that differs between a treatment and a control customer is `received`: the generator never
// knows the group (it learns of messages from the channel simulator), so the lift the evaluation
// measures comes from the messages alone.
import type { CustomerEventType } from '../domain/activation-rule';
import type { AudienceEffect } from './audience';
import { BEHAVIOUR, MESSAGE_EFFECT } from './model';

export type ActionKind = Extract<CustomerEventType, 'login' | 'deposit' | 'transaction'>;

/** One chance to act, at a fixed fraction of the new-customer period, with the customer's own draws. */
export interface Opportunity {
  kind: ActionKind;
  /** 0, 1, … among opportunities of the same kind: part of the event's id. */
  ordinal: number;
  /** When, as a fraction of the new-customer period after registration. */
  atFraction: number;
  /** The customer acts when this is below the propensity. */
  draw: number;
  /** Where in the amount range the customer's amount falls. */
  amountDraw: number;
}

/** Messages the customer had received (delivered to them, for this campaign) before the opportunity. */
export interface Received {
  education: number;
  engagement: number;
}

export const NOTHING_RECEIVED: Received = Object.freeze({ education: 0, engagement: 0 });

/** What the customer did so far in the period: later opportunities depend on it. */
export interface History {
  logins: number;
}

export type Decision =
  | { act: false; propensity: number }
  | { act: true; propensity: number; amountMinor?: number; revenueMinor?: number };

/** The opportunities every customer has, drawing from the customer's stream in one fixed order. */
export function opportunitiesFrom(draw: () => number): Opportunity[] {
  const make = (kind: ActionKind, ordinal: number, atFraction: number): Opportunity => ({
    kind,
    ordinal,
    atFraction,
    draw: draw(),
    amountDraw: draw(),
  });
  return [
    ...BEHAVIOUR.loginAt.map((at, i) => make('login', i, at)),
    make('deposit', 0, BEHAVIOUR.depositAt),
    ...BEHAVIOUR.transactionAt.map((at, i) => make('transaction', i, at)),
  ].sort((a, b) => a.atFraction - b.atFraction);
}

/** The propensity before messages: the base, times what the channel's audience does to it. */
export function basePropensity(kind: ActionKind, audience: AudienceEffect): number {
  const base =
    kind === 'login'
      ? BEHAVIOUR.loginPropensity * audience.login
      : kind === 'deposit'
        ? BEHAVIOUR.depositPropensity * audience.deposit
        : BEHAVIOUR.transactionPropensity * audience.transaction;
  return Math.min(BEHAVIOUR.maxPropensity, Math.max(0, base));
}

/** The share of the gap to 1 that the messages received close: 0 when nothing was received. */
export function messageLift(kind: ActionKind, received: Received): number {
  const counted = (n: number) => Math.min(MESSAGE_EFFECT.maxCounted, Math.max(0, Math.floor(n)));
  const stay =
    (1 - MESSAGE_EFFECT.education[kind]) ** counted(received.education) *
    (1 - MESSAGE_EFFECT.engagement[kind]) ** counted(received.engagement);
  return 1 - stay;
}

export function propensity(kind: ActionKind, audience: AudienceEffect, received: Received): number {
  const base = basePropensity(kind, audience);
  const lift = messageLift(kind, received);
  // Exactly the base without messages (1 − (1 − p) is not always p in floating point).
  if (lift === 0) return base;
  const lifted = 1 - (1 - base) * (1 - lift);
  return Math.min(BEHAVIOUR.maxPropensity, Math.max(base, lifted));
}

/** Does the customer take this opportunity, and with what amount and revenue (minor units)? */
export function decide(
  opportunity: Opportunity,
  audience: AudienceEffect,
  received: Received,
  history: History,
): Decision {
  const p = propensity(opportunity.kind, audience, received);
  // Nobody deposits or pays through an account they never opened the app of.
  if (opportunity.kind !== 'login' && history.logins === 0) return { act: false, propensity: p };
  if (!(opportunity.draw < p)) return { act: false, propensity: p };
  if (opportunity.kind === 'login') return { act: true, propensity: p };
  const [base, bps] =
    opportunity.kind === 'deposit'
      ? [audience.depositMinor, BEHAVIOUR.depositRevenueBps]
      : [audience.transactionMinor, BEHAVIOUR.transactionRevenueBps];
  // Amounts spread from half to twice the base, in whole units of 100 minor (whole yuan).
  const amountMinor = Math.max(100, Math.round((base * (0.5 + 1.5 * opportunity.amountDraw)) / 100) * 100);
  const revenueMinor = Math.floor((amountMinor * bps) / 10_000);
  return { act: true, propensity: p, amountMinor, revenueMinor };
}
