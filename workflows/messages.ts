// Signals, queries and updates of the campaign and cohort workflows, declared once and imported by
// both the workflows and the API, so that a request and the workflow's handler cannot drift apart.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { CAMPAIGN_PHASES } from '../domain/campaign-phase';
import { PACING_MODES } from '../domain/pacing-plan';

// The phases are domain vocabulary (domain/campaign-phase.ts); re-exported for the workflows and the API.
export { CAMPAIGN_PHASES, TERMINAL_CAMPAIGN_PHASES, type CampaignPhase } from '../domain/campaign-phase';

export interface SteeringRequest {
  actor: string;
  reason?: string;
}

/** Who created the campaign, pinned in the workflow input: the one person who may not decide its launch. */
export interface LaunchAuthor {
  name: string;
  principalId: string | null;
}

export interface LaunchDecisionRequest {
  actor: string;
  /** The deciding key's principal id, compared with the author's. */
  principalId: string;
  /** approveLaunch: an optional note; rejectLaunch: the reason, required. */
  note?: string;
  reason?: string;
}

// The state the campaign workflow answers its query and updates with, as zod schemas: the type is inferred
// from them and the API's OpenAPI document (api/openapi/campaigns.ts) imports them, so that the
// documented response and the workflow's own state are one declaration (issue 15). Building a zod schema
// is deterministic and zod is already in the workflow bundle (domain/campaign-plan.ts).
const Instant = z.iso.datetime({ offset: true });
const ActorNote = z.object({ by: z.string(), reason: z.string().nullable(), at: Instant });

/** What one pacing review did (activities/pacing.ts reviewPacing): small, for the workflow's history. */
export const PacingReviewSummarySchema = z.object({
  reviewIndex: z.int(),
  /** changed: caps moved; unchanged: the policy kept them; frozen: an operator froze pacing, no change. */
  outcome: z.enum(['changed', 'unchanged', 'frozen']),
  method: z.string(),
  /** Channels whose cap moved. */
  moved: z.int(),
  at: Instant,
});
export type PacingReviewSummary = z.infer<typeof PacingReviewSummarySchema>;

export const PacingStateSchema = z
  .object({
    mode: z.enum(PACING_MODES),
    frozen: z.boolean(),
    frozenBy: ActorNote.nullable(),
    /** Reviews run so far (adaptive mode); review n is PacingAdjustment.reviewIndex n. */
    reviews: z.int(),
    lastReview: PacingReviewSummarySchema.nullable(),
    /** Why the last review could not run (the caps then stayed); null once a review succeeds. */
    lastError: z.string().nullable(),
  })
  .meta({ description: "The workflow's pacing state (present when the plan has plan.pacing)" });
export type PacingState = z.infer<typeof PacingStateSchema>;

/** The maker-checker step of a campaign whose budget is above the deployment's threshold. */
export const LaunchApprovalProgressSchema = z.object({
  /** pending while awaiting_approval; expired: the registration window ended before anyone decided. */
  state: z.enum(['pending', 'approved', 'rejected', 'expired']),
  by: z.string().nullable(),
  at: Instant.nullable(),
  /** The approver's note, or the rejection's reason. */
  note: z.string().nullable(),
});
export type LaunchApprovalProgress = z.infer<typeof LaunchApprovalProgressSchema>;

export const CampaignStateSchema = z
  .object({
    campaignId: z.uuid(),
    phase: z.enum(CAMPAIGN_PHASES),
    paused: z.boolean(),
    acquisitionOpen: z.boolean(),
    acquisitionClosedReason: z
      .enum([
        'window_ended',
        'budget_exhausted',
        'cancelled',
        'launch_failed',
        'launch_rejected',
        'approval_expired',
      ])
      .nullable(),
    registrationWindow: z
      .object({ start: z.string(), end: z.string() })
      .meta({ description: "The plan's registration window, as the plan gives it" }),
    cancelled: ActorNote.nullable(),
    failure: z.string().nullable(),
    materialVersion: z
      .array(z.object({ variantKey: z.string(), materialVersionId: z.string(), contentHash: z.string() }))
      .nullable()
      .meta({
        description:
          'The material version each variant is published with (null until publishing prepared it)',
      }),
    placements: z.object({
      total: z.int(),
      verified: z.int(),
      failed: z.int(),
      withdrawn: z.int(),
      drifted: z.int(),
    }),
    cohorts: z.array(
      z.object({
        key: z.string(),
        status: z.enum(['pending', 'running', 'completed', 'cancelled', 'skipped']).meta({
          description:
            'pending until the cohort begins; skipped: never started, because acquisition closed early (the budget) before it began, so it has no members',
        }),
      }),
    ),
    evaluationReportId: z.string().nullable(),
    /** Present for a plan with pacing (plan.pacing; issue 11). */
    pacing: PacingStateSchema.optional(),
    /** Present for a campaign that needs launch approval (patch `launch-approval`; issue 12 item 6). */
    approval: LaunchApprovalProgressSchema.optional().meta({
      description: 'Present for a campaign that needs launch approval',
    }),
    updatedAt: Instant,
  })
  .meta({ description: "The campaign workflow's live state (its campaignState query)" });
export type CampaignState = z.infer<typeof CampaignStateSchema>;

export const campaignStateQuery = defineQuery<CampaignState>('campaignState');
export const cancelCampaignUpdate = defineUpdate<CampaignState, [SteeringRequest]>('cancelCampaign');
export const pauseCampaignUpdate = defineUpdate<CampaignState, [SteeringRequest]>('pauseCampaign');
export const resumeCampaignUpdate = defineUpdate<CampaignState, [SteeringRequest]>('resumeCampaign');
/**
 * Re-run a failed evaluation (phase `evaluation_failed`) after the facts or the code were corrected;
 * answered once the evaluation has run again (the state says whether it completed or failed again).
 */
export const rerunEvaluationUpdate = defineUpdate<CampaignState, [SteeringRequest]>('rerunEvaluation');
/**
 * Freeze / unfreeze adaptive pacing: while frozen, every review records "frozen: no change" and the caps
 * stay where they are. Refused when the plan is not adaptive, when already (un)frozen, or once
 * acquisition has closed.
 */
export const freezePacingUpdate = defineUpdate<CampaignState, [SteeringRequest]>('freezePacing');
export const unfreezePacingUpdate = defineUpdate<CampaignState, [SteeringRequest]>('unfreezePacing');
/**
 * Launch approval (maker-checker): approve lets an awaiting_approval campaign publish; reject ends it
 * `rejected` with nothing published. Refused for the campaign's author, for a campaign that needs no
 * approval, and once the launch has been decided.
 */
export const approveLaunchUpdate = defineUpdate<CampaignState, [LaunchDecisionRequest]>('approveLaunch');
export const rejectLaunchUpdate = defineUpdate<CampaignState, [LaunchDecisionRequest]>('rejectLaunch');
/** Sent by the registration ingest when the acquisition budget cap has been reached. */
export const budgetExhaustedSignal = defineSignal<[]>('budgetExhausted');

export interface ChangeMaterialRequest extends SteeringRequest {
  /** The new version, already checked by the API to be approved and of this campaign's material. */
  materialVersionId: string;
  variantKey: string;
  contentHash: string;
}

/** A material change during the campaign: republish the new version everywhere and verify it. */
export const changeMaterialUpdate = defineUpdate<CampaignState, [ChangeMaterialRequest]>('changeMaterial');

/**
 * Pause or resume a cohort's sending. `seq` orders the campaign's steering actions: signals sent by
 * separate workflow tasks may arrive out of order, so a cohort applies only a newer `seq`.
 */
export const setCohortPausedSignal = defineSignal<[{ paused: boolean; seq: number }]>('setCohortPaused');
/**
 * Acquisition closed before this cohort began (budget cap): nobody can join it, so it ends at once
 * instead of waiting out its steps and period.
 */
export const closeEmptyCohortSignal = defineSignal<[]>('closeEmptyCohort');
/**
 * Members were stored into the cohort after it closed (a late report, a retried batch): the cohort runs
 * the steps it has already run again, so that they get them too (patch `late-member-catch-up`).
 */
export const lateMembersSignal = defineSignal<[]>('lateMembers');
export interface CohortProgress {
  cohortKey: string;
  status: 'waiting' | 'sending' | 'paused' | 'in_period' | 'completed' | 'cancelled';
  nextStep: { stepId: string; dueAt: string } | null;
  steps: { stepId: string; delivered: number; skipped: number; finishedAt: string }[];
}
export const cohortProgressQuery = defineQuery<CohortProgress>('cohortProgress');
