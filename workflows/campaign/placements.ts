// The campaign's live placements: what is published where, publishing in parallel, withdrawing everything,
// repairing drift and republishing a material change. The counts in the state follow every move.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { PlacementOutcome, PublishTarget } from '../../activities/publishing';
import { channelCall, channelWithdraw, dbWrite } from '../activity-options';
import type { CampaignState, ChangeMaterialRequest } from '../messages';
import { dedupeVersions } from './state';

const { markPlacementFailed, livePlacements } = proxyActivities<Activities>(dbWrite);
const { publishPlacement } = proxyActivities<Activities>(channelCall);
const { withdrawPlacement } = proxyActivities<Activities>(channelWithdraw);

export interface PublishFailure {
  target: PublishTarget;
  reason: string;
}

export class Placements {
  /** channelId → current placement */
  private readonly live = new Map<string, PlacementOutcome>();
  /** What each channel should show: the prepared targets, moved on by material changes. */
  targets: PublishTarget[] = [];

  constructor(
    private readonly campaignId: string,
    private readonly state: CampaignState,
  ) {}

  private count(): void {
    this.state.placements.total = this.live.size + this.state.placements.failed;
    this.state.placements.verified = [...this.live.values()].filter((p) => p.status === 'verified').length;
  }

  /** The prepared targets become what every channel should show. */
  prepared(targets: PublishTarget[]): void {
    this.targets = targets;
    this.state.materialVersion = dedupeVersions(targets);
  }

  /** Publishes targets in parallel; returns the failures (channel code → reason). */
  async publishAll(targets: PublishTarget[], generation: number): Promise<PublishFailure[]> {
    const { campaignId } = this;
    const failures: PublishFailure[] = [];
    await Promise.all(
      targets.map(async (target) => {
        try {
          this.live.set(target.channelId, await publishPlacement({ campaignId, target, generation }));
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
    this.state.placements.failed += failures.length;
    this.count();
    return failures;
  }

  async withdrawAll(): Promise<void> {
    const ids = await livePlacements({ campaignId: this.campaignId });
    await Promise.all(ids.map((placementId) => withdrawPlacement({ placementId })));
    this.state.placements.withdrawn += ids.length;
    this.live.clear();
    this.count();
  }

  /** The targets of the channels a read-back found drifted: what they should show again. */
  driftedTargets(drifted: readonly { channelId: string }[]): PublishTarget[] {
    return this.targets.filter((t) => drifted.some((d) => d.channelId === t.channelId));
  }

  /** Publishes a material change where its variant shows; the old version comes down only where the new one is up. */
  async republish(change: ChangeMaterialRequest): Promise<void> {
    const affected = this.targets.filter(
      (t) => t.variantKey === change.variantKey && t.materialVersionId !== change.materialVersionId,
    );
    const before = new Map(affected.map((t) => [t.channelId, this.live.get(t.channelId)]));
    const next = affected.map((t) => ({
      ...t,
      materialVersionId: change.materialVersionId,
      contentHash: change.contentHash,
    }));
    const failed = await this.publishAll(next, 0);
    const up = next.filter((n) => !failed.some((f) => f.target.channelId === n.channelId));
    // The old version comes down only where the new one is verified up.
    await Promise.all(
      up.map(async (n) => {
        const old = before.get(n.channelId);
        if (old) await withdrawPlacement({ placementId: old.placementId });
      }),
    );
    this.targets = this.targets.map((t) => up.find((n) => n.channelId === t.channelId) ?? t);
    this.state.materialVersion = dedupeVersions(this.targets);
  }
}
