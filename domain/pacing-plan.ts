// The pacing part of a campaign plan (plan.pacing, issue 11): per-channel acquisition caps, and in
// `adaptive` mode the periodic review that moves the remaining acquisition budget between channels.
// Absent `pacing` means no per-channel cap at all: the campaign behaves exactly as before.
// Imported by workflow code (through campaign-plan.ts): pure, no Node built-ins.
import { z } from 'zod';
import { durationMs } from './duration';
import { MinorAmountSchema } from './money';
import { text } from './text';

export const PACING_MODES = ['fixed', 'adaptive'] as const;
export type PacingMode = (typeof PACING_MODES)[number];

/** At most this many reviews per registration window: each is one timer and one activity in history. */
export const MAX_PACING_REVIEWS = 1000;

/**
 * Built by the plan schema with the plan's own duration validation (campaign-plan.ts passes
 * `durationInRange` for `reviewEvery` and `earlyActivationWithin`), so the ranges live in one table.
 */
export function pacingPlanSchema(
  duration: (name: 'reviewEvery' | 'earlyActivationWithin') => z.ZodType<string>,
) {
  return z.strictObject({
    mode: z.enum(PACING_MODES),
    /** Cumulative acquisition cap per channel code, in the campaign's currency's minor units. */
    channelCaps: z.record(text({ min: 1, max: 100 }), MinorAmountSchema).optional(),
    /** Adaptive only: each channel keeps at least this share of the budget until evidence says otherwise. */
    floorShare: z.number().min(0).max(1).optional(),
    /** Adaptive only: how often the caps are reviewed (default: the cohort granularity). */
    reviewEvery: duration('reviewEvery').optional(),
    /**
     * Adaptive only: the lag k of the leading signal — a registration counts as an early activation when
     * it activated within k of registering (default: the shorter of P7D and the new-customer period).
     */
    earlyActivationWithin: duration('earlyActivationWithin').optional(),
  });
}

export interface PacingPlan {
  mode: PacingMode;
  channelCaps?: Record<string, number> | undefined;
  floorShare?: number | undefined;
  reviewEvery?: string | undefined;
  earlyActivationWithin?: string | undefined;
}

export interface FieldIssue {
  field: string;
  message: string;
}

/** What a pacing plan needs from the rest of the campaign request to be checked. */
export interface PacingContext {
  channels: readonly string[];
  acquisitionBudgetMinor: number | null;
  registrationWindow: { start: string; end: string };
  cohortGranularity: string;
}

/**
 * The checks that need the rest of the request (the zod schema checks each field alone): caps only for
 * the campaign's channels, Σ caps ≤ budget, an adaptive plan has a budget to move, the floors fit, and the
 * reviews are bounded. Shared by POST /campaigns and POST /campaigns/validate (campaign-plan-check.ts).
 */
export function checkPacingPlan(pacing: PacingPlan | undefined, ctx: PacingContext): FieldIssue[] {
  if (!pacing) return [];
  const at = 'plan.pacing';
  const issues: FieldIssue[] = [];
  const caps = pacing.channelCaps ?? {};
  const channels = new Set(ctx.channels);
  for (const code of Object.keys(caps)) {
    if (!channels.has(code))
      issues.push({
        field: `${at}.channelCaps.${code}`,
        message: `channel "${code}" is not one of the campaign's channels`,
      });
  }
  const total = Object.values(caps).reduce((sum, cap) => sum + BigInt(cap), 0n);
  const budget = ctx.acquisitionBudgetMinor;
  if (budget !== null && total > BigInt(budget)) {
    issues.push({
      field: `${at}.channelCaps`,
      message: `the caps sum to ${total} minor units, more than plan.acquisitionBudgetMinor (${budget})`,
    });
  }
  if (pacing.mode === 'adaptive') {
    if (budget === null)
      issues.push({
        field: 'plan.acquisitionBudgetMinor',
        message: 'adaptive pacing moves the acquisition budget between channels: the plan must have one',
      });
    const floor = pacing.floorShare ?? 0;
    if (floor * ctx.channels.length > 1)
      issues.push({
        field: `${at}.floorShare`,
        message: `${floor} × ${ctx.channels.length} channels is more than the whole budget: at most ${1 / ctx.channels.length}`,
      });
    const every = safeMs(pacing.reviewEvery ?? ctx.cohortGranularity);
    const windowMs = Date.parse(ctx.registrationWindow.end) - Date.parse(ctx.registrationWindow.start);
    if (every !== undefined && every > 0 && windowMs > 0 && Math.ceil(windowMs / every) > MAX_PACING_REVIEWS)
      issues.push({
        field: `${at}.reviewEvery`,
        message: `splits the registration window into ${Math.ceil(windowMs / every)} reviews (at most ${MAX_PACING_REVIEWS}): choose a longer interval`,
      });
  } else {
    for (const field of ['floorShare', 'reviewEvery', 'earlyActivationWithin'] as const) {
      if (pacing[field] !== undefined)
        issues.push({
          field: `${at}.${field}`,
          message: 'applies to adaptive pacing only (mode "adaptive")',
        });
    }
  }
  return issues;
}

function safeMs(duration: string): number | undefined {
  try {
    return durationMs(duration);
  } catch {
    return undefined;
  }
}

/** The review interval of an adaptive plan, in ms. */
export function reviewEveryMs(pacing: PacingPlan, cohortGranularity: string): number {
  return durationMs(pacing.reviewEvery ?? cohortGranularity);
}

/** The lag k of the leading signal, in ms: the plan's, else the shorter of 7 days and the period. */
export function earlyActivationWithinMs(pacing: PacingPlan, newCustomerPeriod: string): number {
  if (pacing.earlyActivationWithin) return durationMs(pacing.earlyActivationWithin);
  return Math.min(7 * 24 * 3_600_000, durationMs(newCustomerPeriod));
}

/**
 * The caps a campaign starts with, per channel code (in the campaign's channel order). Fixed mode: the
 * plan's caps; a channel without one has no cap of its own. Adaptive mode: every channel gets a cap —
 * the plan's where given, and the rest of the budget split evenly over the others (the leftover minor
 * units to the first ones), so the reviews have a whole budget to move.
 */
export function initialChannelCaps(
  pacing: PacingPlan | undefined,
  channelCodes: readonly string[],
  budgetMinor: number | null,
): Map<string, bigint> {
  const caps = new Map<string, bigint>();
  if (!pacing) return caps;
  const given = pacing.channelCaps ?? {};
  for (const code of channelCodes) if (given[code] !== undefined) caps.set(code, BigInt(given[code]));
  if (pacing.mode !== 'adaptive' || budgetMinor === null) return caps;
  const rest = channelCodes.filter((code) => !caps.has(code));
  if (rest.length === 0) return caps;
  const assigned = [...caps.values()].reduce((a, b) => a + b, 0n);
  const remaining = BigInt(budgetMinor) - assigned;
  const share = remaining / BigInt(rest.length);
  const leftover = remaining - share * BigInt(rest.length);
  rest.forEach((code, i) => caps.set(code, share + (BigInt(i) < leftover ? 1n : 0n)));
  return caps;
}
