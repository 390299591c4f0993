// Publishing activities: put a material version on a channel and prove it by read-back, withdraw
// it, and check for drift. Every channel call carries an idempotency key derived from the
// placement, so a retried activity never creates a second placement on a channel.
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { ChannelError, type ChannelAdapter } from '../channels/adapter';
import { adapterFor } from '../channels/adapter-for';
import type { MaterialContent } from '../domain/material-content';
import type { CampaignPlan } from '../domain/campaign-plan';
import type { PlacementStatus } from '../domain/placement-status';
import { pgPoolOf } from '../db/client';
import type { ActivityDeps } from './deps';
import {
  placementFeeOf,
  recordAwaitingAcknowledgement,
  recordVerified,
  startPlacement,
} from './placement-sql';

export interface PublishTarget {
  channelId: string;
  channelCode: string;
  offline: boolean;
  variantKey: string;
  materialVersionId: string;
  contentHash: string;
}

export interface PlacementOutcome {
  placementId: string;
  channelId: string;
  channelCode: string;
  status: 'verified' | 'awaiting_acknowledgement';
}

export function placementIdFor(campaignId: string, channelId: string, materialVersionId: string): string {
  return `pl-${createHash('sha256').update(`${campaignId}|${channelId}|${materialVersionId}`).digest('hex').slice(0, 32)}`;
}

/** Maps a channel failure onto Temporal's retry semantics (4xx: do not retry). */
export function toFailure(err: unknown): unknown {
  if (err instanceof ChannelError) {
    return ApplicationFailure.create({ type: err.type, message: err.message, nonRetryable: !err.retryable });
  }
  return err;
}

function heartbeat(details: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // called outside an activity (unit tests): nothing to report to
  }
}

/** The running activity's cancellation signal; undefined outside an activity (unit tests). */
function activityCancellation(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}

export function createPublishingActivities({ db, clock, simulatorUrl }: ActivityDeps) {
  const pool = pgPoolOf(db);
  const adapterOf = (channel: { code: string; adapter: unknown }): ChannelAdapter | null =>
    adapterFor(channel, { simulatorUrl });

  return {
    async preparePublishing(input: { campaignId: string }) {
      const campaign = await db.campaign.findUniqueOrThrow({ where: { id: input.campaignId } });
      const plan = campaign.plan as unknown as CampaignPlan;
      const allocations = await db.campaignChannel.findMany({
        where: { campaignId: input.campaignId },
        include: { channel: true },
        orderBy: { channelId: 'asc' },
      });
      const versions = await db.materialVersion.findMany({
        where: { id: { in: allocations.map((a) => a.materialVersionId ?? '') } },
      });
      const hashOf = new Map(versions.map((v) => [v.id, v.contentHash]));
      const targets: PublishTarget[] = allocations.map((a) => ({
        channelId: a.channelId,
        channelCode: a.channel.code,
        offline: (a.channel.adapter as { type: string }).type === 'offline',
        variantKey: a.variantKey ?? 'default',
        materialVersionId: a.materialVersionId ?? '',
        contentHash: hashOf.get(a.materialVersionId ?? '') ?? '',
      }));
      return { targets, policy: plan.publishing.policy, verifyEvery: plan.publishing.verifyEvery };
    },

    async publishPlacement(input: {
      campaignId: string;
      target: PublishTarget;
      generation: number;
    }): Promise<PlacementOutcome> {
      const { campaignId, target } = input;
      // Two statements for a verified channel (activities/placement-sql.ts says why): 50 channels publish
      // at once, and every statement's CPU is spent on the worker's one thread — what bench:publish measures.
      const placementId = placementIdFor(campaignId, target.channelId, target.materialVersionId);
      const { version, channel } = await startPlacement(pool, {
        placementId,
        campaignId,
        channelId: target.channelId,
        materialVersionId: target.materialVersionId,
        variantKey: target.variantKey,
      });
      if (!version.approved) {
        // Financial marketing needs compliance sign-off: nothing unapproved reaches a channel.
        throw ApplicationFailure.create({
          type: 'MaterialNotApproved',
          message: `material version ${version.id} (variant ${target.variantKey} v${version.version}) is not approved`,
          nonRetryable: true,
        });
      }
      const adapter = adapterOf(channel);
      const now = clock.now();
      if (!adapter) {
        // Offline channels: staff put the material up and acknowledge the task through the API.
        await recordAwaitingAcknowledgement(pool, {
          placementId,
          campaignId,
          channelId: channel.id,
          publishedAt: now,
          fee: placementFeeOf(placementId, campaignId, channel, target.variantKey, clock.now()),
        });
        return {
          placementId,
          channelId: channel.id,
          channelCode: channel.code,
          status: 'awaiting_acknowledgement',
        };
      }
      try {
        const request = {
          channelCode: channel.code,
          placementId,
          campaignId,
          materialVersionId: version.id,
          contentHash: version.contentHash,
          content: version.content as MaterialContent,
        };
        const receipt = await adapter.publish({
          ...request,
          idempotencyKey: `${placementId}:publish:${input.generation}`,
        });
        heartbeat({ published: true });
        let observed = await adapter.readBack(channel.code, placementId);
        if (observed.present && observed.status === 'live' && observed.contentHash !== version.contentHash) {
          // The channel shows something else under our key: publish again under a repair key.
          const attempt = Context.current().info.attempt;
          await adapter.publish({
            ...request,
            idempotencyKey: `${placementId}:publish:${input.generation}:repair:${attempt}`,
          });
          observed = await adapter.readBack(channel.code, placementId);
        }
        if (!observed.present || observed.status !== 'live' || observed.contentHash !== version.contentHash) {
          await db.placement.update({
            where: { id: placementId },
            data: {
              observedHash: observed.contentHash ?? null,
              lastCheckedAt: clock.now(),
              error: 'read-back did not match',
            },
          });
          throw ApplicationFailure.create({
            type: 'VerificationFailed',
            message: `channel ${channel.code} does not show version ${version.id} after publishing (observed ${observed.contentHash ?? 'nothing'})`,
          });
        }
        const verifiedAt = clock.now();
        await recordVerified(pool, {
          placementId,
          observedHash: version.contentHash, // what the read-back showed (checked just above)
          externalRef: receipt.externalRef,
          publishedAt: new Date(receipt.publishedAt),
          verifiedAt,
          fee: placementFeeOf(placementId, campaignId, channel, target.variantKey, clock.now()),
        });
        return { placementId, channelId: channel.id, channelCode: channel.code, status: 'verified' };
      } catch (err) {
        throw toFailure(err);
      }
    },

    async markPlacementFailed(input: {
      campaignId: string;
      target: PublishTarget;
      error: string;
    }): Promise<void> {
      const placementId = placementIdFor(
        input.campaignId,
        input.target.channelId,
        input.target.materialVersionId,
      );
      await db.placement.updateMany({
        where: { id: placementId },
        data: { status: 'failed' satisfies PlacementStatus, error: input.error.slice(0, 1000) },
      });
    },

    async withdrawPlacement(input: {
      placementId: string;
    }): Promise<{ status: 'withdrawn' | 'withdrawal_requested' }> {
      const placement = await db.placement.findUniqueOrThrow({
        where: { id: input.placementId },
        include: { channel: true },
      });
      if (placement.status === ('withdrawn' satisfies PlacementStatus)) return { status: 'withdrawn' };
      const adapter = adapterOf(placement.channel);
      if (!adapter) {
        await db.offlineTask.createMany({
          data: [
            {
              id: `task-${placement.id}-withdraw`,
              placementId: placement.id,
              campaignId: placement.campaignId,
              channelId: placement.channelId,
              action: 'withdraw',
            },
          ],
          skipDuplicates: true,
        });
        await db.placement.update({
          where: { id: placement.id },
          data: { status: 'withdrawal_requested' satisfies PlacementStatus },
        });
        return { status: 'withdrawal_requested' };
      }
      try {
        await adapter.withdraw({
          idempotencyKey: `${placement.id}:withdraw`,
          channelCode: placement.channel.code,
          placementId: placement.id,
        });
        const observed = await adapter.readBack(placement.channel.code, placement.id);
        if (observed.present && observed.status === 'live') {
          throw ApplicationFailure.create({
            type: 'VerificationFailed',
            message: `channel ${placement.channel.code} still shows the placement`,
          });
        }
      } catch (err) {
        throw toFailure(err);
      }
      await db.placement.update({
        where: { id: placement.id },
        data: {
          status: 'withdrawn' satisfies PlacementStatus,
          withdrawnAt: clock.now(),
          lastCheckedAt: clock.now(),
        },
      });
      return { status: 'withdrawn' };
    },

    /** Reads back every live online placement; marks and returns the ones showing other content. */
    async verifyPlacements(input: { campaignId: string }) {
      const placements = await db.placement.findMany({
        where: {
          campaignId: input.campaignId,
          status: { in: ['verified', 'drifted'] satisfies PlacementStatus[] },
        },
        include: { channel: true },
      });
      const drifted: { placementId: string; channelId: string; observedHash: string | null }[] = [];
      const queue = [...placements];
      // A cancelled attempt (worker shutting down, campaign ended) stops taking placements, so the
      // worker drains within one channel call instead of reading back every remaining placement.
      const cancelled = () => activityCancellation()?.aborted === true;
      const worker = async () => {
        for (let p = queue.shift(); p && !cancelled(); p = queue.shift()) {
          const adapter = adapterOf(p.channel);
          if (!adapter) continue;
          const observed = await adapter.readBack(p.channel.code, p.id).catch((err: unknown) => {
            throw toFailure(err);
          });
          const ok = observed.present && observed.status === 'live' && observed.contentHash === p.contentHash;
          await db.placement.update({
            where: { id: p.id },
            data: {
              status: (ok ? 'verified' : 'drifted') satisfies PlacementStatus,
              observedHash: observed.contentHash ?? null,
              lastCheckedAt: clock.now(),
            },
          });
          if (!ok)
            drifted.push({
              placementId: p.id,
              channelId: p.channelId,
              observedHash: observed.contentHash ?? null,
            });
          heartbeat({ checked: placements.length - queue.length });
        }
      };
      await Promise.all(Array.from({ length: 10 }, worker));
      if (cancelled()) throw new CancelledFailure('verification cancelled');
      return { checked: placements.length, drifted };
    },

    /** Live placements of a campaign (for withdrawal at the end of the window or on cancel). */
    async livePlacements(input: { campaignId: string }): Promise<string[]> {
      const rows = await db.placement.findMany({
        where: {
          campaignId: input.campaignId,
          status: {
            notIn: ['withdrawn', 'failed', 'pending', 'withdrawal_requested'] satisfies PlacementStatus[],
          },
        },
        select: { id: true },
      });
      return rows.map((r) => r.id);
    },
  };
}
