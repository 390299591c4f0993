// A cohort's new-customer period: the education/engagement plan's steps at their offsets from the
// cohort's start, inside the allowed sending hours, each step one activity that pages through the
// cohort's customers in the database. Temporal work grows with cohorts × steps, not with customers.
// Pause stops sending (a running step is cancelled between pages and re-run on resume: its message
// ids make the re-run skip whoever already got the message); cancel ends the cohort. Members stored
// after the cohort closed (a late report, a retried batch) are signalled by ingest, and the steps that
// have already run are run again for them (same message ids: only the late members get a message).
import {
  CancellationScope,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { EngagementStep } from '../domain/engagement-plan';
import { nextAllowedInstant, stepDueAt } from '../funnel/schedule';
import { addDurationInZone } from '../domain/zoned-time';
import { cohortStep, dbWrite } from './activity-options';
import { msUntil, workflowNow } from './clock';
import {
  closeEmptyCohortSignal,
  cohortProgressQuery,
  lateMembersSignal,
  setCohortPausedSignal,
  type CohortProgress,
} from './messages';

export interface CohortWorkflowInput {
  campaignId: string;
  cohort: { key: string; start: string; end: string };
  steps: EngagementStep[];
  sendingHours: { start: string; end: string };
  timeZone: string;
  newCustomerPeriod: string;
  startPaused: boolean;
  /** The campaign's steering sequence number that `startPaused` reflects. */
  startPausedSeq?: number;
}

const { runCohortStep } = proxyActivities<Activities>(cohortStep);
const { recordCohortStatus, countCohortMembers } = proxyActivities<Activities>(dbWrite);

const iso = (ms: number) => new Date(ms).toISOString();

export async function cohortWorkflow(input: CohortWorkflowInput): Promise<CohortProgress> {
  const { campaignId, cohort } = input;
  let paused = input.startPaused;
  const progress: CohortProgress = { cohortKey: cohort.key, status: 'waiting', nextStep: null, steps: [] };
  let stepScope: CancellationScope | null = null;

  setHandler(cohortProgressQuery, () => ({
    ...progress,
    status: paused && progress.status !== 'completed' ? 'paused' : progress.status,
  }));
  let pauseSeq = input.startPausedSeq ?? 0;
  setHandler(setCohortPausedSignal, ({ paused: next, seq }) => {
    if (seq <= pauseSeq) return; // an older steering action, overtaken by a newer one
    pauseSeq = seq;
    paused = next;
    if (paused) stepScope?.cancel();
  });
  let closedEmpty = false;
  setHandler(closeEmptyCohortSignal, () => {
    closedEmpty = true;
  });
  // Late members: a registration stored into the cohort after it closed may have missed a step that
  // already ran. Versioned: histories from before this change never run a catch-up.
  const catchUp = patched('late-member-catch-up');
  const stepsRun: string[] = [];
  let lateMembers = false;
  setHandler(lateMembersSignal, () => {
    lateMembers = true;
  });
  const catchUpWanted = () => catchUp && lateMembers && !paused && stepsRun.length > 0;
  /** Runs every step already run again, inside the sending hours; a pause leaves it for after resume. */
  const runCatchUp = async () => {
    lateMembers = false;
    const before = progress.status;
    for (const stepId of [...stepsRun]) {
      if (paused) {
        lateMembers = true;
        return;
      }
      progress.status = 'sending';
      const scope = new CancellationScope();
      stepScope = scope;
      try {
        const result = await scope.run(() => runCohortStep({ campaignId, cohortKey: cohort.key, stepId }));
        const entry = progress.steps.find((s) => s.stepId === stepId);
        if (entry) {
          entry.delivered += result.delivered;
          entry.skipped = result.skipped;
        }
      } catch (err) {
        if (paused && isCancellation(err)) {
          lateMembers = true;
          return;
        }
        throw err;
      } finally {
        stepScope = null;
        progress.status = before;
      }
    }
  };

  /**
   * Sleeps like `sleep`, but wakes early when the cohort is closed empty (true if it was), and runs a
   * catch-up for late members whenever one is asked for while it sleeps.
   */
  let membersChecked = false;
  const wait = async (ms: number): Promise<boolean> => {
    const deadline = workflowNow() + ms;
    for (;;) {
      await condition(() => closedEmpty || catchUpWanted(), Math.max(0, deadline - workflowNow()));
      if (closedEmpty || !catchUpWanted()) break;
      const allowed = Date.parse(nextAllowedInstant(iso(workflowNow()), input.sendingHours, input.timeZone));
      if (allowed <= workflowNow()) {
        await runCatchUp();
        continue;
      }
      if (workflowNow() >= deadline) break;
      // Outside the sending hours: the catch-up waits for them (or for the end of this sleep).
      await condition(() => closedEmpty, Math.min(allowed, deadline) - workflowNow());
      if (closedEmpty) break;
    }
    if (!closedEmpty) return false;
    // Members could still exist (a registration stamped ahead of the server clock): check once,
    // and if there are any, carry on as planned.
    if (!membersChecked) {
      membersChecked = true;
      if ((await countCohortMembers({ campaignId, cohortKey: cohort.key })) > 0) {
        closedEmpty = false;
        await sleep(Math.max(0, deadline - workflowNow()));
        return false;
      }
    }
    return true;
  };

  try {
    await recordCohortStatus({
      campaignId,
      cohortKey: cohort.key,
      start: cohort.start,
      end: cohort.end,
      status: 'running',
    });
    for (const step of input.steps) {
      // A step never runs before its cohort has closed: later members would miss it.
      const planned = stepDueAt(cohort.start, step.offset, input.sendingHours, input.timeZone);
      const due = Math.max(Date.parse(planned), Date.parse(cohort.end));
      progress.nextStep = { stepId: step.id, dueAt: iso(due) };
      if (await wait(msUntil(iso(due)))) break;
      for (;;) {
        await condition(() => !paused);
        const allowed = Date.parse(
          nextAllowedInstant(iso(workflowNow()), input.sendingHours, input.timeZone),
        );
        if (allowed > workflowNow()) {
          progress.nextStep = { stepId: step.id, dueAt: iso(allowed) };
          if (await wait(allowed - workflowNow())) break;
          continue;
        }
        progress.status = 'sending';
        const scope = new CancellationScope();
        stepScope = scope;
        try {
          const result = await scope.run(() =>
            runCohortStep({ campaignId, cohortKey: cohort.key, stepId: step.id }),
          );
          progress.steps.push({
            stepId: step.id,
            delivered: result.delivered,
            skipped: result.skipped,
            finishedAt: iso(workflowNow()),
          });
          stepsRun.push(step.id);
          break;
        } catch (err) {
          // Paused mid-step: wait for resume and run the step again (idempotent by message id).
          if (paused && isCancellation(err)) continue;
          throw err;
        } finally {
          stepScope = null;
          progress.status = 'waiting';
        }
      }
    }
    progress.nextStep = null;
    progress.status = 'in_period';
    // The cohort's period ends when its last member's period ends.
    const periodEnd = addDurationInZone(Date.parse(cohort.end), input.newCustomerPeriod, input.timeZone);
    await wait(msUntil(iso(periodEnd)));
    progress.status = 'completed';
    await recordCohortStatus({
      campaignId,
      cohortKey: cohort.key,
      start: cohort.start,
      end: cohort.end,
      status: 'completed',
    });
    return progress;
  } catch (err) {
    if (isCancellation(err)) {
      progress.status = 'cancelled';
      await CancellationScope.nonCancellable(() =>
        recordCohortStatus({
          campaignId,
          cohortKey: cohort.key,
          start: cohort.start,
          end: cohort.end,
          status: 'cancelled',
        }),
      );
    }
    throw err;
  }
}
