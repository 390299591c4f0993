// /campaigns/:id/pacing: read a campaign's pacing (caps, spend, mode, frozen, adjustment history) and
// freeze / unfreeze its adaptive reviews. Freeze and unfreeze follow the steering pattern exactly
// (steering.ts): the audit entry is written before the workflow update, under the update's id; a refusal
// removes it; a retry with the same Idempotency-Key reuses both.
import { Router } from 'express';
import type { Db } from '../../db/client';
import { freezePacingUpdate, unfreezePacingUpdate } from '../../workflows/messages';
import { handle } from '../handler';
import { decodeCursor, PageQuerySchema } from '../pagination';
import type { TemporalDeps } from '../temporal';
import { parseWith } from '../validate';
import { FREEZE_PACING_ACTION, pacingView, UNFREEZE_PACING_ACTION } from './pacing-view';
import { loadCampaign, steeringRoute } from './steering-route';

export const PacingQuery = PageQuerySchema;

export function pacingRoutes(db: Db, temporal: TemporalDeps): Router {
  const router = Router();

  const load = (idParam: unknown) => loadCampaign(db, idParam);

  router.get(
    '/campaigns/:id/pacing',
    handle(async (req) => {
      const campaign = await load(req.params);
      const q = parseWith(PacingQuery, req.query, 'query');
      const body = await pacingView(db, campaign, { limit: q.limit, cursor: decodeCursor(q.cursor) });
      return { status: 200, body };
    }),
  );

  router.post(
    '/campaigns/:id/pacing/freeze',
    steeringRoute(db, temporal, FREEZE_PACING_ACTION, freezePacingUpdate),
  );
  router.post(
    '/campaigns/:id/pacing/unfreeze',
    steeringRoute(db, temporal, UNFREEZE_PACING_ACTION, unfreezePacingUpdate),
  );

  return router;
}
