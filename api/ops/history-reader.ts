// Reads a workflow's whole event history, page after page, up to a cap: a timeline needs every event,
// but one request must not hold an unbounded history in memory. The caller says when it was capped.
import { temporal as proto } from '@temporalio/proto';
import { withinDeadline, type TemporalDeps } from '../temporal';

export type HistoryEvent = proto.api.history.v1.IHistoryEvent;

/** Events read per workflow at most; campaign histories stay far below (see workflows/campaign.ts). */
export const HISTORY_EVENT_CAP = 10_000;

export interface FullHistory {
  events: HistoryEvent[];
  /** True when the history has more events than the cap: the timeline shows the first `cap` only. */
  truncated: boolean;
}

export async function readFullHistory(
  temporal: TemporalDeps,
  workflowId: string,
  cap = HISTORY_EVENT_CAP,
): Promise<FullHistory> {
  const events: HistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const request = {
      namespace: temporal.namespace,
      execution: { workflowId },
      maximumPageSize: Math.min(1000, cap - events.length),
      nextPageToken,
    };
    const response = await withinDeadline(temporal, () =>
      temporal.client.workflowService.getWorkflowExecutionHistory(request),
    );
    events.push(...(response.history?.events ?? []));
    nextPageToken =
      response.nextPageToken && response.nextPageToken.length > 0 ? response.nextPageToken : undefined;
  } while (nextPageToken && events.length < cap);
  return { events: events.slice(0, cap), truncated: nextPageToken !== undefined || events.length > cap };
}
