// A campaign's phases: the workflow passes them (workflows/campaign.ts) and mirrors each to the row's
// `status`; ingest, the channel registry, contact reservation and the traffic generator read them. Kept
// in domain/ so that those readers do not import workflow code (workflows/messages.ts re-exports them).

/** A campaign's phases in the order it passes them; also its row's `status` once the workflow runs. */
export const CAMPAIGN_PHASES = [
  /** Launch approval (maker-checker): nothing is published until a second person approves. */
  'awaiting_approval',
  'launching',
  'acquiring',
  'withdrawing',
  'in_period',
  'evaluating',
  /** The evaluation activity failed (state.failure says why); an operator re-runs it after a correction. */
  'evaluation_failed',
  'completed',
  'cancelled',
  'failed',
  /** Launch approval refused (or the window ended while waiting): nothing was ever published. */
  'rejected',
] as const;
export type CampaignPhase = (typeof CAMPAIGN_PHASES)[number];

/** Phases a campaign never leaves: no more steering, registrations, or use of its channels. */
export const TERMINAL_CAMPAIGN_PHASES: readonly CampaignPhase[] = [
  'completed',
  'cancelled',
  'failed',
  'rejected',
];
