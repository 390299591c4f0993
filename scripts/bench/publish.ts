// Benchmark (not a test): time to publish and verify one campaign on 50 channels when every channel
// call takes 100 ms, beside the same for a single channel. Parallel publishing should make the
// first close to the second. Starts its own Temporal dev server, a scratch PostgreSQL database
// (BENCH_PG_ADMIN_URL, default the local server) and the simulator; prints the figures. The simulator
// runs as its own process, as the channel systems it stands in for do: in the worker's process its
// HTTP serving would take the worker's one thread, which is what the benchmark measures.
//   npm run bench:publish
import { seedApprovedMaterial } from './seed';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { systemClock } from '../../activities/deps';
import { createCampaign } from '../../api/campaigns/create';
import { createDb, pgPoolOf } from '../../db/client';
import { CreateCampaignSchema } from '../../domain/campaign-plan';
import { createLogger } from '../../infra/logger';
import { startTemporalDevServer } from '../../infra/temporal-server';
import { createCampaignWorker } from '../../worker/create-worker';
import { benchLine, ratio } from './figures';
import { benchChild, waitForUrl } from './funnel-run';
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
  const simPort = await freePort();
  const simulator = benchChild('simulator/main.ts', { SIMULATOR_PORT: String(simPort) });
  const sim = { url: `http://127.0.0.1:${simPort}` };
  await waitForUrl(`${sim.url}/_sim/stats`);
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
    // The observer polls through pg, not Prisma: it runs on the worker's thread (this process), and a
    // Prisma count every 20 ms spent ~2 ms of that thread each — CPU taken from the publishing it times,
    // in proportion to how long the run lasts. A deployment's observers are other processes.
    const pool = pgPoolOf(db);
    for (;;) {
      const { rows } = await pool.query<{ verified: number }>(
        `SELECT count(*)::int AS verified FROM "Placement" WHERE "campaignId" = $1 AND status = 'verified'`,
        [campaign.id],
      );
      if (rows[0]?.verified === channels) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    await temporal.client.workflow.getHandle(campaign.workflowId).terminate('benchmark done');
    return ms;
  }

  await run(1); // warm-up: workflow bundle, connections
  // The CPU this process (the worker and its activities) spends per run: on a loaded machine the wall
  // times move with the load, the CPU much less, so a change to the per-channel work shows here first.
  const cpuMs = async (work: () => Promise<number>) => {
    const before = process.cpuUsage();
    const ms = await work();
    const used = process.cpuUsage(before);
    return { ms, cpu: (used.user + used.system) / 1000 };
  };
  const one = await cpuMs(() => run(1));
  const fifty = await cpuMs(() => run(50));
  console.log(`publish + verify (read-back), ${LATENCY_MS} ms simulated latency per channel call:`);
  console.log(`  1 channel  : ${one.ms.toFixed(0)} ms (worker process CPU ${one.cpu.toFixed(0)} ms)`);
  console.log(
    `  50 channels: ${fifty.ms.toFixed(0)} ms  (${ratio(fifty.ms, one.ms).toFixed(2)}× one channel; sequential would be ~50×; CPU ${fifty.cpu.toFixed(0)} ms)`,
  );

  worker.shutdown();
  await running;
  await Promise.allSettled([
    native.close(),
    connection.close(),
    db.$disconnect(),
    new Promise((resolve) => {
      simulator.once('exit', resolve);
      simulator.kill('SIGTERM');
    }),
    temporalServer.stop(),
  ]);
  await scratch.drop();
  // The last line, machine-readable, so that one run can be compared with the next.
  console.log(
    benchLine({
      bench: 'publish',
      oneChannelMs: Math.round(one.ms),
      fiftyChannelsMs: Math.round(fifty.ms),
      ratio: ratio(fifty.ms, one.ms),
      oneChannelCpuMs: Math.round(one.cpu),
      fiftyChannelsCpuMs: Math.round(fifty.cpu),
      loadAverage: Number(os.loadavg()[0]!.toFixed(1)),
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
