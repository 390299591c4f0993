// The handler of one steering route (pause, resume, cancel, re-run evaluation, freeze and unfreeze
// pacing): POST /campaigns/:id/<action> with an optional { reason }, sent to the campaign workflow as
// an update and audited before it (steering.ts), under an id that makes a retry with the same
// Idempotency-Key one action.
import type { RequestHandler } from 'express';
import type { UpdateDefinition } from '@temporalio/client';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { CampaignStateSchema, type CampaignState, type SteeringRequest } from '../../workflows/messages';
import { Uuid } from '../openapi/common';
import { idempotent } from '../handler';
import { notFound } from '../problem';
import type { TemporalDeps } from '../temporal';
import { parseWith } from '../validate';
import { actorOf } from '../auth/principal';
import { SteeringBody } from './routes';
import { steer, steeringIdOf } from './steering';
import { CampaignIdParams } from './params';

/** The steering actions of /campaigns/:id/<action> (launch decisions: launch-approval-route.ts). */
export const CAMPAIGN_STEERING_ACTIONS = [
  'cancel',
  'pause',
  'resume',
  'rerun-evaluation',
  'approve-launch',
  'reject-launch',
] as const;
/** The pacing steering of /campaigns/:id/pacing/<freeze|unfreeze> (pacing-routes.ts). */
export const PACING_STEERING_ACTIONS = ['freeze-pacing', 'unfreeze-pacing'] as const;
export type SteeringAction =
  (typeof CAMPAIGN_STEERING_ACTIONS)[number] | (typeof PACING_STEERING_ACTIONS)[number];

/** The reply of every steering route: what was done and the workflow's state after it. */
export const SteeringReplySchema = z.object({
  campaignId: Uuid,
  action: z.enum([...CAMPAIGN_STEERING_ACTIONS, ...PACING_STEERING_ACTIONS]),
  state: CampaignStateSchema,
});
export type SteeringReply = z.infer<typeof SteeringReplySchema>;
/** The documented reply of the campaign steering routes (their `action` is one of theirs). */
export const CampaignSteeringReplySchema = SteeringReplySchema.extend({
  action: z.enum(CAMPAIGN_STEERING_ACTIONS),
});
/**
 * The documented reply of freeze / unfreeze: the workflow refuses both on a campaign without adaptive
 * pacing (workflows/campaign.ts), so the state it answers with always has `pacing`.
 */
export const PacingSteeringReplySchema = SteeringReplySchema.extend({
  action: z.enum(PACING_STEERING_ACTIONS),
  state: CampaignStateSchema.required({ pacing: true }),
});

export function steeringReply(
  campaignId: string,
  action: SteeringAction,
  state: CampaignState,
): SteeringReply {
  return { campaignId, action, state };
}

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
  action: SteeringAction,
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
    return { status: 200, body: steeringReply(campaign.id, action, state) };
  });
}
