// The placement-consistency report (one row per channel: expected vs observed version and hash),
// material changes during a campaign, and offline placement tasks that branch staff acknowledge.
import { Router } from 'express';
import { z } from 'zod';
import type { PlacementStatus } from '../../domain/placement-status';
import { text } from '../../domain/text';
import type { Db } from '../../db/client';
import { changeMaterialUpdate } from '../../workflows/messages';
import { actorOf } from '../auth/principal';
import { steer, steeringIdOf } from '../campaigns/steering';
import { handle, idempotent } from '../handler';
import { notFound, validationProblem } from '../problem';
import type { TemporalDeps } from '../temporal';
import { parseWith } from '../validate';
import { CampaignIdParams } from '../campaigns/params';
import { consistencyReport, materialChangeReply, offlineTaskView } from './placement-views';

export const TaskParams = z.object({ taskId: z.string().min(1) });
export const ChangeMaterialBody = z.strictObject({
  materialVersionId: text({ min: 1, max: 200 }),
  reason: text({ max: 500 }).optional(),
});
export const TaskQuery = z.object({
  channelCode: z.string().optional(),
  status: z.enum(['open', 'acknowledged']).optional(),
});

export function placementRoutes(db: Db, temporal: TemporalDeps): Router {
  const router = Router();

  router.get(
    '/campaigns/:id/placements',
    handle(async (req) => {
      const { id } = parseWith(CampaignIdParams, req.params, 'params');
      const campaign = await db.campaign.findUnique({ where: { id } });
      if (!campaign) throw notFound('campaign', id);
      const [allocations, placements] = await Promise.all([
        db.campaignChannel.findMany({ where: { campaignId: id }, include: { channel: true } }),
        db.placement.findMany({ where: { campaignId: id }, orderBy: { createdAt: 'asc' } }),
      ]);
      const versionIds = [
        ...new Set(
          placements
            .map((p) => p.materialVersionId)
            .concat(allocations.map((a) => a.materialVersionId ?? '')),
        ),
      ];
      const versions = await db.materialVersion.findMany({ where: { id: { in: versionIds } } });
      return { status: 200, body: consistencyReport(id, allocations, placements, versions) };
    }),
  );

  router.post(
    '/campaigns/:id/material',
    idempotent(db, 'campaigns.material', async (req, res) => {
      const { id } = parseWith(CampaignIdParams, req.params, 'params');
      const body = parseWith(ChangeMaterialBody, req.body, 'body');
      const campaign = await db.campaign.findUnique({ where: { id } });
      if (!campaign) throw notFound('campaign', id);
      const version = await db.materialVersion.findUnique({
        where: { id: body.materialVersionId },
        include: { variant: true },
      });
      if (!version || version.materialId !== campaign.materialId) {
        throw validationProblem([
          { field: 'materialVersionId', message: "not a version of this campaign's material" },
        ]);
      }
      if (!version.approvedAt) {
        throw validationProblem([
          { field: 'materialVersionId', message: 'this version has no compliance approval yet' },
        ]);
      }
      const state = await steer(
        db,
        temporal,
        campaign,
        'change material',
        changeMaterialUpdate,
        {
          actor: actorOf(res),
          reason: body.reason,
          materialVersionId: version.id,
          variantKey: version.variant.key,
          contentHash: version.contentHash,
        },
        steeringIdOf(req, res, 'change material', campaign.id),
      );
      return { status: 200, body: materialChangeReply(id, state) };
    }),
  );

  router.get(
    '/offline-tasks',
    handle(async (req) => {
      const q = parseWith(TaskQuery, req.query, 'query');
      const channel = q.channelCode ? await db.channel.findUnique({ where: { code: q.channelCode } }) : null;
      if (q.channelCode && !channel) throw notFound('channel', q.channelCode);
      const tasks = await db.offlineTask.findMany({
        where: { ...(channel ? { channelId: channel.id } : {}), ...(q.status ? { status: q.status } : {}) },
        orderBy: { createdAt: 'asc' },
        take: 500,
      });
      return { status: 200, body: { items: tasks.map(offlineTaskView) } };
    }),
  );

  router.post(
    '/offline-tasks/:taskId/acknowledge',
    handle(async (req, res) => {
      const { taskId } = parseWith(TaskParams, req.params, 'params');
      const task = await db.offlineTask.findUnique({ where: { id: taskId } });
      if (!task) throw notFound('offline task', taskId);
      if (task.status === 'acknowledged') return { status: 200, body: offlineTaskView(task) };
      const actor = actorOf(res);
      if (actor === 'anonymous')
        throw validationProblem([
          { field: 'principal.name', message: 'the acknowledging staff member must be named' },
        ]);
      const now = new Date();
      // Staff acknowledging "it is up" is an offline channel's read-back: they confirm the placement's
      // own version, so the consistency matrix compares it like any other channel's.
      const placement = await db.placement.findUniqueOrThrow({
        where: { id: task.placementId },
        select: { contentHash: true },
      });
      const [updated] = await db.$transaction([
        db.offlineTask.update({
          where: { id: taskId },
          data: { status: 'acknowledged', acknowledgedBy: actor, acknowledgedAt: now },
        }),
        db.placement.update({
          where: { id: task.placementId },
          data:
            task.action === 'publish'
              ? {
                  status: 'verified' satisfies PlacementStatus,
                  verifiedAt: now,
                  lastCheckedAt: now,
                  observedHash: placement.contentHash,
                }
              : { status: 'withdrawn' satisfies PlacementStatus, withdrawnAt: now },
        }),
      ]);
      return { status: 200, body: offlineTaskView(updated!) };
    }),
  );

  return router;
}
