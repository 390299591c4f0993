// GET /campaigns/:id/timeline: the campaign workflow's history and each cohort workflow's own history,
// read whole (up to a cap), turned into steps by timeline-builder.ts, with the live attempt counts of
// running activities, the channel of each withdrawn placement, and the campaign's audit trail (who
// paused, resumed, cancelled or changed the material, and when).
import type { Db } from '../../db/client';
import { withinDeadline, type TemporalDeps } from '../temporal';
import { HISTORY_EVENT_CAP, readFullHistory, type HistoryEvent } from './history-reader';
import {
  buildWorkflowTimeline,
  pendingActivitiesOf,
  withdrawalLabel,
  type PendingActivity,
  type TimelineStep,
  type WorkflowTimeline,
} from './timeline-builder';
import type { CampaignTimeline, TimelineAction } from './timeline-schemas';

/** Cohort histories read per request; a campaign with more cohorts says how many it left out. */
export const COHORT_HISTORY_LIMIT = 200;
/** Events read per cohort history (a cohort's history grows with its steps, not its customers). */
export const COHORT_EVENT_CAP = 2_000;
/** Audit entries shown with the timeline (GET /campaigns/:id/audit pages through all of them). */
export const TIMELINE_ACTION_LIMIT = 500;
const PARALLEL_READS = 4;

export type { CampaignTimeline, TimelineAction };

interface CampaignRef {
  id: string;
  workflowId: string;
  workflowStartedAt: Date | null;
}

const GRPC_NOT_FOUND = 5;
const isNotFound = (err: unknown) => (err as { code?: unknown } | null)?.code === GRPC_NOT_FOUND;

/** One workflow's timeline, or null when Temporal does not know the workflow (never started, or expired). */
async function workflowTimeline(
  temporal: TemporalDeps,
  workflowId: string,
  cap: number,
): Promise<{ timeline: WorkflowTimeline; truncated: boolean } | null> {
  let events: HistoryEvent[];
  let truncated: boolean;
  try {
    ({ events, truncated } = await readFullHistory(temporal, workflowId, cap));
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  let pending: PendingActivity[] = [];
  const closed = buildWorkflowTimeline(workflowId, events).status !== 'running';
  if (!closed) {
    // The history records an activity's start only when it ends: ask for running attempts directly.
    const described = await withinDeadline(temporal, () =>
      temporal.client.workflowService.describeWorkflowExecution({
        namespace: temporal.namespace,
        execution: { workflowId },
      }),
    ).catch(() => null);
    pending = described ? pendingActivitiesOf(described) : [];
  }
  return { timeline: buildWorkflowTimeline(workflowId, events, pending), truncated };
}

/** Runs `fn` over `items`, at most `parallel` at a time, keeping the order of the results. */
async function mapLimited<T, R>(items: T[], parallel: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  return results;
}

async function recentActions(db: Db, campaignId: string): Promise<TimelineAction[]> {
  const rows = await db.auditLog.findMany({
    where: { campaignId },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: TIMELINE_ACTION_LIMIT,
  });
  return rows.reverse().map((row) => {
    // A launch approval carries a note where other steering carries a reason.
    const payload = row.payload as { reason?: unknown; note?: unknown } | null;
    const reason = payload?.reason ?? payload?.note;
    return {
      id: row.id,
      actor: row.actor,
      action: row.action,
      at: row.at.toISOString(),
      reason: typeof reason === 'string' ? reason : null,
      payload: row.payload,
    };
  });
}

/** Withdrawals name a placement only; the database knows its channel when the history does not. */
async function nameWithdrawnChannels(db: Db, steps: TimelineStep[]): Promise<void> {
  const unnamed = steps.filter((s) => s.kind === 'withdraw' && s.placementId && !s.channelCode);
  if (unnamed.length === 0) return;
  const placements = await db.placement.findMany({
    where: { id: { in: unnamed.map((s) => s.placementId as string) } },
    select: { id: true, channel: { select: { code: true } } },
  });
  const codeOf = new Map(placements.map((p) => [p.id, p.channel.code]));
  for (const step of unnamed) {
    step.channelCode = codeOf.get(step.placementId as string) ?? null;
    step.label = withdrawalLabel(step);
  }
}

const earliestFirst = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '');

export async function campaignTimeline(
  db: Db,
  temporal: TemporalDeps,
  campaign: CampaignRef,
): Promise<CampaignTimeline> {
  const actions = await recentActions(db, campaign.id);
  const base: CampaignTimeline = {
    campaignId: campaign.id,
    workflowId: campaign.workflowId,
    workflow: { status: 'START_PENDING', workflowType: null, startedAt: null, closedAt: null, failure: null },
    steps: [],
    timers: [],
    pendingTimers: [],
    messages: [],
    actions,
    history: {
      eventCap: HISTORY_EVENT_CAP,
      eventsRead: 0,
      truncated: false,
      cohortHistoriesRead: 0,
      cohortHistoriesNotRead: 0,
    },
  };
  if (!campaign.workflowStartedAt) return base;

  const main = await workflowTimeline(temporal, campaign.workflowId, HISTORY_EVENT_CAP);
  if (!main) return { ...base, workflow: { ...base.workflow, status: 'NOT_FOUND' } };
  const { timeline } = main;

  const cohorts = timeline.steps.filter((s) => s.kind === 'cohort' && s.status !== 'scheduled');
  const toRead = cohorts.slice(0, COHORT_HISTORY_LIMIT);
  const children = await mapLimited(toRead, PARALLEL_READS, (step) =>
    workflowTimeline(temporal, step.id, COHORT_EVENT_CAP),
  );
  let eventsRead = timeline.eventsRead;
  let truncated = main.truncated;
  const timers = [...timeline.timers];
  const messages = [...timeline.messages];
  toRead.forEach((step, i) => {
    const child = children[i];
    if (!child) return;
    step.steps = child.timeline.steps;
    step.detail.workflowStatus = child.timeline.status;
    eventsRead += child.timeline.eventsRead;
    truncated ||= child.truncated;
    timers.push(...child.timeline.timers);
    messages.push(...child.timeline.messages);
  });
  await nameWithdrawnChannels(db, timeline.steps);

  return {
    ...base,
    workflow: {
      status: timeline.status,
      workflowType: timeline.workflowType,
      startedAt: timeline.startedAt,
      closedAt: timeline.closedAt,
      failure: timeline.failure,
    },
    steps: timeline.steps,
    timers: timers.sort((a, b) => earliestFirst(a.startedAt, b.startedAt)),
    pendingTimers: timers
      .filter((t) => t.status === 'pending')
      .sort((a, b) => earliestFirst(a.firesAt, b.firesAt)),
    messages: messages.sort((a, b) => earliestFirst(a.at, b.at)),
    history: {
      eventCap: HISTORY_EVENT_CAP,
      eventsRead,
      truncated,
      cohortHistoriesRead: children.filter(Boolean).length,
      cohortHistoriesNotRead: cohorts.length - toRead.length,
    },
  };
}
