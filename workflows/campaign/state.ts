// The campaign workflow's state (what its query and updates answer with) and the small helpers every part
// of the workflow shares: entering a phase, refusing a request, naming an error's reason.
import { ApplicationFailure, log, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { PublishTarget } from '../../activities/publishing';
import type { CampaignPlan } from '../../domain/campaign-plan';
import type { Cohort } from '../../domain/cohort';
import { dbWrite } from '../activity-options';
import { workflowNow } from '../clock';
import type { CampaignPhase, CampaignState, LaunchAuthor, SteeringRequest } from '../messages';
import { CampaignStatusKey } from '../search-attributes';

export interface CampaignWorkflowInput {
  campaignId: string;
  plan: CampaignPlan;
  /** Set when the campaign was created above the deployment's approval threshold (issue 12 item 6). */
  approval?: { required: true; author: LaunchAuthor };
}

const { recordCampaignPhase } = proxyActivities<Activities>(dbWrite);

export const nowIso = () => new Date(workflowNow()).toISOString();

/** The state at the start of the workflow: launching, nothing published, every cohort pending. */
export function initialState(input: CampaignWorkflowInput, cohorts: readonly Cohort[]): CampaignState {
  const { campaignId, plan } = input;
  const state: CampaignState = {
    campaignId,
    phase: 'launching',
    paused: false,
    acquisitionOpen: false,
    acquisitionClosedReason: null,
    registrationWindow: plan.registrationWindow,
    cancelled: null,
    failure: null,
    materialVersion: null,
    placements: { total: 0, verified: 0, failed: 0, withdrawn: 0, drifted: 0 },
    cohorts: [],
    evaluationReportId: null,
    ...(plan.pacing
      ? {
          pacing: {
            mode: plan.pacing.mode,
            frozen: false,
            frozenBy: null,
            reviews: 0,
            lastReview: null,
            lastError: null,
          },
        }
      : {}),
    updatedAt: nowIso(),
  };
  state.cohorts = cohorts.map((c) => ({ key: c.key, status: 'pending' }));
  return state;
}

export const touch = (state: CampaignState) => (state.updatedAt = nowIso());

/**
 * Enters a phase: the state, the search attribute the API lists campaigns by, and the row's mirror (an
 * activity). The commands are issued synchronously, in that order, as every history recorded so far has them.
 */
export async function enter(state: CampaignState, phase: CampaignPhase): Promise<void> {
  state.phase = phase;
  touch(state);
  upsertSearchAttributes([{ key: CampaignStatusKey, value: phase }]);
  await recordCampaignPhase({ campaignId: state.campaignId, phase });
}

/** Refuses an update (or fails a request) with a type the API maps to a problem (api/problem-types.ts). */
export function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

export function validateActor(req: SteeringRequest): void {
  if (!req || typeof req.actor !== 'string' || req.actor.trim() === '')
    refuse('InvalidSteering', 'actor is required');
}

export function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error ? err.cause.message : err.message;
}

/** The material version each variant is published with, one entry per version. */
export function dedupeVersions(targets: PublishTarget[]) {
  const seen = new Map<string, { variantKey: string; materialVersionId: string; contentHash: string }>();
  for (const t of targets)
    seen.set(t.materialVersionId, {
      variantKey: t.variantKey,
      materialVersionId: t.materialVersionId,
      contentHash: t.contentHash,
    });
  return [...seen.values()];
}

/**
 * Logs a signal to a cohort that failed (the cohort had already ended, or was never started). The campaign
 * goes on: a cohort that is gone needs no pause, resume or close. `log` is the workflow logger: it writes
 * nothing on replay and adds no command to the history.
 */
export function cohortSignalFailed(campaignId: string, cohortKey: string, signal: string) {
  return (err: unknown): undefined => {
    log.warn('signal to a cohort failed; the campaign goes on', {
      campaignId,
      cohortKey,
      signal,
      reason: reasonOf(err),
    });
    return undefined;
  };
}
