// /campaigns/:id/pacing: read a campaign's pacing (caps, spend, mode, frozen, adjustment history) and
// freeze / unfreeze its adaptive reviews. Freeze and unfreeze follow the steering pattern exactly
// (steering.ts): the audit entry is written before the workflow update, under the update's id; a refusal
// removes it; a retry with the same Idempotency-Key reuses both.
import { Router } from 'express';
import type { Db } from '../../db/client';
import { freezePacingUpdate, unfreezePacingUpdate } from '../../workflows/messages';
import { handle, idempotent } from '../handler';
import { decodeCursor, PageQuerySchema } from '../pagination';
import { notFound } from '../problem';
import type { TemporalDeps } from '../temporal';
import { parseWith } from '../validate';
import { FREEZE_PACING_ACTION, pacingView, UNFREEZE_PACING_ACTION } from './pacing-view';
import { actorOf, IdParams, SteeringBody } from './routes';
import { steer, steeringIdOf } from './steering';

export const PacingQuery = PageQuerySchema;

export function pacingRoutes(db: Db, temporal: TemporalDeps): Router {
  const router = Router();

  async function load(idParam: unknown) {
    const { id } = parseWith(IdParams, idParam, 'params');
    const campaign = await db.campaign.findUnique({ where: { id } });
    if (!campaign) throw notFound('campaign', id);
    return campaign;
  }

  router.get(
    '/campaigns/:id/pacing',
    handle(async (req) => {
      const campaign = await load(req.params);
      const q = parseWith(PacingQuery, req.query, 'query');
      const body = await pacingView(db, campaign, { limit: q.limit, cursor: decodeCursor(q.cursor) });
      return { status: 200, body };
    }),
  );

  for (const [path, action, update] of [
    ['freeze', FREEZE_PACING_ACTION, freezePacingUpdate],
    ['unfreeze', UNFREEZE_PACING_ACTION, unfreezePacingUpdate],
  ] as const) {
    router.post(
      `/campaigns/:id/pacing/${path}`,
      idempotent(db, `campaigns.${action}`, async (req, res) => {
        const campaign = await load(req.params);
        const body = parseWith(SteeringBody, req.body, 'body');
        const state = await steer(
          db,
          temporal,
          campaign,
          action,
          update,
          { actor: actorOf(res), reason: body.reason },
          steeringIdOf(req, res, action, campaign.id),
        );
        return { status: 200, body: { campaignId: campaign.id, action, state } };
      }),
    );
  }

  return router;
}
