// Turns one workflow's event history into readable steps: each activity (what it did for which channel,
// cohort or phase, when it was scheduled, started and ended, how many attempts it took and why attempts
// failed), each child workflow, the timers (pending ones with their fire time) and the signals and
// updates received. Pure: the caller reads the histories and enriches the result (timeline.ts).
import { temporal as proto, type google } from '@temporalio/proto';
import type { Activities } from '../../activities';
import type { HistoryEvent } from './history-reader';
import { asRecord, firstArgument, stringField } from './payloads';
import type {
  StepKind,
  StepStatus,
  TimelineFailure,
  TimelineMessage,
  TimelineStep,
  TimelineTimer,
  WORKFLOW_STATUSES,
} from './timeline-schemas';

// The step, timer, message and failure shapes are the response's (timeline-schemas.ts): inferred from
// the schemas the OpenAPI document uses, so a field added here is documented by being added there.
export type { StepKind, StepStatus, TimelineFailure, TimelineMessage, TimelineStep, TimelineTimer };

export interface WorkflowTimeline {
  workflowId: string;
  workflowType: string | null;
  status: (typeof WORKFLOW_STATUSES)[number];
  startedAt: string | null;
  closedAt: string | null;
  failure: TimelineFailure | null;
  steps: TimelineStep[];
  timers: TimelineTimer[];
  messages: TimelineMessage[];
  eventsRead: number;
}

/** An activity that is running or waiting to retry, from DescribeWorkflowExecution. */
export interface PendingActivity {
  activityId: string;
  state: 'scheduled' | 'started' | 'cancel_requested';
  attempt: number;
  lastFailure: TimelineFailure | null;
  lastStartedAt: string | null;
  nextAttemptAt: string | null;
}

const EventType = proto.api.enums.v1.EventType;

export function timestampIso(ts: google.protobuf.ITimestamp | null | undefined): string | null {
  if (!ts || ts.seconds === null || ts.seconds === undefined) return null;
  const ms = Number(String(ts.seconds)) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

function durationMs(d: google.protobuf.IDuration | null | undefined): number | null {
  if (!d) return null;
  return Number(String(d.seconds ?? 0)) * 1000 + Math.floor((d.nanos ?? 0) / 1e6);
}

function failureOf(
  failure: proto.api.failure.v1.IFailure | null | undefined,
  attempt: number | null = null,
): TimelineFailure | null {
  if (!failure) return null;
  const causes: string[] = [];
  for (let c = failure.cause; c && causes.length < 3; c = c.cause) if (c.message) causes.push(c.message);
  const type =
    failure.applicationFailureInfo?.type ||
    (failure.timeoutFailureInfo
      ? `Timeout:${proto.api.enums.v1.TimeoutType[failure.timeoutFailureInfo.timeoutType ?? 0] ?? 'unknown'}`
      : failure.canceledFailureInfo
        ? 'Cancelled'
        : failure.terminatedFailureInfo
          ? 'Terminated'
          : null);
  return { message: [failure.message ?? '', ...causes].filter(Boolean).join(': '), type, attempt };
}

/** Identifying fields of an activity, read from its decoded input. */
function identifiersOf(input: unknown) {
  const target = asRecord(asRecord(input).target);
  return {
    channelCode: stringField(target, 'channelCode'),
    placementId: stringField(input, 'placementId'),
    cohortKey: stringField(input, 'cohortKey'),
    stepId: stringField(input, 'stepId'),
    phase: stringField(input, 'phase'),
  };
}
type Identifiers = ReturnType<typeof identifiersOf>;
interface ActivityStep {
  kind: StepKind;
  label: string;
  detail: Record<string, unknown>;
}

/**
 * How each activity reads in a timeline, keyed by the activities the worker registers: renaming or
 * adding an activity without this table is a type error, not a step that silently reads "activity".
 */
const ACTIVITY_STEPS: {
  readonly [A in keyof Activities]: (input: unknown, ids: Identifiers) => ActivityStep;
} = {
  recordCampaignPhase: (_input, ids) => ({
    kind: 'phase',
    label: `enter phase ${ids.phase ?? '?'}`,
    detail: {},
  }),
  preparePublishing: () => ({ kind: 'prepare', label: 'prepare publishing', detail: {} }),
  publishPlacement: (input, ids) => {
    const target = asRecord(asRecord(input).target);
    return {
      kind: 'publish',
      label: `publish to ${ids.channelCode ?? '?'}`,
      detail: {
        variantKey: target.variantKey ?? null,
        materialVersionId: target.materialVersionId ?? null,
        generation: asRecord(input).generation ?? null,
      },
    };
  },
  markPlacementFailed: (input, ids) => ({
    kind: 'record_failure',
    label: `record failed placement on ${ids.channelCode ?? '?'}`,
    detail: { error: asRecord(input).error ?? null },
  }),
  livePlacements: () => ({ kind: 'lookup', label: 'list live placements', detail: {} }),
  countCohortMembers: (_input, ids) => ({
    kind: 'lookup',
    label: `count members of cohort ${ids.cohortKey ?? '?'}`,
    detail: {},
  }),
  verifyPlacements: () => ({ kind: 'verify', label: 'verify placements (read-back)', detail: {} }),
  withdrawPlacement: () => ({ kind: 'withdraw', label: 'withdraw placement', detail: {} }),
  evaluateCampaign: (input) => ({
    kind: 'evaluate',
    label: 'evaluate campaign',
    detail: { provisional: asRecord(input).provisional ?? null },
  }),
  reviewPacing: (input) => ({
    kind: 'pacing_review',
    label: `pacing review ${String(asRecord(input).reviewIndex ?? '?')}${asRecord(input).frozen === true ? ' (frozen)' : ''}`,
    detail: { reviewIndex: asRecord(input).reviewIndex ?? null, frozen: asRecord(input).frozen ?? null },
  }),
  runCohortStep: (_input, ids) => ({
    kind: 'cohort_step',
    label: `run step ${ids.stepId ?? '?'} for cohort ${ids.cohortKey ?? '?'}`,
    detail: {},
  }),
  recordLaunchApproval: (input) => {
    const by = stringField(input, 'by');
    return {
      kind: 'approval',
      label: `record launch ${stringField(input, 'state') ?? '?'}${by ? ` by ${by}` : ''}`,
      detail: { state: asRecord(input).state ?? null, by, note: asRecord(input).note ?? null },
    };
  },
  recordCohortStatus: (input, ids) => ({
    kind: 'cohort_status',
    label: `record cohort ${ids.cohortKey ?? '?'} ${stringField(input, 'status') ?? ''}`.trim(),
    detail: { status: asRecord(input).status ?? null },
  }),
};

function isActivityType(type: string): type is keyof Activities {
  return Object.hasOwn(ACTIVITY_STEPS, type);
}

/** Kind, label and identifying fields of an activity from its type and decoded input. */
function describeActivity(type: string, input: unknown): Identifiers & ActivityStep {
  const ids = identifiersOf(input);
  const step = isActivityType(type)
    ? ACTIVITY_STEPS[type](input, ids)
    : { kind: 'activity' as const, label: type, detail: {} };
  return { ...ids, ...step };
}

function resultDetail(kind: StepKind, result: unknown): Record<string, unknown> {
  const r = asRecord(result);
  switch (kind) {
    case 'publish':
      return { outcome: r.status ?? null };
    case 'withdraw':
      return { outcome: r.status ?? null };
    case 'prepare':
      return { targets: Array.isArray(r.targets) ? r.targets.length : null };
    case 'lookup':
      return Array.isArray(result) ? { placements: result.length } : { count: result ?? null };
    case 'verify':
      return { checked: r.checked ?? null, drifted: Array.isArray(r.drifted) ? r.drifted.length : null };
    case 'evaluate':
      return { reportId: r.reportId ?? null, version: r.version ?? null, reused: r.reused ?? null };
    case 'pacing_review':
      return { outcome: r.outcome ?? null, moved: r.moved ?? null, method: r.method ?? null };
    case 'cohort_step':
      return {
        delivered: r.delivered ?? null,
        skipped: r.skipped ?? null,
        alreadyDelivered: r.alreadyDelivered ?? null,
      };
    default:
      return {};
  }
}

function emptyStep(workflowId: string): Omit<TimelineStep, 'kind' | 'label' | 'name' | 'id'> {
  return {
    workflowId,
    status: 'scheduled',
    channelCode: null,
    placementId: null,
    cohortKey: null,
    stepId: null,
    phase: null,
    scheduledAt: null,
    startedAt: null,
    endedAt: null,
    attempts: 0,
    nextAttemptAt: null,
    failures: [],
    detail: {},
  };
}

export function buildWorkflowTimeline(
  workflowId: string,
  events: readonly HistoryEvent[],
  pending: readonly PendingActivity[] = [],
): WorkflowTimeline {
  const timeline: WorkflowTimeline = {
    workflowId,
    workflowType: null,
    status: 'running',
    startedAt: null,
    closedAt: null,
    failure: null,
    steps: [],
    timers: [],
    messages: [],
    eventsRead: events.length,
  };
  const activities = new Map<string, TimelineStep>(); // scheduled event id → step
  const children = new Map<string, TimelineStep>(); // initiated event id → step
  const timers = new Map<string, TimelineTimer>(); // timer id → timer
  const updates = new Map<string, TimelineMessage>(); // update id → message
  const placementChannels = new Map<string, string>(); // placement id → channel code (publish results)

  for (const event of events) {
    const at = timestampIso(event.eventTime);
    const id = String(event.eventId);
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: {
        timeline.workflowType = event.workflowExecutionStartedEventAttributes?.workflowType?.name ?? null;
        timeline.startedAt = at;
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        const a = event.activityTaskScheduledEventAttributes;
        const type = a?.activityType?.name ?? 'unknown';
        const { kind, label, detail, ...fields } = describeActivity(type, firstArgument(a?.input));
        const step: TimelineStep = {
          ...emptyStep(workflowId),
          ...fields,
          kind,
          label,
          name: type,
          id: a?.activityId ?? id,
          scheduledAt: at,
          detail,
        };
        activities.set(id, step);
        timeline.steps.push(step);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const a = event.activityTaskStartedEventAttributes;
        const step = activities.get(String(a?.scheduledEventId));
        if (!step) break;
        step.status = 'running';
        step.startedAt = at;
        step.attempts = a?.attempt ?? 1;
        // The history keeps only the last attempt's start; the failure before it says why it was retried.
        const previous = failureOf(a?.lastFailure, step.attempts - 1);
        if (previous) step.failures.push(previous);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
        const a = event.activityTaskCompletedEventAttributes;
        const step = activities.get(String(a?.scheduledEventId));
        if (!step) break;
        step.status = 'completed';
        step.endedAt = at;
        const result = firstArgument(a?.result);
        Object.assign(step.detail, resultDetail(step.kind, result));
        if (step.kind === 'publish') {
          step.placementId = stringField(result, 'placementId');
          const code = step.channelCode ?? stringField(result, 'channelCode');
          if (step.placementId && code) placementChannels.set(step.placementId, code);
        }
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED: {
        const a = event.activityTaskFailedEventAttributes;
        const step = activities.get(String(a?.scheduledEventId));
        if (!step) break;
        step.status = 'failed';
        step.endedAt = at;
        const failure = failureOf(a?.failure, step.attempts || null);
        if (failure) step.failures.push(failure);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: {
        const a = event.activityTaskTimedOutEventAttributes;
        const step = activities.get(String(a?.scheduledEventId));
        if (!step) break;
        step.status = 'timed_out';
        step.endedAt = at;
        const failure = failureOf(a?.failure, step.attempts || null);
        if (failure) step.failures.push(failure);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED: {
        const step = activities.get(
          String(event.activityTaskCancelRequestedEventAttributes?.scheduledEventId),
        );
        if (step && !step.endedAt) step.status = 'cancel_requested';
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED: {
        const step = activities.get(String(event.activityTaskCanceledEventAttributes?.scheduledEventId));
        if (!step) break;
        step.status = 'cancelled';
        step.endedAt = at;
        break;
      }
      case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED: {
        const a = event.startChildWorkflowExecutionInitiatedEventAttributes;
        const input = firstArgument(a?.input);
        const cohortKey = stringField(asRecord(input).cohort, 'key');
        const step: TimelineStep = {
          ...emptyStep(workflowId),
          kind: 'cohort',
          label: cohortKey ? `cohort ${cohortKey}` : `child workflow ${a?.workflowId ?? '?'}`,
          name: a?.workflowType?.name ?? 'unknown',
          id: a?.workflowId ?? id,
          cohortKey,
          scheduledAt: at,
          detail: {
            start: asRecord(asRecord(input).cohort).start ?? null,
            end: asRecord(asRecord(input).cohort).end ?? null,
          },
        };
        children.set(id, step);
        timeline.steps.push(step);
        break;
      }
      case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED: {
        const a = event.startChildWorkflowExecutionFailedEventAttributes;
        const step = children.get(String(a?.initiatedEventId));
        if (!step) break;
        step.status = 'failed';
        step.endedAt = at;
        step.failures.push({
          message: `could not start: ${String(a?.cause ?? 'unknown cause')}`,
          type: null,
          attempt: null,
        });
        break;
      }
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED: {
        const a = event.childWorkflowExecutionStartedEventAttributes;
        const step = children.get(String(a?.initiatedEventId));
        if (!step) break;
        step.status = 'running';
        step.startedAt = at;
        step.attempts = 1;
        step.detail.runId = a?.workflowExecution?.runId ?? null;
        break;
      }
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED:
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED:
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED:
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED:
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT: {
        const a =
          event.childWorkflowExecutionCompletedEventAttributes ??
          event.childWorkflowExecutionFailedEventAttributes ??
          event.childWorkflowExecutionCanceledEventAttributes ??
          event.childWorkflowExecutionTerminatedEventAttributes ??
          event.childWorkflowExecutionTimedOutEventAttributes;
        const step = children.get(String(a?.initiatedEventId));
        if (!step) break;
        step.endedAt = at;
        step.status = CHILD_END[event.eventType] ?? 'completed';
        const failure = failureOf(event.childWorkflowExecutionFailedEventAttributes?.failure);
        if (failure) step.failures.push(failure);
        break;
      }
      case EventType.EVENT_TYPE_TIMER_STARTED: {
        const a = event.timerStartedEventAttributes;
        const timerId = a?.timerId ?? id;
        const fireMs = durationMs(a?.startToFireTimeout);
        timers.set(timerId, {
          workflowId,
          timerId,
          startedAt: at,
          firesAt: at && fireMs !== null ? new Date(Date.parse(at) + fireMs).toISOString() : null,
          status: 'pending',
          endedAt: null,
        });
        break;
      }
      case EventType.EVENT_TYPE_TIMER_FIRED:
      case EventType.EVENT_TYPE_TIMER_CANCELED: {
        const timerId = (event.timerFiredEventAttributes ?? event.timerCanceledEventAttributes)?.timerId;
        const timer = timerId ? timers.get(timerId) : undefined;
        if (!timer) break;
        timer.status = event.eventType === EventType.EVENT_TYPE_TIMER_FIRED ? 'fired' : 'cancelled';
        timer.endedAt = at;
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: {
        const a = event.workflowExecutionSignaledEventAttributes;
        const arg = firstArgument(a?.input);
        timeline.messages.push({
          kind: 'signal',
          name: a?.signalName ?? 'unknown',
          workflowId,
          at,
          actor: stringField(arg, 'actor'),
          reason: stringField(arg, 'reason'),
          identity: a?.identity || null,
          outcome: 'received',
          failure: null,
        });
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: {
        const request = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
        const arg = firstArgument(request?.input?.args);
        const message: TimelineMessage = {
          kind: 'update',
          name: request?.input?.name ?? 'unknown',
          workflowId,
          at,
          actor: stringField(arg, 'actor'),
          // An approveLaunch carries a note where other steering carries a reason.
          reason: stringField(arg, 'reason') ?? stringField(arg, 'note'),
          identity: request?.meta?.identity || null,
          outcome: 'accepted',
          failure: null,
        };
        if (request?.meta?.updateId) updates.set(request.meta.updateId, message);
        timeline.messages.push(message);
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED: {
        const a = event.workflowExecutionUpdateCompletedEventAttributes;
        const message = updates.get(a?.meta?.updateId ?? '');
        if (!message) break;
        message.outcome = a?.outcome?.failure ? 'failed' : 'completed';
        message.failure = failureOf(a?.outcome?.failure)?.message ?? null;
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED: {
        const a = event.workflowExecutionCancelRequestedEventAttributes;
        timeline.messages.push({
          kind: 'cancel_request',
          name: 'cancel workflow',
          workflowId,
          at,
          actor: null,
          reason: a?.cause || null,
          identity: a?.identity || null,
          outcome: 'received',
          failure: null,
        });
        break;
      }
      default: {
        const closed = WORKFLOW_END[event.eventType ?? 0];
        if (closed) {
          timeline.status = closed;
          timeline.closedAt = at;
          timeline.failure = failureOf(event.workflowExecutionFailedEventAttributes?.failure);
        }
      }
    }
  }

  for (const step of timeline.steps) {
    if (step.kind !== 'withdraw') continue;
    if (step.placementId && !step.channelCode)
      step.channelCode = placementChannels.get(step.placementId) ?? null;
    step.label = withdrawalLabel(step);
  }
  applyPending(activities, pending);
  timeline.timers = [...timers.values()];
  // A closed workflow waits for nothing: a timer it left unfired never fires.
  if (timeline.status !== 'running') {
    for (const timer of timeline.timers.filter((t) => t.status === 'pending')) {
      timer.status = 'cancelled';
      timer.endedAt = timeline.closedAt;
    }
  }
  return timeline;
}

/** "withdraw from <channel>", or the placement id while the channel is not known. */
export function withdrawalLabel(step: Pick<TimelineStep, 'channelCode' | 'placementId'>): string {
  return `withdraw from ${step.channelCode ?? `placement ${step.placementId ?? '?'}`}`;
}

/** Attempts, retry reasons and start times the history does not show yet (it records a start only at the end). */
function applyPending(activities: Map<string, TimelineStep>, pending: readonly PendingActivity[]): void {
  const open = new Map(
    [...activities.values()].filter((s) => s.endedAt === null).map((s) => [s.id, s] as const),
  );
  for (const p of pending) {
    const step = open.get(p.activityId);
    if (!step) continue;
    step.attempts = Math.max(step.attempts, p.attempt);
    step.startedAt = p.lastStartedAt ?? step.startedAt;
    step.nextAttemptAt = p.nextAttemptAt;
    if (p.state === 'cancel_requested') step.status = 'cancel_requested';
    else if (p.state === 'started') step.status = 'running';
    else step.status = p.attempt > 1 ? 'retrying' : 'scheduled';
    if (p.lastFailure) step.failures.push(p.lastFailure);
  }
}

const CHILD_END: Partial<Record<number, StepStatus>> = {
  [EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED]: 'completed',
  [EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED]: 'failed',
  [EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED]: 'cancelled',
  [EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED]: 'terminated',
  [EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT]: 'timed_out',
};

const WORKFLOW_END: Partial<Record<number, WorkflowTimeline['status']>> = {
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED]: 'completed',
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED]: 'failed',
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED]: 'cancelled',
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED]: 'terminated',
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT]: 'timed_out',
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW]: 'continued_as_new',
};

/** The pending activities of a DescribeWorkflowExecution answer, in the shape the builder merges. */
export function pendingActivitiesOf(
  raw: proto.api.workflowservice.v1.IDescribeWorkflowExecutionResponse,
): PendingActivity[] {
  const State = proto.api.enums.v1.PendingActivityState;
  return (raw.pendingActivities ?? []).map((p) => ({
    activityId: p.activityId ?? '',
    state:
      p.state === State.PENDING_ACTIVITY_STATE_STARTED
        ? 'started'
        : p.state === State.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED
          ? 'cancel_requested'
          : 'scheduled',
    attempt: p.attempt ?? 1,
    lastFailure: failureOf(p.lastFailure, p.lastFailure ? Math.max(1, (p.attempt ?? 1) - 1) : null),
    lastStartedAt: timestampIso(p.lastStartedTime),
    nextAttemptAt: timestampIso(p.nextAttemptScheduleTime),
  }));
}
