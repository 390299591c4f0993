// The timeline builder over recorded campaign histories (test/fixtures/histories) and hand-made events:
// steps per channel with their times, failures with reasons, retries, pending timers, steering updates.
import fs from 'node:fs';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal, type google } from '@temporalio/proto';
import {
  buildWorkflowTimeline,
  pendingActivitiesOf,
  type TimelineStep,
} from '../../../api/ops/timeline-builder';

const EventType = temporal.api.enums.v1.EventType;
type Event = temporal.api.history.v1.IHistoryEvent;

function fixture(name: string): Event[] {
  const file = path.resolve(__dirname, '..', '..', 'fixtures', 'histories', `${name}.json`);
  return temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(file, 'utf8'))).events ?? [];
}

const of = (steps: TimelineStep[], kind: TimelineStep['kind']) => steps.filter((s) => s.kind === kind);

describe('a campaign cancelled while acquiring', () => {
  const timeline = buildWorkflowTimeline('campaign-x', fixture('campaign-cancelled-while-acquiring'));

  it('shows one completed publish step per channel, with its start and end', () => {
    const publishes = of(timeline.steps, 'publish');
    expect(publishes.map((s) => s.channelCode).sort()).toEqual(['ch-86303855-1', 'ch-c5ae3cbf-0']);
    for (const step of publishes) {
      expect(step).toMatchObject({
        status: 'completed',
        attempts: 1,
        failures: [],
        name: 'publishPlacement',
      });
      expect(step.label).toBe(`publish to ${step.channelCode}`);
      expect(Date.parse(step.scheduledAt!)).toBeLessThanOrEqual(Date.parse(step.startedAt!));
      expect(Date.parse(step.startedAt!)).toBeLessThanOrEqual(Date.parse(step.endedAt!));
      expect(step.placementId).toEqual(expect.any(String));
      expect(step.detail).toMatchObject({ variantKey: 'default', generation: 0, outcome: 'verified' });
    }
  });

  it('names the channel of each withdrawal from the placement its publish created', () => {
    const publishes = of(timeline.steps, 'publish');
    const withdrawals = of(timeline.steps, 'withdraw');
    expect(withdrawals).toHaveLength(2);
    for (const w of withdrawals) {
      const publish = publishes.find((p) => p.placementId === w.placementId);
      expect(w.channelCode).toBe(publish?.channelCode);
      expect(w.label).toBe(`withdraw from ${w.channelCode}`);
      expect(w).toMatchObject({ status: 'completed', detail: { outcome: 'withdrawn' } });
    }
  });

  it('shows the cancel update with its actor and reason, and the phases in order', () => {
    expect(timeline.messages).toEqual([
      expect.objectContaining({
        kind: 'update',
        name: 'cancelCampaign',
        actor: 'ops-wang',
        reason: 'wrong audience',
        outcome: 'completed',
      }),
    ]);
    expect(of(timeline.steps, 'phase').map((s) => s.phase)).toEqual([
      'launching',
      'acquiring',
      'withdrawing',
      'cancelled',
    ]);
    expect(timeline).toMatchObject({ workflowType: 'campaignWorkflow', status: 'completed' });
    expect(timeline.closedAt).toEqual(expect.any(String));
  });

  it('lists each cohort child workflow with its key and how it ended', () => {
    const cohorts = of(timeline.steps, 'cohort');
    expect(cohorts.length).toBeGreaterThanOrEqual(3);
    for (const c of cohorts) {
      expect(c.id).toBe(`campaign-54577d54-0dc8-437e-81af-61dcd09a17da-cohort-${c.cohortKey}`);
      expect(c.name).toBe('cohortWorkflow');
    }
    expect(cohorts.some((c) => c.status === 'cancelled' && c.endedAt !== null)).toBe(true);
  });
});

describe('a campaign whose all-or-nothing launch failed', () => {
  const timeline = buildWorkflowTimeline('campaign-y', fixture('campaign-all-or-nothing-failed'));

  it("shows the failed channel's publish with the failure's type and message", () => {
    const failed = of(timeline.steps, 'publish').filter((s) => s.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.failures).toEqual([
      { message: expect.stringMatching(/HTTP 422/), type: 'ChannelRejected', attempt: 1 },
    ]);
    expect(of(timeline.steps, 'record_failure')[0]).toMatchObject({
      channelCode: failed[0]!.channelCode,
      status: 'completed',
    });
    expect(of(timeline.steps, 'withdraw')).toHaveLength(3);
    expect(of(timeline.steps, 'phase').map((s) => s.phase)).toEqual(['launching', 'withdrawing', 'failed']);
  });
});

// Hand-made events for what the recorded histories do not show: retries, timers, running activities.
// Longs are plain numbers here: the builder reads them through String(), as it does real ones.
const ts = (ms: number) =>
  ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 }) as unknown as google.protobuf.ITimestamp;
const payloads = (value: unknown) => ({ payloads: [defaultPayloadConverter.toPayload(value)] });
const T0 = Date.parse('2026-03-01T00:00:00.000Z');

function event(id: number, at: number, type: number, attrs: Record<string, unknown>): Event {
  return { eventId: id, eventTime: ts(at), eventType: type, ...attrs } as unknown as Event;
}

describe('retries, timers and running activities', () => {
  const events: Event[] = [
    event(1, T0, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, {
      workflowExecutionStartedEventAttributes: { workflowType: { name: 'cohortWorkflow' } },
    }),
    event(2, T0 + 10, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, {
      activityTaskScheduledEventAttributes: {
        activityId: '1',
        activityType: { name: 'runCohortStep' },
        input: payloads({ campaignId: 'c', cohortKey: '2026-03-01', stepId: 'welcome' }),
      },
    }),
    event(3, T0 + 9000, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, {
      activityTaskStartedEventAttributes: {
        scheduledEventId: 2,
        attempt: 3,
        lastFailure: {
          message: 'simulator answered 503',
          cause: { message: 'connection reset' },
          applicationFailureInfo: { type: 'ChannelUnavailable' },
          stackTrace: 'Error: at secret/internal/file.ts:1',
        },
      },
    }),
    event(4, T0 + 9500, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, {
      activityTaskCompletedEventAttributes: {
        scheduledEventId: 2,
        result: payloads({ delivered: 40, skipped: 5, alreadyDelivered: 0 }),
      },
    }),
    event(5, T0 + 9600, EventType.EVENT_TYPE_TIMER_STARTED, {
      timerStartedEventAttributes: { timerId: '7', startToFireTimeout: { seconds: 86400 } },
    }),
    event(6, T0 + 9700, EventType.EVENT_TYPE_TIMER_STARTED, {
      timerStartedEventAttributes: { timerId: '8', startToFireTimeout: { seconds: 5 } },
    }),
    event(7, T0 + 14700, EventType.EVENT_TYPE_TIMER_FIRED, { timerFiredEventAttributes: { timerId: '8' } }),
    event(8, T0 + 15000, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, {
      workflowExecutionSignaledEventAttributes: { signalName: 'setCohortPaused', identity: 'api@host' },
    }),
    event(9, T0 + 16000, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, {
      activityTaskScheduledEventAttributes: {
        activityId: '2',
        activityType: { name: 'runCohortStep' },
        input: payloads({ campaignId: 'c', cohortKey: '2026-03-01', stepId: 'nudge' }),
      },
    }),
  ];

  it('counts attempts and keeps the reason each earlier attempt failed, never a stack trace', () => {
    const [welcome] = buildWorkflowTimeline('cohort-1', events).steps;
    expect(welcome).toMatchObject({
      kind: 'cohort_step',
      stepId: 'welcome',
      cohortKey: '2026-03-01',
      status: 'completed',
      attempts: 3,
      startedAt: new Date(T0 + 9000).toISOString(),
      endedAt: new Date(T0 + 9500).toISOString(),
      detail: { delivered: 40, skipped: 5, alreadyDelivered: 0 },
    });
    expect(welcome!.failures).toEqual([
      { message: 'simulator answered 503: connection reset', type: 'ChannelUnavailable', attempt: 2 },
    ]);
    expect(JSON.stringify(welcome)).not.toContain('secret/internal');
  });

  it('shows a timer that has neither fired nor been cancelled as pending, with its fire time', () => {
    const { timers, messages } = buildWorkflowTimeline('cohort-1', events);
    expect(timers).toEqual([
      expect.objectContaining({
        timerId: '7',
        status: 'pending',
        firesAt: new Date(T0 + 9600 + 86_400_000).toISOString(),
      }),
      expect.objectContaining({ timerId: '8', status: 'fired', endedAt: new Date(T0 + 14700).toISOString() }),
    ]);
    expect(messages).toEqual([
      expect.objectContaining({ kind: 'signal', name: 'setCohortPaused', identity: 'api@host', actor: null }),
    ]);
  });

  it("merges a running activity's attempts and last failure from the workflow's description", () => {
    const pending = pendingActivitiesOf({
      pendingActivities: [
        {
          activityId: '2',
          state: temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED,
          attempt: 4,
          lastFailure: { message: 'timeout', timeoutFailureInfo: { timeoutType: 1 } },
          lastStartedTime: ts(T0 + 20000),
          nextAttemptScheduleTime: ts(T0 + 28000),
        },
      ],
    });
    const nudge = buildWorkflowTimeline('cohort-1', events, pending).steps[1];
    expect(nudge).toMatchObject({
      stepId: 'nudge',
      status: 'retrying',
      attempts: 4,
      endedAt: null,
      startedAt: new Date(T0 + 20000).toISOString(),
      nextAttemptAt: new Date(T0 + 28000).toISOString(),
      failures: [{ message: 'timeout', type: 'Timeout:TIMEOUT_TYPE_START_TO_CLOSE', attempt: 3 }],
    });
    expect(buildWorkflowTimeline('cohort-1', events).steps[1]).toMatchObject({
      status: 'scheduled',
      attempts: 0,
    });
  });
});
