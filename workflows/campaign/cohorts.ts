// The campaign's cohort children: one child workflow per registration cohort, each running its cohort's
// steps and new-customer period (workflows/cohort.ts). They run in a scope of their own so that a cancel
// can end them all. Histories before the patch 'start-cohorts-as-they-begin' started every cohort of the
// window at once, after publishing; since, each cohort is started when it begins, and a cohort that would
// begin after acquisition closed early (the budget) is never started at all: the workflows, the
// campaign's history and what a worker replays grow with the cohorts that had customers, not with the
// window's length (a 1,000,000-registration bench started 1,001 workflows for ~12 cohorts with members).
import {
  CancellationScope,
  ParentClosePolicy,
  condition,
  isCancellation,
  startChild,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import { MAX_CLOCK_SKEW_MS } from '../../domain/clock-skew';
import type { Cohort } from '../../domain/cohort';
import { msUntil } from '../clock';
import { cohortWorkflow, type CohortWorkflowInput } from '../cohort';
import { cohortWorkflowId } from '../ids';
import { closeEmptyCohortSignal, setCohortPausedSignal, type CampaignState } from '../messages';
import type { CampaignSteering } from './handlers';
import { cohortSignalFailed, type CampaignWorkflowInput } from './state';

export class CohortChildren {
  private readonly children = new Map<string, ChildWorkflowHandle<typeof cohortWorkflow>>();
  private readonly scope = new CancellationScope();
  /** Workflow time at which the budget closed acquisition early; null while open or closed otherwise. */
  closedEarlyAt: number | null = null;

  constructor(
    private readonly input: CampaignWorkflowInput,
    readonly cohorts: readonly Cohort[],
    private readonly state: CampaignState,
    private readonly steering: CampaignSteering,
  ) {}

  /** The started child of a cohort (undefined until it has started). */
  child(key: string): ChildWorkflowHandle<typeof cohortWorkflow> | undefined {
    return this.children.get(key);
  }

  /**
   * Starts the children and answers, at once, the promise of their end: it settles when every child
   * started has ended (a child that failed, other than by a cancel, rejects it). Not async on purpose: the
   * first start is issued in the caller's own step, as it always was. `asTheyBegin` (patch
   * 'start-cohorts-as-they-begin', asked for in workflows/campaign.ts): each cohort when it begins, none
   * after an early close; otherwise every cohort at once, one after the other, as older histories have it.
   */
  start(asTheyBegin: boolean): Promise<void> {
    const done = this.scope.run(() => (asTheyBegin ? this.startAsTheyBegin() : this.startAllAtOnce()));
    done.catch(() => undefined); // observed by the caller
    return done;
  }

  /** Cancels every child (and a start still under way). */
  cancel(): void {
    this.scope.cancel();
  }

  /**
   * Each cohort is started when it begins, or at once when acquisition closes early. A cohort that would
   * begin more than MAX_CLOCK_SKEW_MS after the early close is never started (status 'skipped'): every
   * registration accepted before the close was dated at most that far ahead of the clock, and none is
   * accepted after it, so it has no members. Those beginning within that margin are started and told
   * closeEmptyCohort, as before: each checks that it really has no members.
   */
  private async startAsTheyBegin(): Promise<void> {
    const { cohorts, state } = this;
    const ends: Promise<void>[] = [];
    const failures: unknown[] = [];
    const markPending = (status: 'skipped' | 'cancelled') => {
      for (const entry of state.cohorts) if (entry.status === 'pending') entry.status = status;
    };
    let cancelled: unknown = null;
    try {
      for (const cohort of cohorts) {
        if (this.closedEarlyAt === null && msUntil(cohort.start) > 0)
          await condition(() => this.closedEarlyAt !== null, msUntil(cohort.start));
        if (
          this.closedEarlyAt !== null &&
          Date.parse(cohort.start) > this.closedEarlyAt + MAX_CLOCK_SKEW_MS
        ) {
          markPending('skipped');
          break;
        }
        const { options, startPausedSeq } = this.startOptions(cohort);
        const handle = await startChild(cohortWorkflow, options);
        this.started(cohort, handle, startPausedSeq);
        // Watched from its start, so that a child failing while later ones wait to begin is no unhandled
        // rejection; the first failure is what the campaign's wait for its cohorts rejects with.
        ends.push(this.watch(cohort, handle).catch((error: unknown) => void failures.push(error)));
      }
    } catch (err) {
      // A cancel while a cohort waits to begin: the ones not started never will be; the started ones are
      // being cancelled with the scope, and their ends are awaited as the older path awaits them.
      if (!isCancellation(err)) throw err;
      markPending('cancelled');
      cancelled = err;
    }
    await Promise.all(ends);
    if (cancelled !== null) throw cancelled;
    if (failures.length > 0) throw failures[0];
  }

  private async startAllAtOnce(): Promise<void> {
    const { cohorts } = this;
    for (const cohort of cohorts) {
      const { options, startPausedSeq } = this.startOptions(cohort);
      const handle = await startChild(cohortWorkflow, options);
      this.started(cohort, handle, startPausedSeq);
    }
    await Promise.all(cohorts.map((cohort) => this.watch(cohort, this.children.get(cohort.key)!)));
  }

  /**
   * What a cohort's child is started with: the campaign's pause state now (a pause or resume that arrives
   * while it starts is sent to it by `started`). Synchronous, and so is `started`: the older path's loop
   * awaits `startChild` itself, inline, since the recorded histories interleave its commands with the
   * campaign's own flow microtask by microtask.
   */
  private startOptions(cohort: Cohort) {
    const { campaignId, plan } = this.input;
    const startPaused = this.state.paused;
    const startPausedSeq = this.steering.pauseSeq;
    return {
      startPausedSeq,
      options: {
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
        ] as [CohortWorkflowInput],
        parentClosePolicy: ParentClosePolicy.TERMINATE,
      },
    };
  }

  /** A child has started: its entry runs, and it is told what it missed while starting. */
  private started(
    cohort: Cohort,
    handle: ChildWorkflowHandle<typeof cohortWorkflow>,
    startPausedSeq: number,
  ): void {
    const { campaignId } = this.input;
    const { state, steering } = this;
    this.children.set(cohort.key, handle);
    const entry = state.cohorts.find((c) => c.key === cohort.key)!;
    entry.status = 'running';
    if (this.closedEarlyAt !== null && Date.parse(cohort.start) > this.closedEarlyAt) {
      void handle
        .signal(closeEmptyCohortSignal)
        .catch(cohortSignalFailed(campaignId, cohort.key, closeEmptyCohortSignal.name));
    }
    // A pause or resume that arrived while this child was starting was not sent to it.
    if (steering.pauseSeq !== startPausedSeq) {
      void handle
        .signal(setCohortPausedSignal, { paused: state.paused, seq: steering.pauseSeq })
        .catch(cohortSignalFailed(campaignId, cohort.key, setCohortPausedSignal.name));
    }
  }

  /** The end of one started child: its entry's status, and a rejection if it failed other than by a cancel. */
  private async watch(cohort: Cohort, handle: ChildWorkflowHandle<typeof cohortWorkflow>): Promise<void> {
    const entry = this.state.cohorts.find((c) => c.key === cohort.key)!;
    try {
      await handle.result();
      entry.status = 'completed';
    } catch (err) {
      entry.status = 'cancelled';
      if (!isCancellation(err) && !this.state.cancelled) throw err;
    }
  }
}
