// The campaign workflow: one per campaign (id derived from the campaign id). It owns the campaign's
// process while the facts live in PostgreSQL, written by activities:
//   1. publish the same material version to every chosen channel in parallel and verify each by
//      read-back; a channel that keeps failing triggers the policy (all-or-nothing: withdraw
//      everything published — a saga — and fail; best-effort: go on and report the gap);
//   2. keep the registration window open (a durable timer) until its end, the budget cap or a
//      cancel; verify placements periodically (drift → republish) and republish on a material change;
//   3. withdraw every placement; run each registration cohort's new-customer period (child workflows);
//   4. when the last cohort's period has ended, compute and store the evaluation.
// With adaptive pacing (plan.pacing.mode 'adaptive', patch 'adaptive-pacing'), step 2 also runs a pacing
// review every plan.pacing.reviewEvery: one timer and one activity that moves the channels' caps.
// With launch approval (input.approval, decided at creation; patch 'launch-approval'), step 1 is preceded
// by `awaiting_approval`: nothing is published until another person than the author approves; a
// rejection, or a window that ends first, ends the campaign `rejected` with nothing published.
import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PlacementOutcome, PublishTarget } from '../activities/publishing';
import { MAX_VERIFICATION_ROUNDS, type CampaignPlan } from '../domain/campaign-plan';
import { durationMs } from '../domain/duration';
import { earlyActivationWithinMs, reviewEveryMs } from '../domain/pacing-plan';
import { cohortsOfWindow } from '../domain/cohort';
import { channelCall, channelWithdraw, dbWrite, evaluation, pacingReview } from './activity-options';
import { msUntil, workflowNow } from './clock';
import { cohortWorkflow } from './cohort';
import { cohortWorkflowId } from './ids';
import {
  approveLaunchUpdate,
  budgetExhaustedSignal,
  campaignStateQuery,
  cancelCampaignUpdate,
  closeEmptyCohortSignal,
  changeMaterialUpdate,
  freezePacingUpdate,
  pauseCampaignUpdate,
  rejectLaunchUpdate,
  rerunEvaluationUpdate,
  resumeCampaignUpdate,
  setCohortPausedSignal,
  TERMINAL_CAMPAIGN_PHASES,
  unfreezePacingUpdate,
  type CampaignPhase,
  type CampaignState,
  type ChangeMaterialRequest,
  type LaunchAuthor,
  type LaunchDecisionRequest,
  type SteeringRequest,
} from './messages';
import { CampaignStatusKey } from './search-attributes';

export interface CampaignWorkflowInput {
  campaignId: string;
  plan: CampaignPlan;
  /** Set when the campaign was created above the deployment's approval threshold (issue 12 item 6). */
  approval?: { required: true; author: LaunchAuthor };
}

const { recordCampaignPhase, recordLaunchApproval, preparePublishing, markPlacementFailed, livePlacements } =
  proxyActivities<Activities>(dbWrite);
const { publishPlacement, verifyPlacements } = proxyActivities<Activities>(channelCall);
const { withdrawPlacement } = proxyActivities<Activities>(channelWithdraw);
const { evaluateCampaign } = proxyActivities<Activities>(evaluation);
const { reviewPacing } = proxyActivities<Activities>(pacingReview);

const nowIso = () => new Date(workflowNow()).toISOString();

function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

function validateActor(req: SteeringRequest): void {
  if (!req || typeof req.actor !== 'string' || req.actor.trim() === '')
    refuse('InvalidSteering', 'actor is required');
}

export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<CampaignState> {
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
  let budgetExhausted = false;
  const materialChanges: ChangeMaterialRequest[] = [];
  /** Accepted changes that acquisition closed on before they were published, with the reason. */
  const refusedChanges = new Map<ChangeMaterialRequest, string>();
  const touch = () => (state.updatedAt = nowIso());
  const cohorts = cohortsOfWindow(plan.registrationWindow, plan.cohortGranularity, plan.timeZone);
  state.cohorts = cohorts.map((c) => ({ key: c.key, status: 'pending' }));
  const children = new Map<string, ChildWorkflowHandle<typeof cohortWorkflow>>();

  const steerable = (action: string) => {
    if (TERMINAL_CAMPAIGN_PHASES.includes(state.phase))
      refuse('CampaignNotSteerable', `cannot ${action} a campaign that is ${state.phase}`);
  };
  let pauseSeq = 0; // orders pause/resume signals to the cohorts
  /** Workflow time at which the budget closed acquisition early; null while open or closed otherwise. */
  let acquisitionClosedAt: number | null = null;
  const signalCohorts = (resume: boolean) => {
    pauseSeq += 1;
    const seq = pauseSeq;
    for (const c of state.cohorts) {
      if (c.status !== 'running') continue;
      const handle = getExternalWorkflowHandle(cohortWorkflowId(campaignId, c.key));
      void handle.signal(setCohortPausedSignal, { paused: !resume, seq }).catch(() => undefined);
    }
  };

  setHandler(campaignStateQuery, () => state);
  setHandler(
    cancelCampaignUpdate,
    (req) => {
      state.cancelled = { by: req.actor, reason: req.reason ?? null, at: nowIso() };
      touch();
      return state;
    },
    {
      validator: (req) => {
        steerable('cancel');
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
      signalCohorts(false);
      touch();
      return state;
    },
    { validator: (req) => (steerable('pause'), validateActor(req)) },
  );
  setHandler(
    resumeCampaignUpdate,
    () => {
      state.paused = false;
      signalCohorts(true);
      touch();
      return state;
    },
    { validator: (req) => (steerable('resume'), validateActor(req)) },
  );
  setHandler(
    changeMaterialUpdate,
    async (req) => {
      materialChanges.push(req);
      // Answer once the new version is published and verified everywhere it belongs.
      await condition(() => !materialChanges.includes(req));
      const refused = refusedChanges.get(req);
      if (refused !== undefined) refuse('CampaignNotSteerable', refused);
      return state;
    },
    {
      validator: (req) => {
        steerable('change the material of');
        validateActor(req);
        if (!state.acquisitionOpen)
          refuse('CampaignNotSteerable', 'the material can only change while acquisition is open');
        if (!state.materialVersion?.some((m) => m.variantKey === req.variantKey)) {
          refuse('UnknownVariant', `variant ${req.variantKey} is not published by this campaign`);
        }
      },
    },
  );
  let rerunRequested = false;
  setHandler(
    rerunEvaluationUpdate,
    async () => {
      rerunRequested = true;
      // Answer with the outcome of the re-run, not with the request.
      await condition(() => !rerunRequested && state.phase !== 'evaluating');
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
  const pacingSteerable = (action: 'freeze' | 'unfreeze', req: SteeringRequest) => {
    steerable(`${action} the pacing of`);
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
  };
  setHandler(
    freezePacingUpdate,
    (req) => {
      state.pacing!.frozen = true;
      state.pacing!.frozenBy = { by: req.actor, reason: req.reason ?? null, at: nowIso() };
      touch();
      return state;
    },
    { validator: (req) => pacingSteerable('freeze', req) },
  );
  setHandler(
    unfreezePacingUpdate,
    () => {
      state.pacing!.frozen = false;
      state.pacing!.frozenBy = null;
      touch();
      return state;
    },
    { validator: (req) => pacingSteerable('unfreeze', req) },
  );
  // Launch approval: the validator refuses what may not happen (no audit entry survives a refusal, see
  // api/campaigns/steering.ts); the handler only records the decision, which the main flow acts on.
  const launchDecidable = (decision: 'approve' | 'reject', req: LaunchDecisionRequest) => {
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
    const author = input.approval!.author;
    if (req.actor === author.name || (author.principalId !== null && req.principalId === author.principalId))
      refuse(
        'ApprovalByAuthor',
        `${req.actor} created this campaign: another person must ${decision} its launch`,
      );
    if (decision === 'reject' && (typeof req.reason !== 'string' || req.reason.trim() === ''))
      refuse('InvalidSteering', 'a rejection needs a reason');
  };
  const decideLaunch = (decided: 'approved' | 'rejected', req: LaunchDecisionRequest) => {
    state.approval = {
      state: decided,
      by: req.actor,
      at: nowIso(),
      note: (decided === 'approved' ? req.note : req.reason) ?? null,
    };
    touch();
    return state;
  };
  setHandler(approveLaunchUpdate, (req) => decideLaunch('approved', req), {
    validator: (req) => launchDecidable('approve', req),
  });
  setHandler(rejectLaunchUpdate, (req) => decideLaunch('rejected', req), {
    validator: (req) => launchDecidable('reject', req),
  });
  setHandler(budgetExhaustedSignal, () => {
    budgetExhausted = true;
  });

  async function enter(phase: CampaignPhase): Promise<void> {
    state.phase = phase;
    touch();
    upsertSearchAttributes([{ key: CampaignStatusKey, value: phase }]);
    await recordCampaignPhase({ campaignId, phase });
  }

  const live = new Map<string, PlacementOutcome>(); // channelId → current placement
  const countPlacements = () => {
    state.placements.total = live.size + state.placements.failed;
    state.placements.verified = [...live.values()].filter((p) => p.status === 'verified').length;
  };

  /** Publishes targets in parallel; returns the failures (channel code → reason). */
  async function publishAll(
    targets: PublishTarget[],
    generation: number,
  ): Promise<{ target: PublishTarget; reason: string }[]> {
    const failures: { target: PublishTarget; reason: string }[] = [];
    await Promise.all(
      targets.map(async (target) => {
        try {
          live.set(target.channelId, await publishPlacement({ campaignId, target, generation }));
        } catch (err) {
          const reason =
            err instanceof Error
              ? err.cause instanceof Error
                ? err.cause.message
                : err.message
              : String(err);
          failures.push({ target, reason });
          await markPlacementFailed({ campaignId, target, error: reason });
        }
      }),
    );
    state.placements.failed += failures.length;
    countPlacements();
    return failures;
  }

  async function withdrawAll(): Promise<void> {
    const ids = await livePlacements({ campaignId });
    await Promise.all(ids.map((placementId) => withdrawPlacement({ placementId })));
    state.placements.withdrawn += ids.length;
    live.clear();
    countPlacements();
  }

  // 0. Launch approval (maker-checker). The wait is bounded by the registration window: acquisition
  // still ends at the window's end, so an approval late in the window buys only what is left of it, and
  // a window that ends while waiting ends the campaign `rejected` (approval `expired`), nothing published.
  if (input.approval?.required && patched('launch-approval')) {
    state.approval = { state: 'pending', by: null, at: null, note: null };
    await enter('awaiting_approval');
    const remaining = msUntil(plan.registrationWindow.end);
    if (remaining > 0) {
      await condition(() => state.approval!.state !== 'pending' || state.cancelled !== null, remaining);
    }
    if (state.cancelled) {
      state.acquisitionClosedReason = 'cancelled';
      await enter('cancelled');
      await condition(allHandlersFinished);
      return state;
    }
    if (state.approval.state === 'pending') {
      state.approval = { state: 'expired', by: null, at: nowIso(), note: null };
      touch();
    }
    await recordLaunchApproval({ campaignId, ...state.approval });
    if (state.approval.state !== 'approved') {
      state.acquisitionClosedReason =
        state.approval.state === 'expired' ? 'approval_expired' : 'launch_rejected';
      await enter('rejected');
      await condition(allHandlersFinished);
      return state;
    }
  }

  // 1. Publish.
  await enter('launching');
  const prepared = await preparePublishing({ campaignId });
  let targets = prepared.targets;
  state.materialVersion = dedupeVersions(targets);
  const failures = await publishAll(targets, 0);
  if (failures.length > 0) {
    const gap = failures.map((f) => `${f.target.channelCode}: ${f.reason}`).join('; ');
    if (plan.publishing.policy === 'all-or-nothing') {
      // The saga's compensation: take down what was published, then fail the launch with the reason.
      await enter('withdrawing');
      await withdrawAll();
      state.failure = `launch failed under all-or-nothing: ${gap}`;
      state.acquisitionClosedReason = 'launch_failed';
      await enter('failed');
      return state;
    }
    state.failure = `best-effort launch: ${failures.length} channel(s) without the material: ${gap}`;
  }

  // 3 (started now). Cohort workflows wait for their own steps; they outlive a continue-as-new-free
  // campaign history, which stays bounded: (window ÷ verifyEvery) timers + channels × publishes.
  const cohortScope = new CancellationScope();
  const cohortsDone = cohortScope.run(async () => {
    for (const cohort of cohorts) {
      const startPaused = state.paused;
      const startPausedSeq = pauseSeq;
      const handle = await startChild(cohortWorkflow, {
        workflowId: cohortWorkflowId(campaignId, cohort.key),
        args: [
          {
            campaignId,
            cohort,
            steps: plan.engagementPlan.steps,
            sendingHours: plan.sendingHours,
            timeZone: plan.timeZone,
            newCustomerPeriod: plan.newCustomerPeriod,
            startPaused,
            startPausedSeq,
          },
        ],
        parentClosePolicy: ParentClosePolicy.TERMINATE,
      });
      children.set(cohort.key, handle);
      const entry = state.cohorts.find((c) => c.key === cohort.key)!;
      entry.status = 'running';
      if (acquisitionClosedAt !== null && Date.parse(cohort.start) > acquisitionClosedAt) {
        void handle.signal(closeEmptyCohortSignal).catch(() => undefined);
      }
      // A pause or resume that arrived while this child was starting was not sent to it.
      if (pauseSeq !== startPausedSeq) {
        void handle
          .signal(setCohortPausedSignal, { paused: state.paused, seq: pauseSeq })
          .catch(() => undefined);
      }
    }
    await Promise.all(
      cohorts.map(async (cohort) => {
        const entry = state.cohorts.find((c) => c.key === cohort.key)!;
        try {
          await children.get(cohort.key)!.result();
          entry.status = 'completed';
        } catch (err) {
          entry.status = 'cancelled';
          if (!isCancellation(err) && !state.cancelled) throw err;
        }
      }),
    );
  });
  cohortsDone.catch(() => undefined); // observed below

  // 2. Acquire until the window ends, the budget is spent or an operator cancels.
  state.acquisitionOpen = true;
  await enter('acquiring');
  // Verification rounds are capped per window so that the history stays bounded however long the
  // window: a longer window is checked less often than verifyEvery asks, never more.
  const windowMs = Date.parse(plan.registrationWindow.end) - Date.parse(plan.registrationWindow.start);
  const verifyEveryMs = Math.max(
    durationMs(plan.publishing.verifyEvery),
    Math.ceil(windowMs / MAX_VERIFICATION_ROUNDS),
  );
  // Adaptive pacing: reviews at windowStart + n × reviewEvery (n = 1, 2, … inside the window). The count is
  // bounded at creation (MAX_PACING_REVIEWS), each one timer and one activity, so the history stays
  // bounded without continue-as-new (which would orphan the cohorts anyway).
  const pacing = plan.pacing?.mode === 'adaptive' && patched('adaptive-pacing') ? plan.pacing : null;
  const windowStartMs = Date.parse(plan.registrationWindow.start);
  const reviewMs = pacing ? reviewEveryMs(pacing, plan.cohortGranularity) : 0;
  const reviewIndexAt = (t: number) => Math.floor((t - windowStartMs) / reviewMs);
  let nextReviewAt = pacing ? windowStartMs + (Math.max(0, reviewIndexAt(workflowNow())) + 1) * reviewMs : 0;
  let nextVerifyAt = workflowNow() + verifyEveryMs;
  async function review(): Promise<void> {
    const at = workflowNow();
    const reviewIndex = reviewIndexAt(at);
    nextReviewAt = windowStartMs + (reviewIndex + 1) * reviewMs;
    try {
      const summary = await reviewPacing({
        campaignId,
        reviewIndex,
        asOf: new Date(at).toISOString(),
        frozen: state.pacing!.frozen,
        budgetMinor: plan.acquisitionBudgetMinor ?? 0,
        currency: plan.currency,
        floorShare: pacing!.floorShare ?? 0,
        earlyActivationWithinMs: earlyActivationWithinMs(pacing!, plan.newCustomerPeriod),
      });
      state.pacing!.reviews += 1;
      state.pacing!.lastReview = summary;
      state.pacing!.lastError = null;
    } catch (err) {
      // A review that could not run leaves the caps as they were: pacing is an optimisation, never a
      // reason for acquisition to stop. The next review tries again from the facts.
      state.pacing!.lastError = `review ${reviewIndex} failed: ${reasonOf(err)}`;
    }
    touch();
  }
  for (;;) {
    const remaining = msUntil(plan.registrationWindow.end);
    if (remaining <= 0 || state.cancelled || budgetExhausted) break;
    await condition(
      () => state.cancelled !== null || budgetExhausted || materialChanges.length > 0,
      pacing
        ? Math.max(1, Math.min(remaining, nextVerifyAt - workflowNow(), nextReviewAt - workflowNow()))
        : Math.min(remaining, verifyEveryMs),
    );
    if (state.cancelled || budgetExhausted) break;
    const change = materialChanges[0];
    if (change) {
      await republish(change);
      materialChanges.shift();
      continue;
    }
    if (msUntil(plan.registrationWindow.end) <= 0) break;
    if (pacing) {
      if (workflowNow() >= nextReviewAt) await review();
      if (workflowNow() < nextVerifyAt) continue;
      nextVerifyAt = workflowNow() + verifyEveryMs;
    }
    const { drifted } = await verifyPlacements({ campaignId });
    state.placements.drifted += drifted.length;
    if (drifted.length > 0) {
      // Repair: publish the expected version again under a new idempotency generation.
      const repair = targets.filter((t) => drifted.some((d) => d.channelId === t.channelId));
      await publishAll(repair, workflowNow());
    }
  }
  state.acquisitionOpen = false;
  state.acquisitionClosedReason = state.cancelled
    ? 'cancelled'
    : budgetExhausted
      ? 'budget_exhausted'
      : 'window_ended';
  // A material change accepted while acquisition was open, still queued when it closed (the window
  // ended or a cancel arrived in the same moment), is refused with the reason instead of leaving its
  // caller waiting until the workflow ends; and the workflow answers every handler before it returns.
  const answerHandlers = patched('refuse-queued-material-changes');
  if (answerHandlers) {
    for (const change of materialChanges.splice(0)) {
      refusedChanges.set(
        change,
        `acquisition closed (${state.acquisitionClosedReason}) before the material change was published`,
      );
    }
  }
  if (budgetExhausted && !state.cancelled) {
    // Nobody can join a cohort that begins after acquisition closed: tell those cohorts, so the
    // campaign need not wait out their steps and periods (each checks it really has no members).
    // Cohorts still being started are told as they start (see the start loop).
    acquisitionClosedAt = workflowNow();
    for (const cohort of cohorts) {
      if (Date.parse(cohort.start) <= acquisitionClosedAt) continue;
      await children
        .get(cohort.key)
        ?.signal(closeEmptyCohortSignal)
        .catch(() => undefined);
    }
  }

  async function republish(change: ChangeMaterialRequest): Promise<void> {
    const affected = targets.filter(
      (t) => t.variantKey === change.variantKey && t.materialVersionId !== change.materialVersionId,
    );
    const before = new Map(affected.map((t) => [t.channelId, live.get(t.channelId)]));
    const next = affected.map((t) => ({
      ...t,
      materialVersionId: change.materialVersionId,
      contentHash: change.contentHash,
    }));
    const failed = await publishAll(next, 0);
    const up = next.filter((n) => !failed.some((f) => f.target.channelId === n.channelId));
    // The old version comes down only where the new one is verified up.
    await Promise.all(
      up.map(async (n) => {
        const old = before.get(n.channelId);
        if (old) await withdrawPlacement({ placementId: old.placementId });
      }),
    );
    targets = targets.map((t) => up.find((n) => n.channelId === t.channelId) ?? t);
    state.materialVersion = dedupeVersions(targets);
  }

  // 3. Withdraw everywhere.
  await enter('withdrawing');
  await withdrawAll();

  if (state.cancelled) {
    cohortScope.cancel();
    await cohortsDone.catch(() => undefined);
    await enter('cancelled');
    if (answerHandlers) await condition(allHandlersFinished);
    return state;
  }

  // The new-customer period of every cohort. A cancel in the period ends the cohorts and the
  // campaign, unevaluated (before this patch it was answered and then ignored).
  await enter('in_period');
  const cancelInPeriod = patched('cancel-in-period');
  if (cancelInPeriod) {
    const settled = cohortsDone.then(
      () => 'done' as const,
      (err: unknown) => err,
    );
    let outcome: unknown;
    void settled.then((o) => (outcome = o));
    await condition(() => outcome !== undefined || state.cancelled !== null);
    if (state.cancelled) {
      cohortScope.cancel();
      await cohortsDone.catch(() => undefined);
      await enter('cancelled');
      await condition(allHandlersFinished);
      return state;
    }
    if (outcome !== 'done') throw outcome;
  } else {
    await cohortsDone;
  }

  // 4. Evaluate.
  await enter('evaluating');
  if (!patched('evaluation-failure-visible')) {
    const report = await evaluateCampaign({ campaignId, provisional: false });
    state.evaluationReportId = report.reportId;
    await enter('completed');
    return state;
  }
  // A failed evaluation never fails the workflow silently: the campaign shows `evaluation_failed`
  // with the reason (acquisition is long closed) and waits for an operator's re-run.
  for (;;) {
    try {
      const report = await evaluateCampaign({ campaignId, provisional: false });
      state.evaluationReportId = report.reportId;
      state.failure = null;
      break;
    } catch (err) {
      state.failure = `evaluation failed: ${reasonOf(err)}`;
      rerunRequested = false;
      await enter('evaluation_failed');
      await condition(() => rerunRequested || (cancelInPeriod && state.cancelled !== null));
      if (!rerunRequested && state.cancelled) {
        // The operator gave up on the evaluation: the campaign ends cancelled, its failure kept.
        await enter('cancelled');
        await condition(allHandlersFinished);
        return state;
      }
      state.failure = null;
      await enter('evaluating');
      rerunRequested = false;
    }
  }
  await enter('completed');
  if (answerHandlers) await condition(allHandlersFinished);
  return state;
}

function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error ? err.cause.message : err.message;
}

function dedupeVersions(targets: PublishTarget[]) {
  const seen = new Map<string, { variantKey: string; materialVersionId: string; contentHash: string }>();
  for (const t of targets)
    seen.set(t.materialVersionId, {
      variantKey: t.variantKey,
      materialVersionId: t.materialVersionId,
      contentHash: t.contentHash,
    });
  return [...seen.values()];
}
