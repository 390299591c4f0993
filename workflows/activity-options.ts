// Timeouts and retry policies per kind of work, chosen once and reviewed here.
import type { ActivityOptions } from '@temporalio/workflow';

/** A short database write: fails fast, retries with backoff, gives up after a minute of trying. */
export const dbWrite: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '5 minutes',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
};
