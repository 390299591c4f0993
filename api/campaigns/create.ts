// Creating a campaign: validate, store the campaign with its channel allocations, start its
// workflow. If Temporal is unreachable the row stays with workflowStartedAt = null and the
// reconciler starts the workflow as soon as Temporal answers (reply 202 instead of 201), so a
// campaign row never silently lacks its workflow.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';
import { Prisma } from '../../generated/prisma/client';
import type { CreateCampaignRequest } from '../../domain/campaign-plan';
import { launchApprovalFor, type LaunchApprovalConfig } from '../../domain/launch-approval';
import type { Logger } from '../../infra/logger';
import { campaignWorkflowId } from '../../workflows/ids';
import { validationProblem } from '../problem';
import type { TemporalDeps } from '../temporal';
import { writeInitialPacing } from '../../planning/pacing-store';
import { checkCampaignPlan } from './campaign-plan-check';
import { workflowInputFor } from './workflow-input';
import { startCampaignWorkflow } from './workflow-start';

export async function createCampaign(
  db: Db,
  temporal: TemporalDeps,
  log: Logger,
  request: CreateCampaignRequest,
  actor: string,
  options: { principalId?: string | null; launchApproval?: LaunchApprovalConfig | null } = {},
) {
  const { allocations, errors } = await checkCampaignPlan(db, request);
  if (errors.length > 0) throw validationProblem(errors, 'Campaign cannot be created');

  const id = randomUUID();
  // Decided once, here: a later change of the deployment's threshold never changes this campaign.
  const approval = launchApprovalFor(options.launchApproval ?? null, request.plan);
  const campaign = await db.$transaction(async (tx) => {
    // Retiring a channel and allocating it to a new campaign must not interleave: the shared row lock
    // makes a concurrent retire (which locks the channel FOR UPDATE) wait until this campaign is
    // committed — it then sees the campaign and refuses — and makes this transaction wait for a retire
    // already under way, then read the channel as it is after it.
    const channelIds = allocations.map((a) => a.channelId);
    const locked =
      channelIds.length === 0
        ? []
        : await tx.$queryRaw<
            { id: string; status: string; clickThroughWindow: string; viewThroughWindow: string }[]
          >`
      SELECT id, status, "clickThroughWindow", "viewThroughWindow"
        FROM "Channel" WHERE id IN (${Prisma.join(channelIds)}) ORDER BY id FOR SHARE`;
    // The windows are pinned as read under the lock (domain/attribution.ts): the campaign is attributed
    // under these for its whole life, and its evaluation states them.
    const windows = new Map(locked.map((c) => [c.id, c]));
    const retired = new Set(locked.filter((c) => c.status === 'retired').map((c) => c.id));
    if (retired.size > 0) {
      throw validationProblem(
        allocations.flatMap((a, i) =>
          retired.has(a.channelId)
            ? [{ field: `channels.${i}`, message: `channel "${a.channelCode}" is retired` }]
            : [],
        ),
        'Campaign cannot be created',
      );
    }
    const created = await tx.campaign.create({
      data: {
        id,
        name: request.name,
        plan: request.plan as object,
        materialId: request.materialId,
        currency: request.plan.currency,
        workflowId: campaignWorkflowId(id),
        createdBy: actor,
        createdByPrincipalId: options.principalId ?? null,
        approvalRequired: approval.required,
        approvalThresholdMinor: approval.threshold ? BigInt(approval.threshold.amountMinor) : null,
        approvalThresholdCurrency: approval.threshold?.currency ?? null,
        approvalState: approval.required ? 'pending' : 'not_required',
      },
    });
    await tx.campaignPlanVersion.create({
      data: { campaignId: id, version: 1, plan: request.plan as object, changedBy: actor, reason: 'created' },
    });
    await tx.campaignChannel.createMany({
      data: allocations.map((a) => ({
        campaignId: id,
        channelId: a.channelId,
        variantKey: a.variantKey,
        materialVersionId: a.materialVersionId,
        explanation: a.explanation as object,
        clickThroughWindow: windows.get(a.channelId)?.clickThroughWindow,
        viewThroughWindow: windows.get(a.channelId)?.viewThroughWindow,
      })),
    });
    await writeInitialPacing(tx, id, request.plan, allocations, actor, created.createdAt);
    await tx.auditLog.create({
      data: {
        campaignId: id,
        actor,
        action: 'campaign.create',
        payload: { name: request.name, approvalRequired: approval.required },
      },
    });
    return created;
  });

  let started = true;
  try {
    await startCampaignWorkflow(db, temporal, campaign, workflowInputFor(campaign));
  } catch (err) {
    started = false;
    log.warn('campaign stored but its workflow could not be started yet; the reconciler will retry', {
      campaignId: id,
      err: String(err),
    });
  }
  return { campaign, allocations, started };
}
