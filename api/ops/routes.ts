// Operations views (docs/api/operations.md): campaigns with their workflow status from Temporal
// visibility, a campaign's readable workflow timeline, and its audit log.
import { Router } from 'express';
import type { Db } from '../../db/client';
import { handle } from '../handler';
import { notFound } from '../problem';
import type { TemporalDeps } from '../temporal';
import { parseWith } from '../validate';
import { auditPage } from './audit';
import { listCampaignsWithWorkflows } from './campaign-list';
import { AuditQuerySchema, OpsCampaignListQuerySchema } from './schemas';
import { campaignTimeline } from './timeline';
import { CampaignIdParams } from '../campaigns/params';

export function opsRoutes(db: Db, temporal: TemporalDeps): Router {
  const router = Router();

  async function load(params: unknown) {
    const { id } = parseWith(CampaignIdParams, params, 'params');
    const campaign = await db.campaign.findUnique({
      where: { id },
      select: { id: true, workflowId: true, workflowStartedAt: true },
    });
    if (!campaign) throw notFound('campaign', id);
    return campaign;
  }

  router.get(
    '/ops/campaigns',
    handle(async (req) => {
      const q = parseWith(OpsCampaignListQuerySchema, req.query, 'query');
      return { status: 200, body: await listCampaignsWithWorkflows(db, temporal, q) };
    }),
  );

  router.get(
    '/campaigns/:id/timeline',
    handle(async (req) => ({
      status: 200,
      body: await campaignTimeline(db, temporal, await load(req.params)),
    })),
  );

  router.get(
    '/campaigns/:id/audit',
    handle(async (req) => {
      const campaign = await load(req.params);
      const q = parseWith(AuditQuerySchema, req.query, 'query');
      return { status: 200, body: await auditPage(db, campaign.id, q) };
    }),
  );

  return router;
}
