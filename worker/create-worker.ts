// Builds the campaign worker: the campaign task queue, the bundled workflows and the activities.
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { ActivityDeps } from '../activities/deps';
import { ActivityFailureCounter } from '../infra/metrics';
import { getWorkflowBundle } from './workflow-bundle';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** How long in-flight activities may finish after shutdown starts (default 10 s). */
  shutdownGraceTime?: string;
  /** After this, a worker that has not drained stops with GracefulShutdownPeriodExpiredError (default: waits). */
  shutdownForceTime?: string;
  /** Activities at once (default 100; the worker process passes WORKER_MAX_CONCURRENT_ACTIVITIES). */
  maxConcurrentActivities?: number;
  /** Workflows kept in the worker's cache (WORKER_MAX_CACHED_WORKFLOWS); unset: the SDK's default. */
  maxCachedWorkflows?: number;
  /** A bundle file to load (worker/workflow-bundle.ts says why); without it this process bundles. */
  workflowBundlePath?: string;
}

export async function createCampaignWorker(opts: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowBundle: opts.workflowBundlePath
      ? { codePath: opts.workflowBundlePath }
      : await getWorkflowBundle(),
    activities: createActivities(opts.deps),
    // A campaign's parallel publishing and cohort pages are I/O bound: allow a good number at once.
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivities ?? 100,
    ...(opts.maxCachedWorkflows ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
    shutdownGraceTime: (opts.shutdownGraceTime ?? '10 seconds') as '10 seconds',
    ...(opts.shutdownForceTime ? { shutdownForceTime: opts.shutdownForceTime as '10 seconds' } : {}),
    // Counts failed activity attempts in the Temporal metrics (docs/api/operations.md).
    interceptors: { activity: [(ctx) => ({ inbound: new ActivityFailureCounter(ctx) })] },
  });
}
