// The worker process as deployed (worker/main.ts, spawned with WORKER_METRICS_ADDRESS): it serves the
// Temporal Core SDK's Prometheus metrics and counts failed activity attempts. A channel that refuses
// connections makes publishPlacement fail and retry; the metrics count the failures, and the campaign's
// timeline shows the attempts and their reasons, first while retrying, then once the publish has failed.
import net from 'node:net';
import request from 'supertest';
import { createTestContext, eventually, testUrls, type TestContext } from '../../support/context';
import { campaignRequest, seedChannels, seedMaterial } from '../../support/fixtures';
import { campaignWorkflowId } from '../../../workflows/ids';
import { spawnWorker, stopWorker, type WorkerProcess } from '../../support/worker-process';

let ctx: TestContext;
let worker: WorkerProcess | undefined;
let metricsUrl: string;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function scrape(): Promise<string> {
  const res = await fetch(metricsUrl);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.text();
}

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  const address = `127.0.0.1:${await freePort()}`;
  metricsUrl = `http://${address}/metrics`;
  const started = spawnWorker({
    DATABASE_URL: testUrls().databaseUrl,
    TASK_QUEUE: ctx.temporal.taskQueue,
    WORKER_METRICS_ADDRESS: address,
    LOG_LEVEL: 'warn',
  });
  worker = started;
  // Bundling the workflows takes a while on a small machine; the exporter answers once the runtime is up.
  await eventually(async () => (await scrape()).includes('temporal_'), 90_000, 500).catch((err: unknown) => {
    throw new Error(`worker metrics never answered: ${String(err)}\n${started.output.slice(-2000)}`);
  });
});

afterAll(async () => {
  await stopWorker(worker);
  await ctx.stop();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, read field by field
type Json = Record<string, any>;

it('exports the SDK metrics and counts failed activity attempts; the timeline shows attempts and reasons', async () => {
  const closedPort = await freePort();
  const [good] = await seedChannels(ctx.db, 1);
  const [refusing] = await seedChannels(ctx.db, 1, {
    adapter: { type: 'http', baseUrl: `http://127.0.0.1:${closedPort}`, timeoutMs: 1000 },
  });
  const materialId = (await seedMaterial(ctx.db)).material.id;
  const created = await request(ctx.app)
    .post('/campaigns')
    .send(campaignRequest([good!.code, refusing!.code], materialId));
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const publishOf = (timeline: Json) =>
    (timeline.steps as Json[]).find((s) => s.kind === 'publish' && s.channelCode === refusing!.code);

  // While it retries: the attempt count and the last failure come from the workflow's pending activity.
  const retrying = await eventually(async () => {
    const step = publishOf((await request(ctx.app).get(`/campaigns/${id}/timeline`)).body);
    return step?.status === 'retrying' && step.attempts >= 2 ? step : null;
  }, 30_000);
  expect(retrying.failures[0].message).toMatch(/ECONNREFUSED|connect|fetch failed|refused/i);
  expect(retrying.nextAttemptAt).toEqual(expect.any(String));

  const text = await eventually(async () => {
    const t = await scrape();
    return /campaign_activity_failures_total\{[^}]*publishPlacement[^}]*\} [1-9]/.test(t) ? t : null;
  }, 30_000);
  expect(text).toMatch(/temporal_activity_execution_failed_total\{[^}]*publishPlacement[^}]*\} [1-9]/);
  expect(text).toMatch(
    /temporal_workflow_completed_total|temporal_workflow_task_execution_latency|temporal_worker_start_total/,
  );

  // Once the retries are spent (5 attempts), the publish step has failed, with the attempts it took.
  const failed = await eventually(async () => {
    const step = publishOf((await request(ctx.app).get(`/campaigns/${id}/timeline`)).body);
    return step?.status === 'failed' ? step : null;
  }, 60_000);
  expect(failed.attempts).toBe(5);
  expect(failed.failures.length).toBeGreaterThanOrEqual(1);
  expect(failed.failures.at(-1)).toMatchObject({ attempt: 5, message: expect.any(String) });
  const good_publish = ((await request(ctx.app).get(`/campaigns/${id}/timeline`)).body.steps as Json[]).find(
    (s) => s.kind === 'publish' && s.channelCode === good!.code,
  );
  expect(good_publish).toMatchObject({ status: 'completed', attempts: 1 });

  await ctx.temporal.client.workflow.getHandle(campaignWorkflowId(id)).terminate('test done');
});
