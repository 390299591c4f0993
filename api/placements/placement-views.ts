// What the placement routes answer (api/placements/routes.ts): the consistency report of a campaign
// (per channel, the material version expected against the content observed), the reply of a material
// change, and the offline tasks branch staff acknowledge. The response schemas are declared here and
// type the builders; the OpenAPI document (api/openapi/placements.ts) imports them.
import { z } from 'zod';
import type {
  CampaignChannel,
  Channel,
  MaterialVersion,
  OfflineTask,
  Placement,
} from '../../generated/prisma/client';
import type { PlacementStatus } from '../../domain/placement-status';
import { CampaignStateSchema, type CampaignState } from '../../workflows/messages';
import { NullableTimestamp, Timestamp, Uuid } from '../openapi/common';

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

export const ConsistencyRowSchema = z.object({
  channelCode: z.string(),
  channelName: z.string(),
  channelKind: z.string(),
  variantKey: z.string().nullable(),
  expected: z.object({ materialVersionId: Uuid, version: z.int(), contentHash: z.string() }).nullable(),
  observedHash: z.string().nullable(),
  consistent: z.boolean(),
  status: z.string().meta({
    description: "The current placement's status (domain/placement-status.ts), or not_published",
  }),
  error: z.string().nullable(),
  attempts: z.int(),
  placementId: z.string().nullable(),
  publishedAt: NullableTimestamp,
  verifiedAt: NullableTimestamp,
  lastCheckedAt: NullableTimestamp,
  withdrawnAt: NullableTimestamp,
  targeting: z
    .unknown()
    .meta({ description: "Why the channel got its variant (the allocation's stored explanation)" }),
  history: z.array(
    z.object({
      placementId: z.string(),
      materialVersionId: z.string(),
      status: z.string(),
      publishedAt: NullableTimestamp,
      withdrawnAt: NullableTimestamp,
    }),
  ),
});
export type ConsistencyRow = z.infer<typeof ConsistencyRowSchema>;

/** GET /campaigns/:id/placements. */
export const ConsistencyReportSchema = z.object({
  campaignId: Uuid,
  channels: z.int(),
  summary: z.record(z.string(), z.int()),
  sameContentPerVariant: z.record(z.string(), z.boolean()),
  rows: z.array(ConsistencyRowSchema),
});
export type ConsistencyReport = z.infer<typeof ConsistencyReportSchema>;

/** POST /campaigns/:id/material: the workflow's state once the new version is verified everywhere. */
export const MaterialChangeReplySchema = z.object({ campaignId: Uuid, state: CampaignStateSchema });
export type MaterialChangeReply = z.infer<typeof MaterialChangeReplySchema>;

export const OfflineTaskSchema = z.object({
  id: z.string(),
  placementId: z.string(),
  campaignId: Uuid,
  channelId: Uuid,
  action: z.enum(['publish', 'withdraw']),
  status: z.enum(['open', 'acknowledged']),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: NullableTimestamp,
  createdAt: Timestamp,
});
export type OfflineTaskView = z.infer<typeof OfflineTaskSchema>;
/** GET /offline-tasks (at most 500, oldest first). */
export const OfflineTaskListSchema = z.object({ items: z.array(OfflineTaskSchema) });

export function consistencyReport(
  campaignId: string,
  allocations: (CampaignChannel & { channel: Channel })[],
  placements: Placement[],
  versions: MaterialVersion[],
): ConsistencyReport {
  const versionOf = new Map(versions.map((v) => [v.id, v]));
  const rows = allocations
    .map((a): ConsistencyRow => {
      const history = placements.filter((p) => p.channelId === a.channelId);
      // The current placement: the newest one that is not superseded by a later version.
      const current = history[history.length - 1] ?? null;
      const expected = versionOf.get(current?.materialVersionId ?? a.materialVersionId ?? '');
      return {
        channelCode: a.channel.code,
        channelName: a.channel.name,
        channelKind: a.channel.kind,
        variantKey: current?.variantKey ?? a.variantKey,
        expected: expected
          ? { materialVersionId: expected.id, version: expected.version, contentHash: expected.contentHash }
          : null,
        observedHash: current?.observedHash ?? null,
        consistent: current
          ? current.observedHash === current.contentHash &&
            current.status === ('verified' satisfies PlacementStatus)
          : false,
        status: current?.status ?? 'not_published',
        error: current?.error ?? null,
        attempts: current?.attempts ?? 0,
        placementId: current?.id ?? null,
        publishedAt: iso(current?.publishedAt),
        verifiedAt: iso(current?.verifiedAt),
        lastCheckedAt: iso(current?.lastCheckedAt),
        withdrawnAt: iso(current?.withdrawnAt),
        targeting: a.explanation,
        history: history.map((p) => ({
          placementId: p.id,
          materialVersionId: p.materialVersionId,
          status: p.status,
          publishedAt: iso(p.publishedAt),
          withdrawnAt: iso(p.withdrawnAt),
        })),
      };
    })
    .sort((x, y) => x.channelCode.localeCompare(y.channelCode));
  const summary = rows.reduce<Record<string, number>>(
    (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
    {},
  );
  const live = rows.filter((r) => r.status === ('verified' satisfies PlacementStatus));
  return {
    campaignId,
    channels: rows.length,
    summary,
    // "Every channel shows the same content": one hash per variant across all verified channels.
    sameContentPerVariant: Object.fromEntries(
      [...new Set(live.map((r) => r.variantKey ?? ''))].map((k) => [
        k,
        new Set(live.filter((r) => r.variantKey === k).map((r) => r.observedHash)).size === 1,
      ]),
    ),
    rows,
  };
}

export function materialChangeReply(campaignId: string, state: CampaignState): MaterialChangeReply {
  return { campaignId, state };
}

export function offlineTaskView(task: OfflineTask): OfflineTaskView {
  return {
    id: task.id,
    placementId: task.placementId,
    campaignId: task.campaignId,
    channelId: task.channelId,
    // The columns hold only these values (activities/publishing.ts writes them, the route acknowledges).
    action: task.action as OfflineTaskView['action'],
    status: task.status as OfflineTaskView['status'],
    acknowledgedBy: task.acknowledgedBy,
    acknowledgedAt: iso(task.acknowledgedAt),
    createdAt: task.createdAt.toISOString(),
  };
}
