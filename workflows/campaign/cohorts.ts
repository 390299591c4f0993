// The campaign's cohort children: one child workflow per registration cohort, started after publishing,
// each running its cohort's steps and new-customer period (workflows/cohort.ts). They run in a scope of
// their own so that a cancel can end them all.
import {
  CancellationScope,
  ParentClosePolicy,
  isCancellation,
  startChild,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { Cohort } from '../../domain/cohort';
import { cohortWorkflow } from '../cohort';
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
   * Starts the children one after the other and answers, at once, the promise of their end: it settles
   * when every child has ended (a child that failed, other than by a cancel, rejects it). Not async on
   * purpose: the first start is issued in the caller's own step, as it always was.
   */
  start(): Promise<void> {
    const { campaignId, plan } = this.input;
    const { cohorts, state, steering } = this;
    const done = this.scope.run(async () => {
      for (const cohort of cohorts) {
        const startPaused = state.paused;
        const startPausedSeq = steering.pauseSeq;
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
      await Promise.all(
        cohorts.map(async (cohort) => {
          const entry = state.cohorts.find((c) => c.key === cohort.key)!;
          try {
            await this.children.get(cohort.key)!.result();
            entry.status = 'completed';
          } catch (err) {
            entry.status = 'cancelled';
            if (!isCancellation(err) && !state.cancelled) throw err;
          }
        }),
      );
    });
    done.catch(() => undefined); // observed by the caller
    return done;
  }

  /** Cancels every child (and a start still under way). */
  cancel(): void {
    this.scope.cancel();
  }
}
