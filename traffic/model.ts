// The prospect traffic model's parameters, all in one place (docs/traffic-generator.md explains each and
// where it comes from). The numbers are assumptions of the simulation, not measurements: they are chosen
// so that channels differ the way domain.md says they do (ecosystem channels bring reach with leaky
// sign-up flows, the bank's own apps bring fewer but better prospects, branches bring walk-ins who finish),
// and so that the education and engagement messages have an effect the evaluation can measure.
import type { ChannelKind, OnlineType } from '../domain/channel';
import type { Level } from '../domain/channel-profile';

/** How one channel's traffic behaves before registration, from its kind and online type. */
export interface ChannelFunnelTraits {
  /** Relative share of the campaign's arrivals (the channel's reach); normalised across the campaign. */
  reach: number;
  /** Clicks per impression: how many impressions each arriving (clicking) prospect stands for, on average. */
  clickThrough: number;
  /** Share of arriving prospects who open the sign-up form (registrations started). */
  startRate: number;
  /** Share of started sign-ups that are completed: the "light process" (轻流程) of the channel's flow. */
  completionRate: number;
  /** Whether the channel's system sends delivery reports at all (offline channels do not). */
  reportsDelivery: boolean;
  /** Whether its delivery reports carry registrationsStarted (the channel hosts the sign-up form). */
  reportsStarted: boolean;
}

const FINANCIAL: ChannelFunnelTraits = {
  // The bank's own app or WeChat banking: a smaller audience already inside the bank, a short flow.
  reach: 1,
  clickThrough: 0.04,
  startRate: 0.6,
  completionRate: 0.85,
  reportsDelivery: true,
  reportsStarted: true,
};

const OFFLINE: ChannelFunnelTraits = {
  // Branches and account managers: few walk-ins, who nearly always finish with staff beside them.
  // Offline channels send no delivery reports: their impressions, clicks and starts are not reported.
  reach: 0.3,
  clickThrough: 1,
  startRate: 0.9,
  completionRate: 0.92,
  reportsDelivery: false,
  reportsStarted: false,
};

/** Ecosystem channels (生态场景) by online type: reach is high, the bank's long flow loses people. */
const ECOSYSTEM: Record<OnlineType, ChannelFunnelTraits> = {
  ecommerce: {
    reach: 1.6,
    clickThrough: 0.025,
    startRate: 0.45,
    completionRate: 0.62,
    reportsDelivery: true,
    reportsStarted: true,
  },
  social: {
    reach: 1.4,
    clickThrough: 0.02,
    startRate: 0.4,
    completionRate: 0.5,
    reportsDelivery: true,
    reportsStarted: true,
  },
  entertainment: {
    // Short-video and games: the widest reach and the leakiest flow (people came to be entertained).
    reach: 1.8,
    clickThrough: 0.012,
    startRate: 0.35,
    completionRate: 0.35,
    reportsDelivery: true,
    reportsStarted: true,
  },
  information: {
    // News apps link out to the bank's page and never see the form: they report impressions and
    // clicks but not sign-ups started (views show `not_reported`).
    reach: 1,
    clickThrough: 0.015,
    startRate: 0.4,
    completionRate: 0.45,
    reportsDelivery: true,
    reportsStarted: false,
  },
  payment: {
    // Payment apps already verified the person: a near-scenario (近场景) flow that keeps most of them.
    reach: 1.2,
    clickThrough: 0.03,
    startRate: 0.5,
    completionRate: 0.75,
    reportsDelivery: true,
    reportsStarted: true,
  },
};

export function channelFunnelTraits(kind: ChannelKind, onlineType: OnlineType | null): ChannelFunnelTraits {
  if (kind === 'offline') return OFFLINE;
  if (kind === 'financial_scenario') return FINANCIAL;
  return ECOSYSTEM[onlineType ?? 'information'];
}

/**
 * The new-customer period's behaviour: base propensities per opportunity, before the audience and the
 * messages. A customer who never logs in does nothing else (no deposit or transaction without a login).
 */
export const BEHAVIOUR = {
  /** Login opportunities, as fractions of the new-customer period after registration. */
  loginAt: [0.1, 0.28, 0.46, 0.64, 0.82],
  loginPropensity: 0.5,
  /** One deposit opportunity, after the first logins and the first messages. */
  depositAt: 0.52,
  depositPropensity: 0.32,
  /** Transaction opportunities (card payments, transfers). */
  transactionAt: [0.7, 0.9],
  transactionPropensity: 0.3,
  /** No propensity reaches 1: some people never act, whatever they are told. */
  maxPropensity: 0.95,
  /** Deposit amounts in minor units by the audience's willingness to pay (¥2,000 / ¥8,000 / ¥20,000). */
  depositMinor: { low: 200_000, medium: 800_000, high: 2_000_000 } satisfies Record<Level, number>,
  /** Transaction amounts in minor units (¥150 / ¥300 / ¥600). */
  transactionMinor: { low: 15_000, medium: 30_000, high: 60_000 } satisfies Record<Level, number>,
  /** What the bank earns, in basis points of the amount: net interest margin on a deposit over the period… */
  depositRevenueBps: 30,
  /** …and interchange / merchant commission on a transaction. */
  transactionRevenueBps: 60,
} as const;

/**
 * What the education (用户教育) and engagement (用户互动) messages do: each message received before an
 * opportunity closes that share of the gap between the propensity and 1 (p' = 1 − (1 − p)(1 − e)^n),
 * up to `maxCounted` messages of each kind. So a message never makes anyone less likely to act, and a
 * customer who received nothing (every control-group customer) behaves exactly as the base model says.
 */
export const MESSAGE_EFFECT = {
  education: { login: 0.12, deposit: 0.16, transaction: 0.08 },
  engagement: { login: 0.18, deposit: 0.1, transaction: 0.12 },
  maxCounted: 3,
} as const;

/** Audience multipliers on the base propensities, from the channel profile's traits. */
export const AUDIENCE = {
  willingnessToPay: { low: 0.75, medium: 1, high: 1.25 } satisfies Record<Level, number>,
  /** Price-sensitive audiences start sign-up for the incentive more often, and deposit less. */
  priceSensitivityStart: { low: 0.9, medium: 1, high: 1.15 } satisfies Record<Level, number>,
  priceSensitivityDeposit: { low: 1.05, medium: 1, high: 0.9 } satisfies Record<Level, number>,
  /** Interests that make a customer log in more. */
  financeInterests: ['finance', 'investing', 'wealth', 'insurance'],
  financeInterestLogin: 1.1,
  /** Deposit amounts grow with the audience's share aged 35 and over (more savings): × (1 + share). */
  olderBands: ['35-44', '45-54', '55-64', '65+'],
  /** Transactions grow with the share in tier-1 and tier-2 cities: × (0.9 + 0.3 × share). */
  largeCityTiers: ['tier1', 'tier2'],
} as const;

/**
 * The share of prospects who behave badly (TrafficOptions.badShare's default) and how the bad ones split.
 * - duplicate_signup: signs up again under a new customerRef with an earlier customer's contact (the
 *   incentive claimed twice) → flagged duplicate_customer;
 * - existing_customer: a customer the bank already lists (the bank's list, TrafficOptions
 *   existingCustomerRefs) → flagged existing_customer when the bank's ExistingCustomer table has them;
 * - fingerprint_burst: one device signs up `burstSize` people within seconds. Inside one campaign the
 *   second sign-up from a device is already flagged duplicate_customer (the stronger reason,
 *   funnel/registration-flags.ts); the fingerprint_burst flag itself needs ≥ 5 sign-ups from a device
 *   within 10 minutes across live campaigns, so burst devices are drawn from a pool shared by every
 *   campaign the same seed runs against (several generators with one seed make cross-campaign bursts).
 */
export const BAD_BEHAVIOUR = {
  defaultShare: 0.05,
  mix: { duplicate_signup: 0.5, existing_customer: 0.35, fingerprint_burst: 0.15 },
  burstSize: 6,
  /** Devices bursts are drawn from, per seed and independent of the campaign. */
  burstDevices: 20,
  /** Seconds between the registrations of one burst. */
  burstSpacingMs: 1_500,
} as const;

export type BadBehaviour = keyof typeof BAD_BEHAVIOUR.mix;

/** Delivery reports: one per placement per period, sent when the period has ended. */
export const DELIVERY = {
  periodMs: 10_000,
} as const;

/** Bounds when the caller gives none. */
export const DEFAULT_BOUNDS = {
  maxProspects: 10_000,
  maxDurationMs: 60 * 60_000,
} as const;
