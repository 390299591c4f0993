// Reads a campaign workflow's live status (describe + the state query) and its event history.
import { WorkflowNotFoundError } from '@temporalio/client';
import { google, temporal as proto } from '@temporalio/proto';
import { z } from 'zod';
import { campaignStateQuery, CampaignStateSchema } from '../../workflows/messages';
import { NullableTimestamp } from '../openapi/common';
import { validationProblem } from '../problem';
import { withinDeadline, type TemporalDeps } from '../temporal';

/** `workflow` of GET /campaigns/:id; the OpenAPI document imports this schema. */
export const WorkflowViewSchema = z.object({
  workflowId: z.string(),
  runId: z.string().nullable(),
  status: z.string().meta({
    description: 'RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, …, START_PENDING or NOT_FOUND',
  }),
  startTime: NullableTimestamp,
  closeTime: NullableTimestamp,
  historyLength: z.int().nullable(),
  state: CampaignStateSchema.nullable(),
  /** Why the state is missing although Temporal described the workflow (the query did not answer). */
  stateError: z.string().optional(),
});
export type WorkflowView = z.infer<typeof WorkflowViewSchema>;

export async function viewWorkflow(
  temporal: TemporalDeps,
  workflowId: string,
  started: boolean,
): Promise<WorkflowView> {
  if (!started) {
    return {
      workflowId,
      runId: null,
      status: 'START_PENDING',
      startTime: null,
      closeTime: null,
      historyLength: null,
      state: null,
    };
  }
  const handle = temporal.client.workflow.getHandle(workflowId);
  try {
    const d = await withinDeadline(temporal, () => handle.describe());
    const view: WorkflowView = {
      workflowId,
      runId: d.runId,
      status: d.status.name,
      startTime: d.startTime.toISOString(),
      closeTime: d.closeTime?.toISOString() ?? null,
      historyLength: d.historyLength,
      state: null,
    };
    try {
      view.state = await withinDeadline(temporal, () => handle.query(campaignStateQuery));
    } catch (err) {
      // Temporal answered the describe a moment ago: a query it cannot answer in time (no worker)
      // leaves the state out and says why, rather than failing the whole read.
      view.stateError = err instanceof Error ? err.message : String(err);
    }
    return view;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      return {
        workflowId,
        runId: null,
        status: 'NOT_FOUND',
        startTime: null,
        closeTime: null,
        historyLength: null,
        state: null,
      };
    }
    throw err;
  }
}

/** One event of GET /campaigns/:id/history; the OpenAPI document imports this schema. */
export const HistoryEventViewSchema = z.object({
  eventId: z.string(),
  eventType: z.string(),
  eventTime: NullableTimestamp,
  attempt: z.int().nullable(),
  /** The event's own attributes, as Temporal's JSON mapping gives them. */
  attributes: z.record(z.string(), z.unknown()),
});
export type HistoryEventView = z.infer<typeof HistoryEventViewSchema>;

const EventType = proto.api.enums.v1.EventType;

function eventTypeName(value: number | null | undefined): string {
  const name = value === null || value === undefined ? undefined : EventType[value];
  return name ? name.replace(/^EVENT_TYPE_/, '') : 'UNSPECIFIED';
}

function toIso(ts: google.protobuf.ITimestamp | null | undefined): string | null {
  if (!ts?.seconds) return null;
  const ms = Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
  return new Date(ms).toISOString();
}

export function toEventView(event: proto.api.history.v1.IHistoryEvent): HistoryEventView {
  const json = proto.api.history.v1.HistoryEvent.fromObject(event).toJSON() as Record<string, unknown>;
  const attributesKey = Object.keys(json).find((k) => k.endsWith('EventAttributes'));
  const attributes = (attributesKey ? json[attributesKey] : {}) as Record<string, unknown>;
  return {
    eventId: String(event.eventId),
    eventType: eventTypeName(event.eventType),
    eventTime: toIso(event.eventTime),
    attempt: typeof attributes.attempt === 'number' ? attributes.attempt : null,
    attributes,
  };
}

const GRPC_INVALID_ARGUMENT = 3;

export async function readHistoryPage(
  temporal: TemporalDeps,
  workflowId: string,
  pageSize: number,
  pageToken: string | undefined,
): Promise<{ events: HistoryEventView[]; nextPageToken: string | null }> {
  const badToken = () =>
    validationProblem([{ field: 'query.pageToken', message: 'is not a page token this API issued' }]);
  if (pageToken !== undefined && !/^[A-Za-z0-9_-]{1,4096}$/.test(pageToken)) throw badToken();
  const response = await withinDeadline(temporal, () =>
    temporal.client.workflowService.getWorkflowExecutionHistory({
      namespace: temporal.namespace,
      execution: { workflowId },
      maximumPageSize: pageSize,
      nextPageToken: pageToken ? Buffer.from(pageToken, 'base64url') : undefined,
    }),
  ).catch((err: unknown) => {
    // Temporal answers INVALID_ARGUMENT (gRPC code 3) for a token it cannot read: the caller's
    // mistake, named as such, not a 500.
    if (pageToken !== undefined && (err as { code?: unknown }).code === GRPC_INVALID_ARGUMENT)
      throw badToken();
    throw err;
  });
  const token =
    response.nextPageToken && response.nextPageToken.length > 0
      ? Buffer.from(response.nextPageToken).toString('base64url')
      : null;
  return { events: (response.history?.events ?? []).map(toEventView), nextPageToken: token };
}
