// The campaign workflow: one per campaign (id derived from the campaign id). It owns the campaign's
// process while the facts live in PostgreSQL, written by activities. This file is the story of its phases:
//   0. with launch approval (input.approval, decided at creation; patch 'launch-approval'): wait in
//      `awaiting_approval` until another person than the author approves; a rejection, or a window that
//      ends first, ends the campaign `rejected` with nothing published;
//   1. publish the same material version to every chosen channel in parallel and verify each by
//      read-back; a channel that keeps failing triggers the policy (all-or-nothing: withdraw
//      everything published — a saga — and fail; best-effort: go on and report the gap);
//   2. keep the registration window open (a durable timer) until its end, the budget cap or a
//      cancel; verify placements periodically (drift → republish) and republish on a material change;
//      with adaptive pacing (plan.pacing.mode 'adaptive', patch 'adaptive-pacing') also run a pacing
//      review every plan.pacing.reviewEvery;
//   3. run each registration cohort's new-customer period (child workflows, each started when its cohort
//      begins — patch 'start-cohorts-as-they-begin' — none for a cohort beginning after an early close);
//      withdraw every placement when acquisition closes;
//   4. when the last cohort's period has ended, compute and store the evaluation.
// The parts live in workflows/campaign/: the state and phase entry (state.ts), the steering handlers and
// their validators (handlers.ts), the live placements (placements.ts), the cohort children (cohorts.ts),
// pacing reviews (pacing.ts), and the phases before the cohorts start and after they end (phases.ts).
// Every patched() id is asked for here, at the point of the story it versions.
import { allHandlersFinished, condition, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { MAX_VERIFICATION_ROUNDS } from '../domain/campaign-plan';
import { durationMs } from '../domain/duration';
import { cohortsOfWindow } from '../domain/cohort';
import { channelCall, evaluation } from './activity-options';
import { msUntil, workflowNow } from './clock';
import { closeEmptyCohortSignal, type CampaignState } from './messages';
import { CohortChildren } from './campaign/cohorts';
import { CampaignSteering } from './campaign/handlers';
import { PacingReviews } from './campaign/pacing';
import { awaitLaunchDecision, evaluateUntilStored, publish } from './campaign/phases';
import { Placements } from './campaign/placements';
import { cohortSignalFailed, enter, initialState, type CampaignWorkflowInput } from './campaign/state';

export type { CampaignWorkflowInput } from './campaign/state';

const { verifyPlacements } = proxyActivities<Activities>(channelCall);
const { evaluateCampaign } = proxyActivities<Activities>(evaluation);

export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<CampaignState> {
  const { plan } = input;
  const cohortList = cohortsOfWindow(plan.registrationWindow, plan.cohortGranularity, plan.timeZone);
  const state = initialState(input, cohortList);
  const steering = new CampaignSteering(input, state);
  steering.install();
  const placements = new Placements(input.campaignId, state);
  const cohorts = new CohortChildren(input, cohortList, state, steering);

  // 0. Launch approval (maker-checker).
  if (input.approval?.required && patched('launch-approval')) {
    if (!(await awaitLaunchDecision(state, plan))) return state;
  }

  // 1. Publish.
  if (!(await publish(state, plan, placements))) return state;

  // 3 (started now). Cohort workflows wait for their own steps; they outlive a continue-as-new-free
  // campaign history, which stays bounded: (window ÷ verifyEvery) timers + channels × publishes, and,
  // since 'start-cohorts-as-they-begin', the cohorts that began before acquisition closed (each is started
  // when it begins; before the patch every cohort of the window was started here at once).
  const cohortsDone = cohorts.start(patched('start-cohorts-as-they-begin'));

  // 2. Acquire until the window ends, the budget is spent or an operator cancels. From here until the
  // cohorts have ended, the children are started concurrently with this flow, so its awaits stay here,
  // inline, exactly as the recorded histories have them (see workflows/campaign/phases.ts).
  state.acquisitionOpen = true;
  await enter(state, 'acquiring');
  // Verification rounds are capped per window so that the history stays bounded however long the
  // window: a longer window is checked less often than verifyEvery asks, never more.
  const windowMs = Date.parse(plan.registrationWindow.end) - Date.parse(plan.registrationWindow.start);
  const verifyEveryMs = Math.max(
    durationMs(plan.publishing.verifyEvery),
    Math.ceil(windowMs / MAX_VERIFICATION_ROUNDS),
  );
  const pacing =
    plan.pacing?.mode === 'adaptive' && patched('adaptive-pacing')
      ? new PacingReviews(state, plan, plan.pacing)
      : null;
  let nextVerifyAt = workflowNow() + verifyEveryMs;
  for (;;) {
    const remaining = msUntil(plan.registrationWindow.end);
    if (remaining <= 0 || state.cancelled || steering.budgetExhausted) break;
    await condition(
      () => state.cancelled !== null || steering.budgetExhausted || steering.materialChanges.length > 0,
      pacing
        ? Math.max(1, Math.min(remaining, nextVerifyAt - workflowNow(), pacing.nextReviewAt - workflowNow()))
        : Math.min(remaining, verifyEveryMs),
    );
    if (state.cancelled || steering.budgetExhausted) break;
    const change = steering.materialChanges[0];
    if (change) {
      await placements.republish(change);
      steering.materialChanges.shift();
      continue;
    }
    if (msUntil(plan.registrationWindow.end) <= 0) break;
    if (pacing) {
      if (workflowNow() >= pacing.nextReviewAt) await pacing.review();
      if (workflowNow() < nextVerifyAt) continue;
      nextVerifyAt = workflowNow() + verifyEveryMs;
    }
    const { drifted } = await verifyPlacements({ campaignId: input.campaignId });
    state.placements.drifted += drifted.length;
    if (drifted.length > 0) {
      // Repair: publish the expected version again under a new idempotency generation.
      await placements.publishAll(placements.driftedTargets(drifted), workflowNow());
    }
  }
  state.acquisitionOpen = false;
  state.acquisitionClosedReason = state.cancelled
    ? 'cancelled'
    : steering.budgetExhausted
      ? 'budget_exhausted'
      : 'window_ended';
  // A material change accepted while acquisition was open, still queued when it closed (the window
  // ended or a cancel arrived in the same moment), is refused with the reason instead of leaving its
  // caller waiting until the workflow ends; and the workflow answers every handler before it returns.
  const answerHandlers = patched('refuse-queued-material-changes');
  if (answerHandlers) steering.refuseQueuedChanges(state.acquisitionClosedReason);
  if (steering.budgetExhausted && !state.cancelled) {
    // Nobody can join a cohort that begins after acquisition closed: tell those cohorts, so the
    // campaign need not wait out their steps and periods (each checks it really has no members).
    // Cohorts still being started are told as they start (see CohortChildren.start).
    cohorts.closedEarlyAt = workflowNow();
    // Only histories before 'start-cohorts-as-they-begin' have such children here; since, a cohort
    // started after the close is told by CohortChildren itself, and none starts before it begins.
    for (const cohort of cohortList) {
      if (Date.parse(cohort.start) <= cohorts.closedEarlyAt) continue;
      await cohorts
        .child(cohort.key)
        ?.signal(closeEmptyCohortSignal)
        .catch(cohortSignalFailed(input.campaignId, cohort.key, closeEmptyCohortSignal.name));
    }
  }

  // 3. Withdraw everywhere.
  await enter(state, 'withdrawing');
  await placements.withdrawAll();

  if (state.cancelled) {
    cohorts.cancel();
    await cohortsDone.catch(() => undefined);
    await enter(state, 'cancelled');
    if (answerHandlers) await condition(allHandlersFinished);
    return state;
  }

  // The new-customer period of every cohort. A cancel in the period ends the cohorts and the
  // campaign, unevaluated (before this patch it was answered and then ignored).
  await enter(state, 'in_period');
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
      cohorts.cancel();
      await cohortsDone.catch(() => undefined);
      await enter(state, 'cancelled');
      await condition(allHandlersFinished);
      return state;
    }
    if (outcome !== 'done') throw outcome;
  } else {
    await cohortsDone;
  }

  // 4. Evaluate. Every cohort has ended: from here on only this flow issues commands.
  await enter(state, 'evaluating');
  if (!patched('evaluation-failure-visible')) {
    const report = await evaluateCampaign({ campaignId: input.campaignId, provisional: false });
    state.evaluationReportId = report.reportId;
    await enter(state, 'completed');
    return state;
  }
  if ((await evaluateUntilStored(state, steering, cancelInPeriod)) === 'cancelled') return state;
  await enter(state, 'completed');
  if (answerHandlers) await condition(allHandlersFinished);
  return state;
}
