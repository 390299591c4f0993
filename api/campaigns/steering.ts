// Operator steering (cancel, pause, resume, rerun-evaluation, material change) as workflow updates:
// the workflow's validator decides whether the action is allowed in its current phase, and the API
// answers with the new state.
// The audit entry is part of the action: it is written BEFORE the update is sent, under an id that is
// also the update's id. So an action never happens without its record; an update the workflow refuses
// removes the entry again (nothing happened); and a retry (same Idempotency-Key) reuses both the entry
// and the update id, which Temporal deduplicates — the action is applied and recorded once.
// Every wait on Temporal is bounded (api/temporal.ts): until the workflow accepted or refused the
// update, `updateAcceptedMs`; then the answer of a long handler (a material change publishes and
// verifies everywhere; a re-run evaluates) is awaited in slices of `callMs`, each followed by a check
// that Temporal still answers — so a Temporal that goes away mid-wait is a 503 within seconds, while
// a healthy long update is not cut short.
import { createHash, randomUUID } from 'node:crypto';
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateStage,
  type WorkflowUpdateHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { UpdateDefinition } from '@temporalio/common';
import type { Request, Response } from 'express';
import type { Db } from '../../db/client';
import type { CampaignState, SteeringRequest } from '../../workflows/messages';
import { Problem } from '../problem';
import { deadlinesOf, TemporalDeadlineError, withinDeadline, type TemporalDeps } from '../temporal';

/**
 * The audit entry's id (and the workflow update's id) for a steering request: derived from the
 * caller's Idempotency-Key when there is one, so that a retry finds the same entry; random otherwise.
 */
export function steeringIdOf(req: Request, res: Response, action: string, campaignId: string): string {
  const key = req.header('Idempotency-Key');
  if (key === undefined) return `steer-${randomUUID()}`;
  const principal = (res.locals.principal as { id?: string } | undefined)?.id ?? 'anonymous';
  const digest = createHash('sha256').update(`${campaignId}\n${action}\n${principal}\n${key}`).digest('hex');
  return `steer-${digest.slice(0, 32)}`;
}

export async function steer<R extends SteeringRequest>(
  db: Db,
  temporal: TemporalDeps,
  campaign: { id: string; workflowId: string; workflowStartedAt: Date | null },
  action: string,
  update: UpdateDefinition<CampaignState, [R]>,
  request: R,
  steeringId: string = `steer-${randomUUID()}`,
  auditPayload: Record<string, unknown> = {},
): Promise<CampaignState> {
  if (!campaign.workflowStartedAt) {
    throw new Problem(
      409,
      'Conflict',
      `the campaign's workflow has not started yet; retry the ${action} shortly`,
    );
  }
  await db.auditLog.upsert({
    where: { id: steeringId },
    create: {
      id: steeringId,
      campaignId: campaign.id,
      actor: request.actor,
      action: `campaign.${action}`,
      payload: { reason: request.reason ?? null, ...auditPayload },
    },
    update: {},
  });
  const forget = () => db.auditLog.delete({ where: { id: steeringId } }).catch(() => undefined);
  try {
    const handle = temporal.client.workflow.getHandle(campaign.workflowId);
    const accepted = await withinDeadline(
      temporal,
      () =>
        handle.startUpdate(update, {
          args: [request],
          updateId: steeringId,
          waitForStage: WorkflowUpdateStage.ACCEPTED,
        }),
      deadlinesOf(temporal).updateAcceptedMs,
    );
    return await outcomeOf(temporal, accepted);
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      await forget();
      throw new Problem(409, 'Conflict', err.cause.message, { reason: err.cause.type });
    }
    if (err instanceof WorkflowNotFoundError) {
      await forget();
      throw new Problem(
        409,
        'Conflict',
        `the campaign's workflow is no longer running; it cannot be ${pastParticiple(action)}`,
      );
    }
    // Temporal refused the connection (gRPC UNAVAILABLE), or the connection was never ready before
    // the deadline: the update never arrived, nothing happened.
    if (grpcCodeOf(err) === GRPC_UNAVAILABLE) await forget();
    else if (err instanceof TemporalDeadlineError && !err.mayHaveArrived) {
      await forget();
      throw Problem.of(
        'dependency-unavailable',
        `Temporal does not answer (no connection within ${err.ms} ms); nothing was changed — retry shortly (GET /readyz says which dependency is down)`,
      );
    } else if (err instanceof TemporalDeadlineError) {
      // No answer in time: the update may have arrived (and may still be applied by the workflow),
      // so the entry stays and the caller is told how to make sure — not that nothing changed.
      throw Problem.of(
        'dependency-unavailable',
        `Temporal did not confirm the ${action} within ${err.ms} ms (the server or the campaign's worker does not answer); ` +
          'it may still take effect — retry with the same Idempotency-Key, which applies and records it once (GET /readyz says which dependency is down)',
      );
    }
    // Anything else (a timeout): whether the update arrived is unknown, so the entry stays; the
    // caller's retry with the same Idempotency-Key resends the same update id. The problem handler
    // answers 503 for an unreachable Temporal (api/problem-types.ts).
    throw err;
  }
}

/**
 * The accepted update's answer, awaited in slices of `callMs`: after a slice without an answer,
 * Temporal must still answer a plain call (else TemporalDeadlineError → 503), and the wait goes on.
 */
async function outcomeOf(
  temporal: TemporalDeps,
  accepted: WorkflowUpdateHandle<CampaignState>,
): Promise<CampaignState> {
  const { callMs } = deadlinesOf(temporal);
  for (;;) {
    try {
      return await withinDeadline(temporal, () => accepted.result(), callMs);
    } catch (err) {
      if (!(err instanceof TemporalDeadlineError)) throw err;
      await withinDeadline(temporal, () => temporal.client.workflowService.getSystemInfo({}), callMs);
    }
  }
}

const GRPC_UNAVAILABLE = 14;
function grpcCodeOf(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

/** 'pause' → 'paused', 'cancel' → 'cancelled', 'resume' → 'resumed' (not 'pauseed'). */
export function pastParticiple(action: string): string {
  if (action === 'cancel') return 'cancelled';
  if (action === 'rerun-evaluation') return 're-run';
  if (action === 'freeze-pacing') return 'frozen (pacing)';
  if (action === 'unfreeze-pacing') return 'unfrozen (pacing)';
  return action.endsWith('e') ? `${action}d` : `${action}ed`;
}
