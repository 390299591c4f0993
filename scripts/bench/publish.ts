// Benchmark (not a test): time to publish and verify one campaign on 50 channels when every channel
// call takes 100 ms, beside the same for a single channel. Parallel publishing should make the
// first close to the second. Starts its own Temporal dev server, a scratch PostgreSQL database
// (BENCH_PG_ADMIN_URL, default the local server) and the simulator; prints the figures.
//   npm run bench:publish
import { seedApprovedMaterial } from './seed';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { systemClock } from '../../activities/deps';
import { createCampaign } from '../../api/campaigns/create';
import { createDb } from '../../db/client';
import { CreateCampaignSchema } from '../../domain/campaign-plan';
import { createLogger } from '../../infra/logger';
import { startTemporalDevServer } from '../../infra/temporal-server';
import { startSimulator } from '../../simulator/server';
import { createCampaignWorker } from '../../worker/create-worker';
import { benchLine, ratio } from './figures';
import { createScratchDatabase, freePort } from './setup';

const LATENCY_MS = 100;

async function main() {
  const scratch = await createScratchDatabase('bench_publish');
  const temporalServer = await startTemporalDevServer({
    port: await freePort(),
    namespace: 'default',
    headless: true,
    log: () => undefined,
  });
  const sim = await startSimulator({ port: 0 });
  const db = createDb(scratch.url, 20);
  const native = await NativeConnection.connect({ address: temporalServer.address });
  const connection = await Connection.connect({ address: temporalServer.address });
  const temporal = { client: new Client({ connection }), namespace: 'default', taskQueue: 'bench' };
  const worker = await createCampaignWorker({
    connection: native,
    namespace: 'default',
    taskQueue: 'bench',
    deps: { db, clock: systemClock, simulatorUrl: sim.url },
  });
  const running = worker.run();
  await fetch(`${sim.url}/_sim/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ channelCode: '*', latencyMs: LATENCY_MS }),
  });

  const { material } = await seedApprovedMaterial(db);

  async function run(channels: number): Promise<number> {
    const codes = Array.from(
      { length: channels },
      (_, i) => `bench-${channels}-${i}-${randomUUID().slice(0, 6)}`,
    );
    await db.channel.createMany({
      data: codes.map((code) => ({
        code,
        name: code,
        kind: 'ecosystem_scenario' as const,
        onlineType: 'ecommerce' as const,
        department: 'bench',
        costModel: { type: 'fixed_per_placement', amountMinor: 100, currency: 'CNY' },
        adapter: { type: 'simulator' },
      })),
    });
    const request = CreateCampaignSchema.parse({
      name: `bench ${channels}`,
      channels: codes,
      materialId: material.id,
      plan: {
        registrationWindow: {
          start: new Date().toISOString(),
          end: new Date(Date.now() + 3_600_000).toISOString(),
        },
        activationRule: { event: 'login', atLeast: 1 },
      },
    });
    const started = process.hrtime.bigint();
    const { campaign } = await createCampaign(db, temporal, createLogger('bench', 'error'), request, 'bench');
    for (;;) {
      const verified = await db.placement.count({ where: { campaignId: campaign.id, status: 'verified' } });
      if (verified === channels) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    await temporal.client.workflow.getHandle(campaign.workflowId).terminate('benchmark done');
    return ms;
  }

  await run(1); // warm-up: workflow bundle, connections
  const one = await run(1);
  const fifty = await run(50);
  console.log(`publish + verify (read-back), ${LATENCY_MS} ms simulated latency per channel call:`);
  console.log(`  1 channel  : ${one.toFixed(0)} ms`);
  console.log(
    `  50 channels: ${fifty.toFixed(0)} ms  (${ratio(fifty, one).toFixed(2)}× one channel; sequential would be ~50×)`,
  );

  worker.shutdown();
  await running;
  await Promise.allSettled([
    native.close(),
    connection.close(),
    db.$disconnect(),
    sim.close(),
    temporalServer.stop(),
  ]);
  await scratch.drop();
  // The last line, machine-readable, so that one run can be compared with the next.
  console.log(
    benchLine({
      bench: 'publish',
      oneChannelMs: Math.round(one),
      fiftyChannelsMs: Math.round(fifty),
      ratio: ratio(fifty, one),
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
