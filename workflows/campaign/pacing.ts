// Adaptive pacing inside the registration window (plan.pacing.mode 'adaptive', patch 'adaptive-pacing'):
// reviews at windowStart + n × reviewEvery (n = 1, 2, … inside the window), each one timer and one
// activity that moves the channels' caps. The count is bounded at creation (MAX_PACING_REVIEWS), so the
// history stays bounded without continue-as-new (which would orphan the cohorts anyway).
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { CampaignPlan } from '../../domain/campaign-plan';
import { earlyActivationWithinMs, reviewEveryMs } from '../../domain/pacing-plan';
import { pacingReview } from '../activity-options';
import { workflowNow } from '../clock';
import type { CampaignState } from '../messages';
import { reasonOf, touch } from './state';

const { reviewPacing } = proxyActivities<Activities>(pacingReview);

export class PacingReviews {
  private readonly windowStartMs: number;
  private readonly reviewMs: number;
  /** Workflow time of the next review. */
  nextReviewAt: number;

  constructor(
    private readonly state: CampaignState,
    private readonly plan: CampaignPlan,
    private readonly pacing: NonNullable<CampaignPlan['pacing']>,
  ) {
    this.windowStartMs = Date.parse(plan.registrationWindow.start);
    this.reviewMs = reviewEveryMs(pacing, plan.cohortGranularity);
    this.nextReviewAt =
      this.windowStartMs + (Math.max(0, this.reviewIndexAt(workflowNow())) + 1) * this.reviewMs;
  }

  private reviewIndexAt(t: number): number {
    return Math.floor((t - this.windowStartMs) / this.reviewMs);
  }

  async review(): Promise<void> {
    const { state, plan, pacing } = this;
    const at = workflowNow();
    const reviewIndex = this.reviewIndexAt(at);
    this.nextReviewAt = this.windowStartMs + (reviewIndex + 1) * this.reviewMs;
    try {
      const summary = await reviewPacing({
        campaignId: state.campaignId,
        reviewIndex,
        asOf: new Date(at).toISOString(),
        frozen: state.pacing!.frozen,
        budgetMinor: plan.acquisitionBudgetMinor ?? 0,
        currency: plan.currency,
        floorShare: pacing.floorShare ?? 0,
        earlyActivationWithinMs: earlyActivationWithinMs(pacing, plan.newCustomerPeriod),
      });
      state.pacing!.reviews += 1;
      state.pacing!.lastReview = summary;
      state.pacing!.lastError = null;
    } catch (err) {
      // A review that could not run leaves the caps as they were: pacing is an optimisation, never a
      // reason for acquisition to stop. The next review tries again from the facts.
      state.pacing!.lastError = `review ${reviewIndex} failed: ${reasonOf(err)}`;
    }
    touch(state);
  }
}
