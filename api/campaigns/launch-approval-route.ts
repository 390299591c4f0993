// Launch approval (maker-checker, issue 12 item 6): POST /campaigns/:id/approval { note? } and
// POST /campaigns/:id/rejection { reason }. Two routes rather than one with a decision field, as every
// other steering action has its own path, update and audit action (`campaign.approve-launch`,
// `campaign.reject-launch`), and a rejection's reason is required where an approval's note is not.
// Refused here, before anything is written: the author (403 `approval-by-author`), a campaign that
// needs no approval and one whose launch is already decided (409, `reason` says which). The workflow's
// validator checks the same again (the row may lag a decision by a moment) and decides the phase.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { text } from '../../domain/text';
import {
  approveLaunchUpdate,
  rejectLaunchUpdate,
  type LaunchDecisionRequest,
} from '../../workflows/messages';
import { principalOf } from '../auth/principal';
import { idempotent } from '../handler';
import { Problem } from '../problem';
import type { TemporalDeps } from '../temporal';
import { parseWith } from '../validate';
import { launchApprovalView } from './campaign-view';
import { loadCampaign, steeringReply } from './steering-route';
import { steer, steeringIdOf } from './steering';

export const ApprovalBody = z.strictObject({ note: text({ max: 500 }).optional() });
export const RejectionBody = z.strictObject({ reason: text({ min: 1, max: 500, trim: true }) });

type Decision = 'approve-launch' | 'reject-launch';

export function launchDecisionRoute(db: Db, temporal: TemporalDeps, decision: Decision): RequestHandler {
  return idempotent(db, `campaigns.${decision}`, async (req, res) => {
    const campaign = await loadCampaign(db, req.params);
    const body =
      decision === 'approve-launch'
        ? { note: parseWith(ApprovalBody, req.body, 'body').note }
        : { reason: parseWith(RejectionBody, req.body, 'body').reason };
    const principal = principalOf(res);
    const actor = principal?.name ?? 'anonymous';
    const verb = decision === 'approve-launch' ? 'approve' : 'reject';
    if (!campaign.approvalRequired) {
      throw new Problem(
        409,
        'Conflict',
        `campaign ${campaign.id} needs no launch approval: there is nothing to ${verb}`,
        {
          reason: 'ApprovalNotRequired',
        },
      );
    }
    if (
      actor === campaign.createdBy ||
      (campaign.createdByPrincipalId !== null && principal?.id === campaign.createdByPrincipalId)
    ) {
      throw Problem.of(
        'approval-by-author',
        `${actor} created this campaign: another person must ${verb} its launch (the author may still cancel it)`,
      );
    }
    if (campaign.approvalState !== 'pending') {
      const by = campaign.approvalBy ? ` by ${campaign.approvalBy}` : '';
      throw new Problem(409, 'Conflict', `the launch was already ${campaign.approvalState}${by}`, {
        reason: 'LaunchAlreadyDecided',
        approval: launchApprovalView(campaign),
      });
    }
    const request: LaunchDecisionRequest = { actor, principalId: principal?.id ?? 'anonymous', ...body };
    const state = await steer(
      db,
      temporal,
      campaign,
      decision,
      decision === 'approve-launch' ? approveLaunchUpdate : rejectLaunchUpdate,
      request,
      steeringIdOf(req, res, decision, campaign.id),
      { note: body.note ?? null },
    );
    return { status: 200, body: steeringReply(campaign.id, decision, state) };
  });
}
