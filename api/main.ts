// The API process. `npm start` runs it with DATABASE_URL and TEMPORAL_ADDRESS set.
import { Client, Connection } from '@temporalio/client';
import { loadEnv } from '../config';
import { DEMO_USERS } from '../demo/bank';
import { launchApprovalConfigOf } from '../domain/launch-approval';
import { createDb } from '../db/client';
import { createLogger } from '../infra/logger';
import { createApp } from './app';
import { apiKeyAuthenticator } from './auth/authenticator';
import { startReconciler } from './campaigns/reconciler';
import { answerClientErrors } from './client-errors';

async function main(): Promise<void> {
  const env = loadEnv();
  const log = createLogger('api', env.LOG_LEVEL);
  if (!env.TEMPORAL_ADDRESS || !env.DATABASE_URL) {
    throw new Error('api needs TEMPORAL_ADDRESS and DATABASE_URL (npm start sets both)');
  }
  const db = createDb(env.DATABASE_URL, env.DB_POOL_SIZE);
  // Lazy: the API starts (and /readyz reports 503) even while Temporal is down.
  const connection = Connection.lazy({ address: env.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
  const temporal = { client, namespace: env.TEMPORAL_NAMESPACE, taskQueue: env.TASK_QUEUE };
  const app = createApp({
    db,
    temporal,
    log,
    authenticate: apiKeyAuthenticator(db),
    rateLimits: { perMinute: env.RATE_LIMIT_PER_MINUTE, ingestPerMinute: env.RATE_LIMIT_INGEST_PER_MINUTE },
    corsOrigins: env.CORS_ORIGINS,
    launchApproval: launchApprovalConfigOf(env),
    // DEMO_CONSOLE_KEY is set by npm start in demo mode only; demo-session.ts adds the loopback checks.
    demoSession: env.DEMO_CONSOLE_KEY
      ? { apiKey: env.DEMO_CONSOLE_KEY, actor: DEMO_USERS.marketer.name, listenHost: env.API_HOST }
      : null,
  });
  const stopReconciler = startReconciler(db, temporal, log);
  const server = app.listen(env.API_PORT, env.API_HOST, () =>
    log.info('api listening', { url: `http://${env.API_HOST}:${env.API_PORT}` }),
  );
  answerClientErrors(server);
  const shutdown = () => {
    log.info('api shutting down');
    stopReconciler();
    server.close(() => {
      void Promise.allSettled([db.$disconnect(), connection.close()]).then(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(JSON.stringify({ level: 'error', component: 'api', msg: String(err) }));
  process.exit(1);
});
