// The worker as deployed (worker/main.ts in a process of its own) on the test's Temporal server and
// channel simulator, for tests about the process itself: its metrics, or several workers at once.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { stopChild } from '../../infra/child-process';
import { testUrls } from './context';

const ROOT = path.resolve(__dirname, '..', '..');

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Everything it has written to stdout and stderr so far, for a failure message. */
  output: string;
}

/** Spawns worker/main.ts with the test's Temporal and simulator and the given settings. */
export function spawnWorker(env: {
  DATABASE_URL: string;
  TASK_QUEUE: string;
  WORKER_METRICS_ADDRESS: string;
  LOG_LEVEL: string;
}): WorkerProcess {
  const { temporalAddress, simulatorUrl } = testUrls();
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['worker/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      SIMULATOR_URL: simulatorUrl,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const worker: WorkerProcess = { child, output: '' };
  child.stdout?.on('data', (d: Buffer) => (worker.output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (worker.output += d.toString()));
  return worker;
}

/** SIGTERM, so the worker shuts down as in a deployment; SIGKILL if it has not exited within 20 s. */
export const stopWorker = (worker: WorkerProcess | undefined) =>
  worker ? stopChild(worker.child, 20_000) : Promise.resolve();
