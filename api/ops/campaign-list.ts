// GET /ops/campaigns: a page of campaigns from the database, each joined with what Temporal's
// visibility store says about its workflow (status, run, start and close times, and the CampaignStatus
// search attribute the workflow keeps up to date). Visibility is eventually consistent and may be down:
// a campaign missing from it is shown as such, and the page still answers.
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { CampaignStatusKey } from '../../workflows/search-attributes';
import { NullableTimestamp, pageOf } from '../openapi/common';
import { afterCursor, decodeCursor, page } from '../pagination';
import { withinDeadline, type TemporalDeps } from '../temporal';
import { VISIBLE_CAMPAIGN } from '../../db/visible-campaigns';
import { campaignSummaryView, CampaignSummarySchema } from '../campaigns/campaign-view';

/** What Temporal's visibility says of a campaign's workflow (the OpenAPI document imports this schema). */
export const VisibilitySchema = z.object({
  status: z.string().meta({
    description:
      "Temporal's execution status (RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, …), or START_PENDING (not started yet: the reconciler will) or NOT_VISIBLE (not in visibility yet, or expired)",
  }),
  runId: z.string().nullable(),
  startTime: NullableTimestamp,
  closeTime: NullableTimestamp,
  historyLength: z.int().nullable(),
  phase: z
    .string()
    .nullable()
    .meta({ description: 'The CampaignStatus search attribute: the phase the workflow last announced' }),
});
export type VisibilityView = z.infer<typeof VisibilitySchema>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The visibility query for these campaigns; ids are UUIDs from our own rows, checked again here. */
export function visibilityQuery(campaignIds: string[]): string {
  const ids = campaignIds.filter((id) => UUID.test(id));
  return `WorkflowType = 'campaignWorkflow' AND CampaignId IN (${ids.map((id) => `'${id}'`).join(', ')})`;
}

function viewOf(info: WorkflowExecutionInfo): VisibilityView {
  return {
    status: info.status.name,
    runId: info.runId,
    startTime: info.startTime.toISOString(),
    closeTime: info.closeTime?.toISOString() ?? null,
    historyLength: info.historyLength,
    phase: info.typedSearchAttributes.get(CampaignStatusKey) ?? null,
  };
}

/** The newest run of each campaign's workflow, by workflow id. */
async function visibilityOf(
  temporal: TemporalDeps,
  campaignIds: string[],
): Promise<Map<string, VisibilityView>> {
  const byWorkflow = new Map<string, VisibilityView>();
  if (campaignIds.length === 0) return byWorkflow;
  // One deadline for the whole listing (one page of campaigns: one or a few visibility pages).
  await withinDeadline(temporal, async () => {
    for await (const info of temporal.client.workflow.list({ query: visibilityQuery(campaignIds) })) {
      const known = byWorkflow.get(info.workflowId);
      if (!known || (known.startTime ?? '') < info.startTime.toISOString())
        byWorkflow.set(info.workflowId, viewOf(info));
    }
  });
  return byWorkflow;
}

/** The reply of GET /ops/campaigns: a page of campaigns, each with its workflow as visibility lists it. */
export const OpsCampaignPageSchema = pageOf(
  CampaignSummarySchema.extend({ workflow: VisibilitySchema.extend({ workflowId: z.string() }) }),
).extend({ visibility: z.object({ available: z.boolean(), error: z.string().nullable() }) });
export type OpsCampaignPage = z.infer<typeof OpsCampaignPageSchema>;

export async function listCampaignsWithWorkflows(
  db: Db,
  temporal: TemporalDeps,
  q: { limit: number; cursor?: string; status?: string },
): Promise<OpsCampaignPage> {
  const rows = await db.campaign.findMany({
    where: {
      ...VISIBLE_CAMPAIGN,
      ...afterCursor(decodeCursor(q.cursor)),
      ...(q.status ? { status: q.status } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
    // The plan is left out: a list shows the state, GET /campaigns/:id the definition.
    omit: { plan: true },
  });
  const { items, nextCursor } = page(rows, q.limit);
  let visibility = new Map<string, VisibilityView>();
  let visibilityError: string | null = null;
  try {
    visibility = await visibilityOf(
      temporal,
      items.filter((c) => c.workflowStartedAt !== null).map((c) => c.id),
    );
  } catch (err) {
    visibilityError = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  }
  const empty = { runId: null, startTime: null, closeTime: null, historyLength: null, phase: null };
  return {
    items: items.map((campaign) => ({
      ...campaignSummaryView(campaign),
      workflow: {
        workflowId: campaign.workflowId,
        ...(visibility.get(campaign.workflowId) ??
          (campaign.workflowStartedAt === null
            ? { status: 'START_PENDING', ...empty }
            : { status: visibilityError ? 'UNKNOWN' : 'NOT_VISIBLE', ...empty })),
      },
    })),
    nextCursor,
    visibility: { available: visibilityError === null, error: visibilityError },
  };
}
