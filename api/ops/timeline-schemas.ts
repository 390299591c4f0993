// The response of GET /campaigns/:id/timeline, as zod schemas: timeline-builder.ts and timeline.ts build
// values of the types inferred here, and the OpenAPI document (api/openapi/ops.ts) imports the schemas,
// so that what the endpoint returns and what it documents are one declaration (issue 15).
import { z } from 'zod';
import { NullableTimestamp, Timestamp, Uuid } from '../openapi/common';

export const TimelineFailureSchema = z.object({
  /** The failure's message and, when it wraps another, the cause's ("message: cause"). Never a stack trace. */
  message: z.string(),
  /** The ApplicationFailure type, or the kind of failure (timeout, cancelled, terminated). */
  type: z.string().nullable(),
  /** The attempt that failed, when known. */
  attempt: z.int().nullable(),
});
export type TimelineFailure = z.infer<typeof TimelineFailureSchema>;

export const STEP_KINDS = [
  'phase',
  'prepare',
  'publish',
  'record_failure',
  'lookup',
  'verify',
  'withdraw',
  'evaluate',
  'cohort',
  'cohort_status',
  'cohort_step',
  'pacing_review',
  'approval',
  'activity',
] as const;

export const STEP_STATUSES = [
  'scheduled',
  'running',
  'retrying',
  'completed',
  'failed',
  'timed_out',
  'cancel_requested',
  'cancelled',
  'terminated',
] as const;

export const WORKFLOW_STATUSES = [
  'running',
  'completed',
  'failed',
  'cancelled',
  'terminated',
  'timed_out',
  'continued_as_new',
] as const;

export const TimelineStepSchema = z
  .object({
    kind: z.enum(STEP_KINDS),
    label: z.string(),
    name: z.string().meta({ description: 'The activity type, or the child workflow type of a cohort' }),
    workflowId: z.string(),
    id: z.string().meta({ description: 'The activity id, or the child workflow id of a cohort' }),
    status: z.enum(STEP_STATUSES),
    channelCode: z.string().nullable(),
    placementId: z.string().nullable(),
    cohortKey: z.string().nullable(),
    stepId: z.string().nullable(),
    phase: z.string().nullable(),
    scheduledAt: NullableTimestamp,
    startedAt: NullableTimestamp,
    endedAt: NullableTimestamp,
    attempts: z.int(),
    nextAttemptAt: NullableTimestamp,
    failures: z.array(TimelineFailureSchema),
    detail: z.record(z.string(), z.unknown()),
    get steps() {
      return z.array(TimelineStepSchema).optional().meta({ description: "A cohort's own steps" });
    },
  })
  .meta({ id: 'TimelineStep' });
export type StepKind = (typeof STEP_KINDS)[number];
export type StepStatus = (typeof STEP_STATUSES)[number];
export type TimelineStep = z.infer<typeof TimelineStepSchema>;

export const TimelineTimerSchema = z.object({
  workflowId: z.string(),
  timerId: z.string(),
  startedAt: NullableTimestamp,
  firesAt: NullableTimestamp,
  status: z.enum(['pending', 'fired', 'cancelled']),
  endedAt: NullableTimestamp,
});
export type TimelineTimer = z.infer<typeof TimelineTimerSchema>;

export const TimelineMessageSchema = z.object({
  kind: z.enum(['signal', 'update', 'cancel_request']),
  name: z.string(),
  workflowId: z.string(),
  at: NullableTimestamp,
  actor: z.string().nullable(),
  reason: z.string().nullable(),
  identity: z.string().nullable(),
  outcome: z.enum(['received', 'accepted', 'completed', 'failed']),
  failure: z.string().nullable(),
});
export type TimelineMessage = z.infer<typeof TimelineMessageSchema>;

/** Audit entries: a UUID, or `steer-…` for a steering action (its id is also the workflow update's). */
export const AuditEntryId = z.string().meta({
  description:
    'The entry id: a UUID, or steer-<id> for a steering action (also the id of its workflow update)',
});

export const TimelineActionSchema = z.object({
  id: AuditEntryId,
  actor: z.string(),
  action: z.string(),
  at: Timestamp,
  reason: z.string().nullable(),
  payload: z.unknown(),
});
export type TimelineAction = z.infer<typeof TimelineActionSchema>;

export const CampaignTimelineSchema = z.object({
  campaignId: Uuid,
  workflowId: z.string(),
  workflow: z.object({
    status: z.enum([...WORKFLOW_STATUSES, 'START_PENDING', 'NOT_FOUND']),
    workflowType: z.string().nullable(),
    startedAt: NullableTimestamp,
    closedAt: NullableTimestamp,
    failure: TimelineFailureSchema.nullable(),
  }),
  steps: z.array(TimelineStepSchema),
  timers: z.array(TimelineTimerSchema),
  pendingTimers: z.array(TimelineTimerSchema),
  messages: z.array(TimelineMessageSchema),
  actions: z.array(TimelineActionSchema),
  history: z.object({
    eventCap: z.int(),
    eventsRead: z.int(),
    truncated: z.boolean(),
    cohortHistoriesRead: z.int(),
    cohortHistoriesNotRead: z.int(),
  }),
});
export type CampaignTimeline = z.infer<typeof CampaignTimelineSchema>;
