// Builds what an integration test needs against the real servers started by global-setup:
// a Prisma client, a Temporal client, a running worker on a task queue of the test file's own, and
// the Express app. Call `stop()` in afterAll.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Express } from 'express';
import request from 'supertest';
import { systemClock, type ActivityDeps } from '../../activities/deps';
import { createApp } from '../../api/app';
import { headerAuthenticator } from '../../api/auth/authenticator';
import type { TemporalDeps } from '../../api/temporal';
import { createDb, type Db } from '../../db/client';
import { createLogger } from '../../infra/logger';
import { createCampaignWorker } from '../../worker/create-worker';

export interface TestContext {
  db: Db;
  temporal: TemporalDeps;
  app: Express;
  worker: Worker | null;
  simulatorUrl: string;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

export function testUrls() {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const temporalAddress = process.env.TEST_TEMPORAL_ADDRESS;
  const simulatorUrl = process.env.TEST_SIMULATOR_URL;
  if (!databaseUrl || !temporalAddress || !simulatorUrl) {
    throw new Error(
      'integration tests need the servers from test/setup/global-setup.ts (run them with `npm test`)',
    );
  }
  return { databaseUrl, temporalAddress, simulatorUrl };
}

export async function createTestContext(
  opts: { worker?: boolean; deps?: Partial<ActivityDeps>; databaseUrl?: string } = {},
): Promise<TestContext> {
  const urls = testUrls();
  const { temporalAddress, simulatorUrl } = urls;
  // A database of the file's own (test/support/own-database.ts), for deployment-wide state.
  const databaseUrl = opts.databaseUrl ?? urls.databaseUrl;
  const db = createDb(databaseUrl, 10);
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  const temporal: TemporalDeps = { client, namespace: 'default', taskQueue: `test-${randomUUID()}` };
  const log = createLogger('test', 'error');
  // Tests name the caller with X-Actor / X-Role / X-Channels; roles and channel scopes are still checked.
  const app = createApp({ db, temporal, log, authenticate: headerAuthenticator });

  let nativeConnection: NativeConnection | null = null;
  let running: Promise<void> | null = null;
  const ctx: TestContext = {
    db,
    temporal,
    app,
    worker: null,
    simulatorUrl,
    async startWorker() {
      nativeConnection ??= await NativeConnection.connect({ address: temporalAddress });
      const worker = await createCampaignWorker({
        connection: nativeConnection,
        namespace: 'default',
        taskQueue: temporal.taskQueue,
        deps: { db, clock: systemClock, simulatorUrl, ...opts.deps },
        // Stopping the worker in a test is a crash, not a drain: in-flight activities are cut off.
        shutdownGraceTime: '100 ms',
        // A worker that cannot drain (an activity ignoring cancellation) fails the stop with the
        // SDK's GracefulShutdownPeriodExpiredError instead of a silent afterAll hook timeout.
        shutdownForceTime: '30 s',
      });
      ctx.worker = worker;
      running = worker.run();
    },
    async stopWorker() {
      if (!ctx.worker) return;
      ctx.worker.shutdown();
      await running;
      ctx.worker = null;
    },
    async stop() {
      await ctx.stopWorker();
      await nativeConnection?.close();
      await connection.close();
      await db.$disconnect();
    },
  };
  if (opts.worker !== false) await ctx.startWorker();
  return ctx;
}

/** Polls `fn` until it returns a truthy value or the timeout passes. */
export async function eventually<T>(
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

/** Waits until GET /campaigns/:id shows the workflow in `phase` (e.g. 'acquiring': published everywhere). */
export async function untilPhase(app: Express, id: string, phase: string, timeoutMs?: number): Promise<void> {
  await eventually(
    async () => (await request(app).get(`/campaigns/${id}`)).body.workflow?.state?.phase === phase,
    timeoutMs,
  );
}
