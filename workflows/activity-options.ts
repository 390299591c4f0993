// Timeouts and retry policies per kind of work, chosen once and reviewed here.
import type { ActivityOptions } from '@temporalio/workflow';

/**
 * A short database write: each try fails fast (10 s) and is retried with backoff for up to an hour. The
 * hour counts from scheduling, so it includes the wait for a free activity slot: with 5 minutes, a
 * 1,000,000-registration campaign on a worker limited to 24 activities at once failed cohort workflows
 * whose status write had queued behind long cohort steps for 5 minutes (ScheduleToStart timeout,
 * 2026-12-03) — and a failed cohort sends none of its steps. A write that cannot land in an hour (the
 * database gone that long) still fails its workflow, visibly.
 */
export const dbWrite: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
};

/** A call to a channel system: parallel per channel, heartbeating, a few retries before the policy decides. */
export const channelCall: ActivityOptions = {
  startToCloseTimeout: '60 seconds',
  heartbeatTimeout: '20 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes: ['MaterialNotApproved'],
  },
};

/** Withdrawal must eventually happen: keep retrying for a long time. */
export const channelWithdraw: ActivityOptions = {
  startToCloseTimeout: '60 seconds',
  heartbeatTimeout: '20 seconds',
  scheduleToCloseTimeout: '24 hours',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
};

/**
 * One education/engagement step over a cohort's customers, page by page (500 customers), heartbeating
 * after every channel call and every 3 s while a page runs (activities/cohort-steps.ts). The heartbeat
 * timeout is sized to the longest silence a healthy step can have — one channel call, bounded by its
 * 10 s timeout — plus margin: a killed worker's step is retried elsewhere ~12 s later (it was 60 s).
 * The trade-off (docs/architecture.md, "Heartbeats"): a channel whose calls take longer than that must
 * get a shorter per-call timeout, or its steps are retried as if the worker had died.
 */
export const cohortStep: ActivityOptions = {
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '12 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 20,
  },
};

/** The evaluation: aggregates over up to millions of facts. */
export const evaluation: ActivityOptions = {
  startToCloseTimeout: '30 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '2 minutes',
    maximumAttempts: 10,
  },
};

/**
 * A pacing review: a few aggregate reads and small writes in one transaction that waits for the
 * campaign's registration lock (an ingest batch holds it for up to a minute). Retried for a while — it is
 * idempotent by review index — then given up: the caps stay and the next review tries again.
 */
export const pacingReview: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '10 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['PacingPolicyViolation'],
  },
};
