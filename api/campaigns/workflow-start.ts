// Starting a campaign's workflow, idempotently: the workflow id is derived from the campaign id, so
// a second start (a retry, the reconciler, another API replica) finds the running one instead of
// starting a duplicate. The Campaign row records when the start was confirmed.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Db } from '../../db/client';
import { metrics } from '../../infra/metrics';
import { campaignWorkflow, type CampaignWorkflowInput } from '../../workflows/campaign';
import { CampaignIdKey, CampaignStatusKey } from '../../workflows/search-attributes';
import { withinDeadline, type TemporalDeps } from '../temporal';

export async function startCampaignWorkflow(
  db: Db,
  temporal: TemporalDeps,
  campaign: { id: string; workflowId: string },
  input: CampaignWorkflowInput,
): Promise<void> {
  try {
    // Bounded: a create whose start does not answer in time is answered 202 and left to the
    // reconciler (the start is idempotent by workflow id, so a start that did arrive is found).
    await withinDeadline(temporal, () =>
      temporal.client.workflow.start(campaignWorkflow, {
        workflowId: campaign.workflowId,
        taskQueue: temporal.taskQueue,
        args: [input],
        typedSearchAttributes: [
          { key: CampaignIdKey, value: campaign.id },
          { key: CampaignStatusKey, value: 'launching' },
        ],
      }),
    );
    metrics.workflowStart('campaignWorkflow', 'started');
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    metrics.workflowStart('campaignWorkflow', 'already_started');
  }
  await db.campaign.updateMany({
    where: { id: campaign.id, workflowStartedAt: null },
    data: { workflowStartedAt: new Date() },
  });
}
