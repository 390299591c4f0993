// /campaigns: create, list, read, steer and inspect campaigns and their workflows.
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { CreateCampaignSchema } from '../../domain/campaign-plan';
import { text } from '../../domain/text';
import type { LaunchApprovalConfig } from '../../domain/launch-approval';
import type { Logger } from '../../infra/logger';
import {
  cancelCampaignUpdate,
  pauseCampaignUpdate,
  rerunEvaluationUpdate,
  resumeCampaignUpdate,
} from '../../workflows/messages';
import { actorOf } from '../auth/principal';
import { handle, idempotent } from '../handler';
import { afterCursor, decodeCursor, page, PageQuerySchema } from '../pagination';
import type { TemporalDeps } from '../temporal';
import { parseWith } from '../validate';
import { principalOf } from '../auth/principal';
import { campaignDetailView, campaignView, createdCampaignView } from './campaign-view';
import { createCampaign } from './create';
import { launchDecisionRoute } from './launch-approval-route';
import { dryRunCampaign } from './dry-run';
import { loadCampaign, steeringRoute } from './steering-route';
import { readHistoryPage, viewWorkflow } from './workflow-view';
import { VISIBLE_CAMPAIGN } from '../../db/visible-campaigns';

export const SteeringBody = z.strictObject({ reason: text({ max: 500 }).optional() });
export const HistoryQuery = z.object({
  pageSize: z.coerce.number().int().min(1).max(1000).default(100),
  pageToken: z.string().optional(),
});
export const ListQuery = PageQuerySchema.extend({ status: z.string().optional() });

export function campaignRoutes(
  db: Db,
  temporal: TemporalDeps,
  log: Logger,
  options: { launchApproval?: LaunchApprovalConfig | null } = {},
): Router {
  const router = Router();

  const load = (idParam: unknown) => loadCampaign(db, idParam);

  router.post(
    '/campaigns',
    idempotent(db, 'campaigns.create', async (req, res) => {
      const body = parseWith(CreateCampaignSchema, req.body, 'body');
      const { campaign, allocations, started } = await createCampaign(db, temporal, log, body, actorOf(res), {
        principalId: principalOf(res)?.id ?? null,
        launchApproval: options.launchApproval ?? null,
      });
      return {
        status: started ? 201 : 202,
        headers: { Location: `/campaigns/${campaign.id}` },
        body: createdCampaignView(campaign, allocations, started),
      };
    }),
  );

  // The dry run: a separate path rather than `POST /campaigns?dryRun=true`, so that it has its own reply
  // schema (a plan, not a campaign), its own status (200) and no Idempotency-Key semantics — nothing is
  // created, so nothing needs de-duplicating, and a draft checked many times never collides with the
  // key the launch sends (docs/api/campaigns.md).
  router.post(
    '/campaigns/validate',
    handle(async (req) => {
      const body = parseWith(CreateCampaignSchema, req.body, 'body');
      return { status: 200, body: await dryRunCampaign(db, body, options.launchApproval ?? null) };
    }),
  );

  router.get(
    '/campaigns',
    handle(async (req) => {
      const q = parseWith(ListQuery, req.query, 'query');
      const rows = await db.campaign.findMany({
        where: {
          ...VISIBLE_CAMPAIGN,
          ...afterCursor(decodeCursor(q.cursor)),
          ...(q.status ? { status: q.status } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: q.limit + 1,
      });
      const { items, nextCursor } = page(rows, q.limit);
      return { status: 200, body: { items: items.map(campaignView), nextCursor } };
    }),
  );

  router.get(
    '/campaigns/:id',
    handle(async (req) => {
      const campaign = await load(req.params);
      const channels = await db.campaignChannel.findMany({
        where: { campaignId: campaign.id },
        include: { channel: { select: { code: true, name: true, kind: true } } },
      });
      const workflow = await viewWorkflow(temporal, campaign.workflowId, campaign.workflowStartedAt !== null);
      return { status: 200, body: campaignDetailView(campaign, channels, workflow) };
    }),
  );

  for (const [action, update] of [
    ['cancel', cancelCampaignUpdate],
    ['pause', pauseCampaignUpdate],
    ['resume', resumeCampaignUpdate],
    ['rerun-evaluation', rerunEvaluationUpdate],
  ] as const) {
    router.post(`/campaigns/:id/${action}`, steeringRoute(db, temporal, action, update));
  }
  // Launch approval (maker-checker): the second person's decision on a campaign awaiting_approval.
  router.post('/campaigns/:id/approval', launchDecisionRoute(db, temporal, 'approve-launch'));
  router.post('/campaigns/:id/rejection', launchDecisionRoute(db, temporal, 'reject-launch'));

  router.get(
    '/campaigns/:id/history',
    handle(async (req) => {
      const campaign = await load(req.params);
      const q = parseWith(HistoryQuery, req.query, 'query');
      const history = await readHistoryPage(temporal, campaign.workflowId, q.pageSize, q.pageToken);
      return { status: 200, body: { workflowId: campaign.workflowId, ...history } };
    }),
  );

  return router;
}
