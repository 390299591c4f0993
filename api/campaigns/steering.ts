// Operator steering (cancel, pause, resume) as workflow updates: the workflow's validator decides
// whether the action is allowed in its current phase, and the API answers with the new state.
// Each accepted action is written to the audit log with who did it.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { UpdateDefinition } from '@temporalio/common';
import type { Db } from '../../db/client';
import type { CampaignState, SteeringRequest } from '../../workflows/messages';
import { Problem } from '../problem';
import type { TemporalDeps } from '../temporal';

export async function steer<R extends SteeringRequest>(
  db: Db,
  temporal: TemporalDeps,
  campaign: { id: string; workflowId: string; workflowStartedAt: Date | null },
  action: string,
  update: UpdateDefinition<CampaignState, [R]>,
  request: R,
): Promise<CampaignState> {
  if (!campaign.workflowStartedAt) {
    throw new Problem(
      409,
      'Conflict',
      `the campaign's workflow has not started yet; retry the ${action} shortly`,
    );
  }
  try {
    const state = await temporal.client.workflow
      .getHandle(campaign.workflowId)
      .executeUpdate(update, { args: [request] });
    await db.auditLog.create({
      data: {
        campaignId: campaign.id,
        actor: request.actor,
        action: `campaign.${action}`,
        payload: { reason: request.reason ?? null },
      },
    });
    return state;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      throw new Problem(409, 'Conflict', err.cause.message, { reason: err.cause.type });
    }
    if (err instanceof WorkflowNotFoundError) {
      throw new Problem(
        409,
        'Conflict',
        `the campaign's workflow is no longer running; it cannot be ${pastParticiple(action)}`,
      );
    }
    throw err;
  }
}

/** 'pause' → 'paused', 'cancel' → 'cancelled', 'resume' → 'resumed' (not 'pauseed'). */
export function pastParticiple(action: string): string {
  if (action === 'cancel') return 'cancelled';
  return action.endsWith('e') ? `${action}d` : `${action}ed`;
}
