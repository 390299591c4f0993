// The phases of the campaign workflow that run while nothing else issues commands: the launch approval
// and publishing (before any cohort is started) and the evaluation (after every cohort has ended). Their
// steps are the ones workflows/campaign.ts ran inline before, in the same order. The phases in between
// (acquisition, withdrawal, the new-customer period) stay in campaign.ts itself: there the cohort
// children are being started concurrently, and an extra `await` boundary would move the main flow's
// commands one microtask later than in the histories of running campaigns (see docs/architecture.md).
import { allHandlersFinished, condition, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { CampaignPlan } from '../../domain/campaign-plan';
import { dbWrite, evaluation } from '../activity-options';
import { msUntil } from '../clock';
import type { CampaignState } from '../messages';
import type { CampaignSteering } from './handlers';
import type { Placements } from './placements';
import { enter, nowIso, reasonOf, touch } from './state';

const { recordLaunchApproval, preparePublishing } = proxyActivities<Activities>(dbWrite);
const { evaluateCampaign } = proxyActivities<Activities>(evaluation);

/**
 * Launch approval (maker-checker): waits in `awaiting_approval` for another person's decision or a cancel.
 * The wait is bounded by the registration window: acquisition still ends at the window's end, so an
 * approval late in the window buys only what is left of it, and a window that ends while waiting ends the
 * campaign `rejected` (approval `expired`), nothing published. Answers whether the launch may go on; when
 * not, the campaign has ended (`cancelled` or `rejected`) and every handler has been answered.
 */
export async function awaitLaunchDecision(state: CampaignState, plan: CampaignPlan): Promise<boolean> {
  state.approval = { state: 'pending', by: null, at: null, note: null };
  await enter(state, 'awaiting_approval');
  const remaining = msUntil(plan.registrationWindow.end);
  if (remaining > 0) {
    await condition(() => state.approval!.state !== 'pending' || state.cancelled !== null, remaining);
  }
  if (state.cancelled) {
    state.acquisitionClosedReason = 'cancelled';
    await enter(state, 'cancelled');
    await condition(allHandlersFinished);
    return false;
  }
  if (state.approval.state === 'pending') {
    state.approval = { state: 'expired', by: null, at: nowIso(), note: null };
    touch(state);
  }
  await recordLaunchApproval({ campaignId: state.campaignId, ...state.approval });
  if (state.approval.state !== 'approved') {
    state.acquisitionClosedReason =
      state.approval.state === 'expired' ? 'approval_expired' : 'launch_rejected';
    await enter(state, 'rejected');
    await condition(allHandlersFinished);
    return false;
  }
  return true;
}

/**
 * Publishes the same material version to every chosen channel in parallel, each verified by read-back. A
 * channel that keeps failing triggers the policy: all-or-nothing withdraws everything published (the
 * saga's compensation) and ends the campaign `failed` (answers false); best-effort goes on and reports the
 * gap in `state.failure`.
 */
export async function publish(
  state: CampaignState,
  plan: CampaignPlan,
  placements: Placements,
): Promise<boolean> {
  await enter(state, 'launching');
  const prepared = await preparePublishing({ campaignId: state.campaignId });
  placements.prepared(prepared.targets);
  const failures = await placements.publishAll(placements.targets, 0);
  if (failures.length > 0) {
    const gap = failures.map((f) => `${f.target.channelCode}: ${f.reason}`).join('; ');
    if (plan.publishing.policy === 'all-or-nothing') {
      // The saga's compensation: take down what was published, then fail the launch with the reason.
      await enter(state, 'withdrawing');
      await placements.withdrawAll();
      state.failure = `launch failed under all-or-nothing: ${gap}`;
      state.acquisitionClosedReason = 'launch_failed';
      await enter(state, 'failed');
      return false;
    }
    state.failure = `best-effort launch: ${failures.length} channel(s) without the material: ${gap}`;
  }
  return true;
}

/**
 * Evaluates until a report is stored (patch 'evaluation-failure-visible'). A failed evaluation never fails
 * the workflow silently: the campaign shows `evaluation_failed` with the reason (acquisition is long closed)
 * and waits for an operator's re-run — or, with patch 'cancel-in-period' taken, a cancel, which ends it
 * `cancelled` with the failure kept. Answers 'evaluated' or 'cancelled' (then every handler was answered).
 */
export async function evaluateUntilStored(
  state: CampaignState,
  steering: CampaignSteering,
  cancelInPeriod: boolean,
): Promise<'evaluated' | 'cancelled'> {
  for (;;) {
    try {
      const report = await evaluateCampaign({ campaignId: state.campaignId, provisional: false });
      state.evaluationReportId = report.reportId;
      state.failure = null;
      return 'evaluated';
    } catch (err) {
      state.failure = `evaluation failed: ${reasonOf(err)}`;
      steering.rerunRequested = false;
      await enter(state, 'evaluation_failed');
      await condition(() => steering.rerunRequested || (cancelInPeriod && state.cancelled !== null));
      if (!steering.rerunRequested && state.cancelled) {
        // The operator gave up on the evaluation: the campaign ends cancelled, its failure kept.
        await enter(state, 'cancelled');
        await condition(allHandlersFinished);
        return 'cancelled';
      }
      state.failure = null;
      await enter(state, 'evaluating');
      steering.rerunRequested = false;
    }
  }
}
