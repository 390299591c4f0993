// The worker process: serves the campaign task queue until SIGINT/SIGTERM, then drains and exits.
// `npm start` runs it with TEMPORAL_ADDRESS and DATABASE_URL pointing at the embedded servers.
// First: V8 flags that must be in force before any function is optimised (compiler-flags.ts says why).
import './compiler-flags';
import fs from 'node:fs';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadEnv } from '../config';
import { createDb } from '../db/client';
import { systemClock } from '../activities/deps';
import { ensureSearchAttributes } from '../infra/search-attributes';
import { createLogger } from '../infra/logger';
import { workerMetricsAddress } from '../infra/metrics';
import { createSlots, pagesForTransactionSlots, slotsForPool } from '../activities/slots';
import { createCampaignWorker } from './create-worker';
import { startMemoryLog } from './memory-log';
import { bundleInChildProcess, removeBundleFile } from './workflow-bundle';

async function main(): Promise<void> {
  const env = loadEnv();
  const log = createLogger('worker', env.LOG_LEVEL);
  if (!env.TEMPORAL_ADDRESS || !env.DATABASE_URL) {
    throw new Error('worker needs TEMPORAL_ADDRESS and DATABASE_URL (npm start sets both)');
  }
  const metricsAddress = workerMetricsAddress(process.env.WORKER_METRICS_ADDRESS);
  if (metricsAddress) {
    // The Core runtime is created once per process, by the first native connection: install it first.
    Runtime.install({
      telemetryOptions: {
        metrics: {
          prometheus: {
            bindAddress: metricsAddress,
            countersTotalSuffix: true,
            useSecondsForDurations: true,
          },
        },
      },
    });
    log.info('worker metrics', { url: `http://${metricsAddress}/metrics` });
  }
  await ensureSearchAttributes(env.TEMPORAL_ADDRESS, env.TEMPORAL_NAMESPACE);
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const db = createDb(env.DATABASE_URL, env.DB_POOL_SIZE);
  // A prebuilt bundle when the deployment has one; otherwise a child process bundles, so that webpack's
  // memory never sits in the long-lived worker.
  const prebuilt = env.WORKFLOW_BUNDLE_PATH;
  const bundlePath = prebuilt ?? (await bundleInChildProcess());
  const transactionSlots = slotsForPool(env.DB_POOL_SIZE);
  const pagesInFlight = env.WORKER_COHORT_PAGES_IN_FLIGHT ?? pagesForTransactionSlots(transactionSlots);
  const worker = await createCampaignWorker({
    connection,
    workflowBundlePath: bundlePath,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TASK_QUEUE,
    maxConcurrentActivities: env.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
    deps: {
      db,
      clock: systemClock,
      simulatorUrl: env.SIMULATOR_URL ?? `http://127.0.0.1:${env.SIMULATOR_PORT}`,
      transactionSlots: createSlots(transactionSlots),
      pageSlots: createSlots(pagesInFlight),
    },
  });
  if (!prebuilt) removeBundleFile(bundlePath); // read by Worker.create
  log.info('worker started', {
    taskQueue: env.TASK_QUEUE,
    namespace: env.TEMPORAL_NAMESPACE,
    transactionSlots,
    pagesInFlight,
  });
  const memoryFile = env.MEMORY_LOG_FILE;
  const stopMemoryLog = env.MEMORY_LOG_MS
    ? startMemoryLog(
        env.MEMORY_LOG_MS,
        memoryFile
          ? (sample) => fs.appendFileSync(memoryFile, `${JSON.stringify(sample)}\n`)
          : (sample) => log.info('memory', { ...sample }),
        () => {
          const status = worker.getStatus();
          return {
            activities: status.numInFlightActivities,
            cachedWorkflows: status.numCachedWorkflows,
            activations: status.numInFlightWorkflowActivations,
          };
        },
      )
    : () => undefined;
  // Worker.run() resolves after the SDK's default SIGINT/SIGTERM handling has drained the worker.
  await worker.run();
  stopMemoryLog();
  await db.$disconnect();
  await connection.close();
  log.info('worker stopped');
}

main().catch((err: unknown) => {
  console.error(JSON.stringify({ level: 'error', component: 'worker', msg: String(err) }));
  process.exit(1);
});
