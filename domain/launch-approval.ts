// Launch approval (maker-checker, issue 12 item 6): whether a campaign must wait for a second person's
// approval before it publishes. Decided once, when the campaign is created, from the deployment's
// threshold; the answer is stored with the campaign and pinned in its workflow's input, so a later
// change of the configuration never changes a campaign already created.
import type { CampaignPlan } from './campaign-plan';

/** The deployment's setting (LAUNCH_APPROVAL_ABOVE_MINOR / LAUNCH_APPROVAL_CURRENCY); null: off. */
export interface LaunchApprovalConfig {
  aboveMinor: number;
  currency: string;
}

export const APPROVAL_STATES = ['not_required', 'pending', 'approved', 'rejected', 'expired'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

export interface LaunchApprovalDecision {
  required: boolean;
  /** The threshold in force at creation; null when approval is off for the deployment. */
  threshold: { amountMinor: number; currency: string } | null;
}

/**
 * A budget strictly above the threshold needs approval. Two cases lean to the safe side, since the
 * threshold exists to stop large spend launching on one person's word: a plan without a budget cap
 * (its spend is unbounded) and a plan in another currency than the threshold's (the system keeps no
 * exchange rates, so the amounts cannot be compared) both need approval.
 */
export function launchApprovalFor(
  config: LaunchApprovalConfig | null,
  plan: Pick<CampaignPlan, 'acquisitionBudgetMinor' | 'currency'>,
): LaunchApprovalDecision {
  if (!config) return { required: false, threshold: null };
  const threshold = { amountMinor: config.aboveMinor, currency: config.currency };
  const budget = plan.acquisitionBudgetMinor;
  const required = budget === null || plan.currency !== config.currency || budget > config.aboveMinor;
  return { required, threshold };
}

/** The deployment's setting from the environment (config/index.ts); unset threshold: off. */
export function launchApprovalConfigOf(env: {
  LAUNCH_APPROVAL_ABOVE_MINOR?: number;
  LAUNCH_APPROVAL_CURRENCY: string;
}): LaunchApprovalConfig | null {
  return env.LAUNCH_APPROVAL_ABOVE_MINOR === undefined
    ? null
    : { aboveMinor: env.LAUNCH_APPROVAL_ABOVE_MINOR, currency: env.LAUNCH_APPROVAL_CURRENCY };
}
