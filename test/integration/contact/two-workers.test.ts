// The cap across campaigns and workers (issue 12, "Bad input and faults"): two campaigns message the same
// customers at the same time, each campaign's cohort run by its own worker process (worker/main.ts, as
// deployed) on real Temporal, PostgreSQL and the channel simulator. The simulator's delivered messages prove
// that no customer got more than the cap allows — with priorities, that the higher-priority campaign got
// every slot; with equal priorities, that the two workers' race never let both through.
// The contact policy is deployment-wide, so this file runs on a database of its own.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { parseStoredPlan } from '../../../domain/campaign-plan';
import { cohortsOfWindow } from '../../../domain/cohort';
import type { CohortWorkflowInput } from '../../../workflows/cohort';
import { cohortProgressQuery, setCohortPausedSignal } from '../../../workflows/messages';
import { createTestContext, eventually, type TestContext } from '../../support/context';
import { createOwnDatabase, type OwnDatabase } from '../../support/own-database';
import { simulatorClient } from '../../support/simulator';
import { spawnWorker, stopWorker, type WorkerProcess } from '../../support/worker-process';
import { postRegistrations, registration, seedCampaign, type SeededCampaign } from '../funnel/fixtures';
import { asMarketer, putContactPolicy } from './fixtures';

let own: OwnDatabase;
let ctx: TestContext;
let sim: ReturnType<typeof simulatorClient>;
const workers: (WorkerProcess & { queue: string })[] = [];

function startWorker(queue: string, databaseUrl: string) {
  // The same object, not a copy: its `output` keeps growing as the process writes.
  const worker = Object.assign(
    spawnWorker({
      DATABASE_URL: databaseUrl,
      TASK_QUEUE: queue,
      LOG_LEVEL: 'info',
      // Two processes on one machine: the default metrics port would be taken by the first.
      WORKER_METRICS_ADDRESS: 'off',
    }),
    { queue },
  );
  workers.push(worker);
  return worker;
}

beforeAll(async () => {
  own = await createOwnDatabase();
  ctx = await createTestContext({ worker: false, databaseUrl: own.url });
  sim = simulatorClient(ctx.simulatorUrl);
  const started = [
    startWorker(`contact-a-${randomUUID()}`, own.url),
    startWorker(`contact-b-${randomUUID()}`, own.url),
  ];
  // Bundling the workflows takes a while on a small machine; each process logs once it polls its queue.
  for (const worker of started) {
    await eventually(
      async () => {
        if (worker.child.exitCode !== null) throw new Error(`exited with ${worker.child.exitCode}`);
        return worker.output.includes('worker started');
      },
      150_000,
      500,
    ).catch((err: unknown) => {
      throw new Error(`worker ${worker.queue} did not start: ${String(err)}\n${worker.output.slice(-2000)}`);
    });
  }
}, 300_000);

afterAll(async () => {
  for (const worker of workers) await stopWorker(worker);
  await ctx.stop();
  await own.drop();
});

async function putPolicy(policy: object) {
  const version = (await request(ctx.app).get('/contact-policy').set(asMarketer)).body.version as number;
  await putContactPolicy(ctx.app, policy, version);
}

/** A campaign with one engagement step through its channel 0, and `refs` registered through channel 1. */
async function campaignFor(refs: string[]) {
  const campaign = await seedCampaign(ctx.db, {
    steps: ({ channelCodes, materialVersionId }) => [
      {
        id: 'offer',
        offset: 'PT1M',
        kind: 'engagement',
        materialVersionId,
        channelCode: channelCodes[0]!,
        audience: 'treatment_all',
        costPerMessageMinor: 3,
      },
    ],
  });
  const items = refs.map((customerRef) =>
    registration(campaign, { customerRef, channelCode: campaign.channels[1]!.code }),
  );
  for (let i = 0; i < items.length; i += 1000) {
    expect((await postRegistrations(ctx.app, campaign.id, { items: items.slice(i, i + 1000) })).status).toBe(
      200,
    );
  }
  // The ingest flags a customer another live campaign already acquired as existing_customer, and flagged
  // registrations get no messages: so the second campaign's registrations are made valid here, the state
  // that concurrent ingests into two campaigns, or campaigns over one customer base, leave behind. The
  // contact check does not depend on how the customer came to be in both.
  await ctx.db.registration.updateMany({
    where: { campaignId: campaign.id, flagReason: 'existing_customer' },
    data: { flagReason: null },
  });
  expect(await ctx.db.registration.count({ where: { campaignId: campaign.id, flagReason: null } })).toBe(
    refs.length,
  );
  return campaign;
}

/** Starts the campaign's (only) cohort on the given worker's queue, its step due at once. */
async function startCohort(campaign: SeededCampaign, taskQueue: string, startPaused = false) {
  const row = await ctx.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
  const plan = parseStoredPlan(row.plan);
  if (!plan.success) throw new Error('invalid seeded plan');
  const { registrationWindow, cohortGranularity, timeZone } = plan.data;
  const reg = await ctx.db.registration.findFirstOrThrow({ where: { campaignId: campaign.id } });
  const cohort = cohortsOfWindow(registrationWindow, cohortGranularity, timeZone).find(
    (c) => c.key === reg.cohortKey,
  )!;
  const input: CohortWorkflowInput = {
    campaignId: campaign.id,
    cohort: { key: cohort.key, start: cohort.start, end: cohort.end },
    steps: plan.data.engagementPlan.steps,
    sendingHours: { start: '00:00', end: '24:00' },
    timeZone,
    newCustomerPeriod: 'PT1S',
    startPaused,
  };
  return ctx.temporal.client.workflow.start('cohortWorkflow', {
    taskQueue,
    workflowId: `contact-race-${campaign.id}`,
    args: [input],
  });
}

async function deliveredTo(campaign: SeededCampaign): Promise<string[]> {
  const result = (await sim.messages(
    campaign.channels[0]!.code,
    `?campaignId=${campaign.id}&stepId=offer&limit=100000`,
  )) as { messages: { customerRef: string }[] };
  return result.messages.map((m) => m.customerRef);
}

const refsOf = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${i}-${randomUUID().slice(0, 8)}`);

/** Slows the campaigns' deliveries, so that the two workers are sending at the same time. */
async function slowDelivery(campaigns: SeededCampaign[], latencyMs = 300) {
  for (const c of campaigns)
    await sim.fault({ channelCode: c.channels[0]!.code, operations: ['deliver'], latencyMs });
}

it('two campaigns on two workers, one customer base, a cap of 1 a day: the higher priority gets every slot', async () => {
  const refs = refsOf('prio', 150);
  const low = await campaignFor(refs);
  const high = await campaignFor(refs);
  await putPolicy({
    timeZone: 'Asia/Shanghai',
    frequencyCaps: [{ scope: 'overall', max: 1, per: 'P1D' }],
    exemptKinds: [],
    quietHours: null,
    priorities: { default: 0, campaigns: [{ campaignId: high.id, priority: 10 }] },
  });
  await slowDelivery([low, high]);
  try {
    // The low-priority campaign starts first, on the first worker.
    const lowRun = await startCohort(low, workers[0]!.queue);
    const highRun = await startCohort(high, workers[1]!.queue);
    const [lowResult, highResult] = await Promise.all([lowRun.result(), highRun.result()]);

    const toHigh = await deliveredTo(high);
    const toLow = await deliveredTo(low);
    expect(new Set(toHigh)).toEqual(new Set(refs));
    expect(toHigh).toHaveLength(refs.length);
    expect(toLow).toEqual([]);
    expect(highResult.steps).toMatchObject([{ stepId: 'offer', delivered: 150, skipped: 0 }]);
    expect(lowResult.steps).toMatchObject([{ stepId: 'offer', delivered: 0, skipped: 150 }]);
    // Each withheld message says why: a higher-priority message held the slot, or had already taken it.
    const reasons = await ctx.db.contactDecision.groupBy({
      by: ['outcome'],
      where: { campaignId: low.id },
      _count: { _all: true },
    });
    expect(reasons.reduce((n, r) => n + r._count._all, 0)).toBe(150);
    expect(
      reasons.map((r) => r.outcome).every((o) => o === 'lower_priority' || o === 'frequency_capped'),
    ).toBe(true);
  } finally {
    for (const c of [low, high]) await sim.clearFaults(c.channels[0]!.code);
  }
});

it('two campaigns of equal priority racing on two workers: no customer gets more than the cap', async () => {
  // Three pages each (500, 500, 200), every batch call a second long: both workers decide for seconds.
  const refs = refsOf('race', 1200);
  const first = await campaignFor(refs);
  const second = await campaignFor(refs);
  await putPolicy({
    timeZone: 'Asia/Shanghai',
    frequencyCaps: [{ scope: 'overall', max: 1, per: 'P1D' }],
    exemptKinds: [],
    quietHours: null,
    priorities: { default: 0, campaigns: [] },
  });
  await slowDelivery([first, second], 1_000);
  try {
    // Both cohorts wait paused at their step until both workers hold them; then both are released at once.
    const runs = await Promise.all([
      startCohort(first, workers[0]!.queue, true),
      startCohort(second, workers[1]!.queue, true),
    ]);
    for (const run of runs)
      await eventually(async () => (await run.query(cohortProgressQuery)).status === 'paused', 60_000);
    await Promise.all(runs.map((run) => run.signal(setCohortPausedSignal, { paused: false, seq: 1 })));
    await Promise.all(runs.map((r) => r.result()));

    const toFirst = await deliveredTo(first);
    const toSecond = await deliveredTo(second);
    // The premise: the two workers really raced (each won some of the customers).
    expect(toFirst.length).toBeGreaterThan(0);
    expect(toSecond.length).toBeGreaterThan(0);
    const perCustomer = new Map<string, number>();
    for (const ref of [...toFirst, ...toSecond]) perCustomer.set(ref, (perCustomer.get(ref) ?? 0) + 1);
    // Everyone got exactly one message: the cap held, and nobody was left out.
    expect([...perCustomer.values()].filter((n) => n > 1)).toEqual([]);
    expect(perCustomer.size).toBe(refs.length);
    expect(toFirst.length + toSecond.length).toBe(refs.length);
    const capped = await ctx.db.contactDecision.count({
      where: { customerRef: { in: refs }, outcome: 'frequency_capped' },
    });
    expect(capped).toBe(refs.length);
  } finally {
    for (const c of [first, second]) await sim.clearFaults(c.channels[0]!.code);
  }
});
