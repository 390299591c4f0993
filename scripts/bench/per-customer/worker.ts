// The per-customer design's worker process (bench:per-customer starts it): its own task queue, its own
// workflow file bundled at start, the product's database and channel adapter underneath.
//   PER_CUSTOMER_STEPS='[…]' DATABASE_URL=… TEMPORAL_ADDRESS=… SIMULATOR_URL=… TASK_QUEUE=…
import { NativeConnection, Worker } from '@temporalio/worker';
import { z } from 'zod';
import { createDb } from '../../../db/client';
import { createPerCustomerActivities } from './activities';

const Env = z.object({
  DATABASE_URL: z.string().url(),
  TEMPORAL_ADDRESS: z.string().min(1),
  SIMULATOR_URL: z.string().url(),
  TASK_QUEUE: z.string().min(1),
  DB_POOL_SIZE: z.coerce.number().int().min(1).default(10),
  PER_CUSTOMER_STEPS: z.string().transform((text) =>
    z
      .array(
        z.object({
          id: z.string(),
          audience: z.enum(['treatment_all', 'not_activated']),
          channelCode: z.string(),
          materialVersionId: z.string(),
          costPerMessageMinor: z.number().int().nonnegative(),
        }),
      )
      .parse(JSON.parse(text)),
  ),
});

async function main() {
  const env = Env.parse(process.env);
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const db = createDb(env.DATABASE_URL, env.DB_POOL_SIZE);
  const worker = await Worker.create({
    connection,
    taskQueue: env.TASK_QUEUE,
    workflowsPath: require.resolve('./workflows'),
    activities: createPerCustomerActivities({
      db,
      simulatorUrl: env.SIMULATOR_URL,
      steps: env.PER_CUSTOMER_STEPS,
    }),
    // The same activity concurrency as the product's worker (worker/create-worker.ts).
    maxConcurrentActivityTaskExecutions: 100,
  });
  process.once('SIGTERM', () => worker.shutdown());
  await worker.run();
  await Promise.allSettled([connection.close(), db.$disconnect()]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
