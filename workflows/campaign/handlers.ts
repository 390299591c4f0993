// The campaign's steering handlers, shaped like Temporal's message-passing/safe-message-handlers sample:
// one object owns what the handlers share with the main flow (the queue of material changes, the budget
// flag, the pause sequence, the re-run request) and installs every handler and its validator. Validators
// refuse what may not happen, so a refused request leaves no trace in the history; handlers only record the
// request, and the main flow (workflows/campaign.ts) acts on it.
import { condition, getExternalWorkflowHandle, setHandler } from '@temporalio/workflow';
import { cohortWorkflowId } from '../ids';
import {
  approveLaunchUpdate,
  budgetExhaustedSignal,
  campaignStateQuery,
  cancelCampaignUpdate,
  changeMaterialUpdate,
  freezePacingUpdate,
  pauseCampaignUpdate,
  rejectLaunchUpdate,
  rerunEvaluationUpdate,
  resumeCampaignUpdate,
  setCohortPausedSignal,
  TERMINAL_CAMPAIGN_PHASES,
  unfreezePacingUpdate,
  type CampaignState,
  type ChangeMaterialRequest,
  type LaunchDecisionRequest,
  type SteeringRequest,
} from '../messages';
import type { CampaignWorkflowInput } from './state';
import { cohortSignalFailed, nowIso, refuse, touch, validateActor } from './state';

export class CampaignSteering {
  /** Set by the registration ingest's budget signal: acquisition closes at the next wake-up. */
  budgetExhausted = false;
  /** Accepted material changes, oldest first; the acquisition loop publishes them one at a time. */
  readonly materialChanges: ChangeMaterialRequest[] = [];
  /** Accepted changes that acquisition closed on before they were published, with the reason. */
  private readonly refusedChanges = new Map<ChangeMaterialRequest, string>();
  /** Orders pause/resume signals to the cohorts (signals from separate tasks may arrive out of order). */
  pauseSeq = 0;
  /** An operator asked for the failed evaluation to run again. */
  rerunRequested = false;

  constructor(
    private readonly input: CampaignWorkflowInput,
    private readonly state: CampaignState,
  ) {}

  /** Registers every query, update and signal handler; called before the workflow's first await. */
  install(): void {
    const { state } = this;
    setHandler(campaignStateQuery, () => state);
    setHandler(
      cancelCampaignUpdate,
      (req) => {
        state.cancelled = { by: req.actor, reason: req.reason ?? null, at: nowIso() };
        touch(state);
        return state;
      },
      {
        validator: (req) => {
          this.steerable('cancel');
          // The evaluation activity runs for seconds and nothing is left to stop: a cancel would be
          // answered and then ignored (the campaign completes), so it is refused instead.
          if (state.phase === 'evaluating')
            refuse('CampaignNotSteerable', 'cannot cancel a campaign while its evaluation runs');
          validateActor(req);
        },
      },
    );
    setHandler(
      pauseCampaignUpdate,
      () => {
        state.paused = true;
        this.signalCohorts(false);
        touch(state);
        return state;
      },
      { validator: (req) => (this.steerable('pause'), validateActor(req)) },
    );
    setHandler(
      resumeCampaignUpdate,
      () => {
        state.paused = false;
        this.signalCohorts(true);
        touch(state);
        return state;
      },
      { validator: (req) => (this.steerable('resume'), validateActor(req)) },
    );
    setHandler(
      changeMaterialUpdate,
      async (req) => {
        this.materialChanges.push(req);
        // Answer once the new version is published and verified everywhere it belongs.
        await condition(() => !this.materialChanges.includes(req));
        const refused = this.refusedChanges.get(req);
        if (refused !== undefined) refuse('CampaignNotSteerable', refused);
        return state;
      },
      {
        validator: (req) => {
          this.steerable('change the material of');
          validateActor(req);
          if (!state.acquisitionOpen)
            refuse('CampaignNotSteerable', 'the material can only change while acquisition is open');
          if (!state.materialVersion?.some((m) => m.variantKey === req.variantKey)) {
            refuse('UnknownVariant', `variant ${req.variantKey} is not published by this campaign`);
          }
        },
      },
    );
    setHandler(
      rerunEvaluationUpdate,
      async () => {
        this.rerunRequested = true;
        // Answer with the outcome of the re-run, not with the request.
        await condition(() => !this.rerunRequested && state.phase !== 'evaluating');
        return state;
      },
      {
        validator: (req) => {
          validateActor(req);
          if (state.phase !== 'evaluation_failed')
            refuse(
              'CampaignNotSteerable',
              `only a failed evaluation can be re-run; the campaign is ${state.phase}`,
            );
        },
      },
    );
    setHandler(
      freezePacingUpdate,
      (req) => {
        state.pacing!.frozen = true;
        state.pacing!.frozenBy = { by: req.actor, reason: req.reason ?? null, at: nowIso() };
        touch(state);
        return state;
      },
      { validator: (req) => this.pacingSteerable('freeze', req) },
    );
    setHandler(
      unfreezePacingUpdate,
      () => {
        state.pacing!.frozen = false;
        state.pacing!.frozenBy = null;
        touch(state);
        return state;
      },
      { validator: (req) => this.pacingSteerable('unfreeze', req) },
    );
    // Launch approval: the validator refuses what may not happen (no audit entry survives a refusal, see
    // api/campaigns/steering.ts); the handler only records the decision, which the main flow acts on.
    setHandler(approveLaunchUpdate, (req) => this.decideLaunch('approved', req), {
      validator: (req) => this.launchDecidable('approve', req),
    });
    setHandler(rejectLaunchUpdate, (req) => this.decideLaunch('rejected', req), {
      validator: (req) => this.launchDecidable('reject', req),
    });
    setHandler(budgetExhaustedSignal, () => {
      this.budgetExhausted = true;
    });
  }

  /**
   * Acquisition closed: every change still queued is refused with the reason instead of leaving its caller
   * waiting until the workflow ends (patch 'refuse-queued-material-changes', taken by the caller).
   */
  refuseQueuedChanges(closedReason: string): void {
    for (const change of this.materialChanges.splice(0)) {
      this.refusedChanges.set(
        change,
        `acquisition closed (${closedReason}) before the material change was published`,
      );
    }
  }

  private steerable(action: string): void {
    if (TERMINAL_CAMPAIGN_PHASES.includes(this.state.phase))
      refuse('CampaignNotSteerable', `cannot ${action} a campaign that is ${this.state.phase}`);
  }

  /** Tells every running cohort to pause or resume, numbered so that a cohort ignores an older one. */
  private signalCohorts(resume: boolean): void {
    this.pauseSeq += 1;
    const seq = this.pauseSeq;
    for (const c of this.state.cohorts) {
      if (c.status !== 'running') continue;
      const handle = getExternalWorkflowHandle(cohortWorkflowId(this.state.campaignId, c.key));
      void handle
        .signal(setCohortPausedSignal, { paused: !resume, seq })
        .catch(cohortSignalFailed(this.state.campaignId, c.key, setCohortPausedSignal.name));
    }
  }

  private pacingSteerable(action: 'freeze' | 'unfreeze', req: SteeringRequest): void {
    const { state } = this;
    this.steerable(`${action} the pacing of`);
    validateActor(req);
    if (state.pacing?.mode !== 'adaptive')
      refuse(
        'PacingNotAdaptive',
        `only adaptive pacing can be ${action}d: the plan's pacing is ${state.pacing?.mode ?? 'absent'}`,
      );
    if (!state.acquisitionOpen)
      refuse('CampaignNotSteerable', `pacing can only be ${action}d while acquisition is open`);
    if (state.pacing.frozen === (action === 'freeze'))
      refuse('PacingAlreadyInState', `pacing is already ${action === 'freeze' ? 'frozen' : 'not frozen'}`);
  }

  private launchDecidable(decision: 'approve' | 'reject', req: LaunchDecisionRequest): void {
    const { state } = this;
    validateActor(req);
    const approval = state.approval;
    if (!approval)
      refuse(
        'ApprovalNotRequired',
        `this campaign needs no launch approval: there is nothing to ${decision}`,
      );
    if (approval.state !== 'pending')
      refuse(
        'LaunchAlreadyDecided',
        `the launch was already ${approval.state}${approval.by ? ` by ${approval.by}` : ''}${approval.at ? ` at ${approval.at}` : ''}`,
      );
    if (state.cancelled || state.phase !== 'awaiting_approval')
      refuse('CampaignNotSteerable', `cannot ${decision} the launch of a campaign that is ${state.phase}`);
    const author = this.input.approval!.author;
    if (req.actor === author.name || (author.principalId !== null && req.principalId === author.principalId))
      refuse(
        'ApprovalByAuthor',
        `${req.actor} created this campaign: another person must ${decision} its launch`,
      );
    if (decision === 'reject' && (typeof req.reason !== 'string' || req.reason.trim() === ''))
      refuse('InvalidSteering', 'a rejection needs a reason');
  }

  private decideLaunch(decided: 'approved' | 'rejected', req: LaunchDecisionRequest): CampaignState {
    this.state.approval = {
      state: decided,
      by: req.actor,
      at: nowIso(),
      note: (decided === 'approved' ? req.note : req.reason) ?? null,
    };
    touch(this.state);
    return this.state;
  }
}
