// Benchmark (not a test): the design the architecture rejected, measured (issue 13, item 4). The same
// 3-step plan over a 60 s new-customer period, run for N customers two ways on one Temporal dev server:
//   cohort        the product: the bench campaign through the API (scripts/bench/funnel-run.ts), one
//                 workflow per campaign and one child per 20 s cohort, each step one activity paging
//                 through the cohort in PostgreSQL;
//   per-customer  one workflow per customer (scripts/bench/per-customer/: the way Dittofeed runs its
//                 journeys), each step one activity for that customer, its own worker process.
// For each design and size: wall time from the first registration handed over to the end of every
// customer's period, Temporal history events, the worker's peak RSS; then both extrapolated to 100k
// along the straight line through the two sizes, and the ratio.
//   npm run bench:per-customer                 (PER_CUSTOMER_SIZES=2000,10000 by default)
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createApiKey } from '../../api/auth/api-key-store';
import { createDb, type Db } from '../../db/client';
import { startTemporalDevServer } from '../../infra/temporal-server';
import { benchLine, extrapolateLinear, ratio } from './figures';
import {
  ACTIVATION_REWARD,
  BENCH_CHANNEL_CODES,
  accountMessages,
  INCENTIVE,
  benchChild,
  campaignHistoryEvents,
  createBenchCampaign,
  ingestFunnel,
  seedBenchChannels,
  waitForUrl,
  withheldTotal,
} from './funnel-run';
import type { PerCustomerStep } from './per-customer/activities';
import type { CustomerJourneyInput } from './per-customer/workflows';
import { rawIngest } from './raw-ingest';
import { createScratchDatabase, freePort, peakMemoryMb } from './setup';

const SIZES = (process.env.PER_CUSTOMER_SIZES ?? '2000,10000').split(',').map(Number);
const TARGET = 100_000;
/** Workflow starts in flight at once: what an ingest path starting one workflow per registration would do. */
const STARTS_IN_FLIGHT = 50;
const PLAN_STEPS = [
  { id: 'day-1', offsetMs: 5_000, audience: 'treatment_all' as const },
  { id: 'day-3', offsetMs: 20_000, audience: 'not_activated' as const },
  { id: 'day-7', offsetMs: 40_000, audience: 'not_activated' as const },
];
const PERIOD_MS = 60_000;

const started: { kill(signal: NodeJS.Signals): unknown }[] = [];
process.on('exit', () => {
  for (const p of started) p.kill('SIGKILL');
});
let dropOnFailure: () => Promise<unknown> = async () => undefined;

function stopProcess(proc: ReturnType<typeof benchChild>): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

/**
 * Waits until this worker process polls the task queue: it has bundled its workflows and is ready. By its
 * identity (the SDK's default is pid@host): the server remembers a stopped worker's poller for a while.
 */
async function waitForPoller(client: Client, taskQueue: string, pid: number | undefined): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const res = await client.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    if ((res.pollers ?? []).some((p) => p.identity?.startsWith(`${pid}@`))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no worker polls ${taskQueue}`);
}

/** The messages the plan calls for less what the contact policy withheld, and those stored. */
async function messageCheck(db: Db, campaignId: string) {
  const account = await accountMessages(db, campaignId);
  return { expected: account.planned - withheldTotal(account), messages: account.messages };
}

interface Run {
  ms: number;
  historyEvents: number;
  workerPeakRssMb: number;
  messages: number;
  expectedMessages: number;
  detail: string;
}

async function main() {
  const scratch = await createScratchDatabase('bench_per_customer');
  dropOnFailure = () => scratch.drop();
  const temporalServer = await startTemporalDevServer({
    port: await freePort(),
    namespace: 'default',
    headless: true,
    log: () => undefined,
  });
  const [apiPort, simPort] = [await freePort(), await freePort()];
  const base = {
    DATABASE_URL: scratch.url,
    TEMPORAL_ADDRESS: temporalServer.address,
    TASK_QUEUE: 'bench-cohort',
    API_PORT: String(apiPort),
    SIMULATOR_PORT: String(simPort),
    SIMULATOR_URL: `http://127.0.0.1:${simPort}`,
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_INGEST_PER_MINUTE: '1000000',
  };
  const simulator = benchChild('simulator/main.ts', base);
  const api = benchChild('api/main.ts', base);
  started.push(simulator, api);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await Promise.all([waitForUrl(`${apiUrl}/healthz`), waitForUrl(`${base.SIMULATOR_URL}/_sim/stats`)]);
  const db = createDb(scratch.url, 4);
  const { key } = await createApiKey(db, { name: 'bench', role: 'admin', channelIds: [] }, 'bench');
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` };
  const { material, version, channelIds } = await seedBenchChannels(db);
  const connection = await Connection.connect({ address: temporalServer.address });
  const client = new Client({ connection });

  const cohortRun = async (size: number): Promise<Run> => {
    // A fresh worker per run, so that its peak memory is this run's.
    const worker = benchChild('worker/main.ts', base);
    started.push(worker);
    await waitForPoller(client, base.TASK_QUEUE, worker.pid);
    const id = await createBenchCampaign({
      apiUrl,
      headers,
      materialId: material.id,
      versionId: version.id,
      total: size,
    });
    const t0 = Date.now();
    const ingest = await ingestFunnel({
      apiUrls: [apiUrl],
      headers,
      campaignId: id,
      total: size,
      customerPrefix: `cohort${size}`,
    });
    const result = (await client.workflow.getHandle(`campaign-${id}`).result()) as {
      cohorts: { key: string }[];
    };
    const ms = Date.now() - t0;
    const historyEvents = await campaignHistoryEvents(client, id, result.cohorts);
    const workerPeakRssMb = peakMemoryMb(worker.pid);
    await stopProcess(worker);
    const check = await messageCheck(db, id);
    return {
      ms,
      historyEvents,
      workerPeakRssMb,
      messages: check.messages,
      expectedMessages: check.expected,
      detail: `ingest through the API ${(ingest.ingestMs / 1000).toFixed(1)} s, ${result.cohorts.length} cohorts`,
    };
  };

  const perCustomerRun = async (size: number): Promise<Run> => {
    const taskQueue = `bench-per-customer-${size}`;
    const steps: PerCustomerStep[] = PLAN_STEPS.map((s) => ({
      id: s.id,
      audience: s.audience,
      channelCode: BENCH_CHANNEL_CODES[0] as string,
      materialVersionId: version.id,
      costPerMessageMinor: 5,
    }));
    const worker = benchChild(
      'scripts/bench/per-customer/worker.ts',
      { ...base, TASK_QUEUE: taskQueue, PER_CUSTOMER_STEPS: JSON.stringify(steps) },
      [],
      undefined,
      'per-customer-worker',
    );
    started.push(worker);
    await waitForPoller(client, taskQueue, worker.pid);
    // The customers' facts, as the product's ingest stores them (raw: no workflow sees this campaign
    // row, and writing them is not timed — which only favours this design).
    const campaign = await db.campaign.create({
      data: {
        name: `bench per-customer ${size}`,
        status: 'completed',
        plan: {},
        currency: 'CNY',
        workflowId: `bench-per-customer-${size}`,
        workflowStartedAt: new Date(),
        createdBy: 'bench',
      },
    });
    const prefix = `pc${size}`;
    await rawIngest(scratch.url, {
      campaignId: campaign.id,
      channelIds,
      materialVersionId: version.id,
      total: size,
      batch: 1000,
      concurrency: 2,
      incentiveMinor: INCENTIVE,
      activationRewardMinor: ACTIVATION_REWARD,
      customerPrefix: prefix,
    });
    // One workflow per customer, each registered the moment its workflow starts.
    const t0 = Date.now();
    let next = 0;
    const startLane = async () => {
      for (let i = next++; i < size; i = next++) {
        const input: CustomerJourneyInput = {
          campaignId: campaign.id,
          customerRef: `${prefix}-${i}`,
          registeredAt: new Date().toISOString(),
          steps: PLAN_STEPS.map((s) => ({ id: s.id, offsetMs: s.offsetMs })),
          periodMs: PERIOD_MS,
        };
        await client.workflow.start('customerJourneyWorkflow', {
          taskQueue,
          workflowId: `journey-${campaign.id}-${input.customerRef}`,
          args: [input],
        });
      }
    };
    await Promise.all(Array.from({ length: STARTS_IN_FLIGHT }, startLane));
    const startSeconds = (Date.now() - t0) / 1000;
    // Done when no journey of this run is open any more (visibility; polled once a second).
    for (;;) {
      const open = await client.workflow.count(`TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`);
      if (open.count === 0) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const ms = Date.now() - t0;
    const workerPeakRssMb = peakMemoryMb(worker.pid);
    let historyEvents = 0;
    let closed = 0;
    for await (const wf of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) {
      historyEvents += wf.historyLength;
      if (wf.status.name === 'COMPLETED') closed++;
    }
    if (closed !== size) throw new Error(`${closed} of ${size} journeys completed`);
    await stopProcess(worker);
    const check = await messageCheck(db, campaign.id);
    return {
      ms,
      historyEvents,
      workerPeakRssMb,
      messages: check.messages,
      expectedMessages: check.expected,
      detail: `${size} workflows started in ${startSeconds.toFixed(1)} s (${STARTS_IN_FLIGHT} in flight)`,
    };
  };

  const rows: { size: number; cohort: Run; perCustomer: Run }[] = [];
  for (const size of SIZES) {
    const cohort = await cohortRun(size);
    const perCustomer = await perCustomerRun(size);
    rows.push({ size, cohort, perCustomer });
    for (const [name, run] of [
      ['cohort', cohort],
      ['per-customer', perCustomer],
    ] as const) {
      console.log(
        `${size.toLocaleString('en')} customers, ${name}: ${(run.ms / 1000).toFixed(1)} s to the end of the period; ` +
          `${run.historyEvents} history events; worker peak ${run.workerPeakRssMb} MB; messages ${run.messages} of ${run.expectedMessages} the plan calls for; ${run.detail}`,
      );
      if (run.messages !== run.expectedMessages)
        throw new Error(`${name} at ${size}: messages do not match the plan`);
    }
  }

  const [small, large] = [rows[0], rows[rows.length - 1]];
  if (!small || !large || small.size === large.size) throw new Error('two different sizes are needed');
  const at = (pick: (r: (typeof rows)[number]) => number) =>
    extrapolateLinear(
      { size: small.size, value: pick(small) },
      { size: large.size, value: pick(large) },
      TARGET,
    );
  const cohortAt = at((r) => r.cohort.ms);
  const perCustomerAt = at((r) => r.perCustomer.ms);
  const speedupAt100k = ratio(perCustomerAt, cohortAt);
  console.log(
    `extrapolated to ${TARGET.toLocaleString('en')} customers (straight line through ${small.size} and ${large.size}): ` +
      `cohort ${(cohortAt / 1000).toFixed(0)} s, per-customer ${(perCustomerAt / 1000).toFixed(0)} s → cohorts ${speedupAt100k}× faster; ` +
      // Cohort histories depend on cohorts × steps, not customers: the larger run's count stands.
      `history events cohort ~${large.cohort.historyEvents} (independent of customers), per-customer ${Math.round(at((r) => r.perCustomer.historyEvents))}`,
  );

  for (const p of [api, simulator]) p.kill('SIGTERM');
  await Promise.allSettled([connection.close(), db.$disconnect()]);
  await new Promise((r) => setTimeout(r, 2000));
  await temporalServer.stop();
  started.length = 0;
  await scratch.drop();
  console.log(
    benchLine({
      bench: 'per-customer',
      customers: large.size,
      cohortMs: large.cohort.ms,
      perCustomerMs: large.perCustomer.ms,
      speedupAt100k,
      smallCustomers: small.size,
      cohortMsSmall: small.cohort.ms,
      perCustomerMsSmall: small.perCustomer.ms,
      cohortMsAt100k: Math.round(cohortAt),
      perCustomerMsAt100k: Math.round(perCustomerAt),
      cohortHistoryEvents: large.cohort.historyEvents,
      perCustomerHistoryEvents: large.perCustomer.historyEvents,
      cohortWorkerPeakRssMb: large.cohort.workerPeakRssMb,
      perCustomerWorkerPeakRssMb: large.perCustomer.workerPeakRssMb,
      perCustomerHistoryEventsAt100k: Math.round(at((r) => r.perCustomer.historyEvents)),
      server: 'dev',
    }),
  );
}

main().catch(async (err: unknown) => {
  console.error(err);
  for (const p of started) p.kill('SIGKILL');
  started.length = 0;
  await new Promise((r) => setTimeout(r, 1000));
  await dropOnFailure().catch(() => undefined);
  process.exit(1);
});
