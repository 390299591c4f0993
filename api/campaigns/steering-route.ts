// The handler of one steering route (pause, resume, cancel, re-run evaluation, freeze and unfreeze
// pacing): POST /campaigns/:id/<action> with an optional { reason }, sent to the campaign workflow as
// an update and audited before it (steering.ts), under an id that makes a retry with the same
// Idempotency-Key one action.
import type { RequestHandler } from 'express';
import type { UpdateDefinition } from '@temporalio/client';
import type { Db } from '../../db/client';
import type { CampaignState, SteeringRequest } from '../../workflows/messages';
import { idempotent } from '../handler';
import { notFound } from '../problem';
import type { TemporalDeps } from '../temporal';
import { parseWith } from '../validate';
import { actorOf } from '../auth/principal';
import { SteeringBody } from './routes';
import { steer, steeringIdOf } from './steering';
import { CampaignIdParams } from './params';

/** The campaign named by the route's :id, or a 404. */
export async function loadCampaign(db: Db, idParam: unknown) {
  const { id } = parseWith(CampaignIdParams, idParam, 'params');
  const campaign = await db.campaign.findUnique({ where: { id } });
  if (!campaign) throw notFound('campaign', id);
  return campaign;
}

export function steeringRoute(
  db: Db,
  temporal: TemporalDeps,
  action: string,
  update: UpdateDefinition<CampaignState, [SteeringRequest]>,
): RequestHandler {
  return idempotent(db, `campaigns.${action}`, async (req, res) => {
    const campaign = await loadCampaign(db, req.params);
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
  });
}
