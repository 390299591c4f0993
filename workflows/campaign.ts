// The campaign workflow: one per campaign (id derived from the campaign id). It owns the
// campaign's process — the registration window, steering (pause, resume, cancel) and its phase —
// while the facts live in PostgreSQL and are written by activities.
import {
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  ApplicationFailure,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { dbWrite } from './activity-options';
import { msUntil, workflowNow } from './clock';
import {
  campaignStateQuery,
  cancelCampaignUpdate,
  pauseCampaignUpdate,
  resumeCampaignUpdate,
  budgetExhaustedSignal,
  type CampaignPhase,
  type CampaignState,
  type SteeringRequest,
} from './messages';
import { CampaignStatusKey } from './search-attributes';

export interface CampaignWorkflowInput {
  campaignId: string;
  registrationWindow: { start: string; end: string };
}

const { recordCampaignPhase } = proxyActivities<Activities>(dbWrite);

const TERMINAL: CampaignPhase[] = ['completed', 'cancelled', 'failed'];

function assertSteerable(state: CampaignState, action: string): void {
  if (TERMINAL.includes(state.phase)) {
    throw ApplicationFailure.create({
      type: 'CampaignNotSteerable',
      message: `cannot ${action} a campaign that is ${state.phase}`,
      nonRetryable: true,
    });
  }
}

export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<CampaignState> {
  const state: CampaignState = {
    campaignId: input.campaignId,
    phase: 'launching',
    paused: false,
    acquisitionOpen: false,
    acquisitionClosedReason: null,
    registrationWindow: input.registrationWindow,
    cancelled: null,
    failure: null,
    materialVersion: null,
    placements: { total: 0, verified: 0, failed: 0, withdrawn: 0, drifted: 0 },
    cohorts: [],
    evaluationReportId: null,
    updatedAt: new Date(workflowNow()).toISOString(),
  };
  let budgetExhausted = false;

  const touch = () => (state.updatedAt = new Date(workflowNow()).toISOString());

  setHandler(campaignStateQuery, () => state);
  setHandler(
    cancelCampaignUpdate,
    (req: SteeringRequest) => {
      state.cancelled = { by: req.actor, reason: req.reason ?? null, at: new Date(workflowNow()).toISOString() };
      touch();
      return state;
    },
    { validator: (req) => assertSteerable(state, 'cancel') ?? validateActor(req) },
  );
  setHandler(
    pauseCampaignUpdate,
    () => {
      state.paused = true;
      touch();
      return state;
    },
    { validator: (req) => assertSteerable(state, 'pause') ?? validateActor(req) },
  );
  setHandler(
    resumeCampaignUpdate,
    () => {
      state.paused = false;
      touch();
      return state;
    },
    { validator: (req) => assertSteerable(state, 'resume') ?? validateActor(req) },
  );
  setHandler(budgetExhaustedSignal, () => {
    budgetExhausted = true;
  });

  async function enter(phase: CampaignPhase): Promise<void> {
    state.phase = phase;
    touch();
    upsertSearchAttributes([{ key: CampaignStatusKey, value: phase }]);
    await recordCampaignPhase({ campaignId: input.campaignId, phase });
  }

  state.acquisitionOpen = true;
  await enter('acquiring');

  // The registration window: a durable timer, cut short by cancel or the budget cap.
  await condition(() => state.cancelled !== null || budgetExhausted, msUntil(input.registrationWindow.end));
  state.acquisitionOpen = false;
  state.acquisitionClosedReason = state.cancelled ? 'cancelled' : budgetExhausted ? 'budget_exhausted' : 'window_ended';

  if (state.cancelled) {
    await enter('cancelled');
    return state;
  }
  await enter('completed');
  return state;
}

function validateActor(req: SteeringRequest): void {
  if (!req || typeof req.actor !== 'string' || req.actor.trim() === '') {
    throw ApplicationFailure.create({ type: 'InvalidSteering', message: 'actor is required', nonRetryable: true });
  }
}
