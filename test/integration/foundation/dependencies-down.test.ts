// Dependencies down, answered well (issue 14, finding 5): with PostgreSQL unreachable every request —
// the API-key lookup included — gets a 503 problem with Retry-After in bounded time, not a 500; with
// Temporal unreachable, a steering action does too; /readyz names the dependency that is down.
// A Temporal that accepts connections and never answers (stalled, blackholed) is the harder case: every
// route that reaches it must still answer within its deadline (api/temporal.ts), 503 + Retry-After for
// reads and steering, 202 for a create, never hanging and never a 500.
import net from 'node:net';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../../../api/app';
import { apiKeyAuthenticator, headerAuthenticator } from '../../../api/auth/authenticator';
import { problemTypeUri } from '../../../api/problem-types';
import { createDb } from '../../../db/client';
import { createLogger } from '../../../infra/logger';
import { DEFAULT_TEMPORAL_DEADLINES, type TemporalDeps } from '../../../api/temporal';
import { campaignWorkflowId } from '../../../workflows/ids';
import { createTestContext, testUrls, type TestContext, untilPhase } from '../../support/context';
import { createCampaign } from '../../support/campaigns';
import {
  campaignRequest,
  sampleContent,
  seedChannels,
  seedMaterial,
  seedMaterialVersion,
} from '../../support/fixtures';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
});
afterAll(() => ctx.stop());

const log = createLogger('test', 'error');

it('PostgreSQL unreachable: 503 with Retry-After for the key lookup and for reads, /readyz says database', async () => {
  const deadDb = createDb('postgresql://postgres@127.0.0.1:1/none', 2);
  try {
    const app = createApp({
      db: deadDb,
      temporal: ctx.temporal,
      log,
      authenticate: apiKeyAuthenticator(deadDb),
    });
    const started = Date.now();
    const res = await request(app)
      .get('/campaigns')
      .set('Authorization', 'Bearer ck_abcdefgh_' + 'x'.repeat(43));
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ type: problemTypeUri('dependency-unavailable'), retryable: true });
    expect(res.body.detail).toContain('PostgreSQL');
    expect(Date.now() - started).toBeLessThan(10_000);

    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.database.ok).toBe(false);
    expect(ready.body.checks.temporal.ok).toBe(true);
  } finally {
    await deadDb.$disconnect();
  }
});

it('Temporal unreachable: a steering action is a 503 with Retry-After, and nothing is recorded', async () => {
  const { id } = await createCampaign(ctx);
  await ctx.temporal.client.workflow
    .getHandle(campaignWorkflowId(id))
    .terminate('test: only the row is needed');

  const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '2 seconds' });
  const temporal = {
    client: new Client({ connection, namespace: 'default' }),
    namespace: 'default',
    taskQueue: ctx.temporal.taskQueue,
  };
  const app = createApp({ db: ctx.db, temporal, log, authenticate: headerAuthenticator });
  const res = await request(app).post(`/campaigns/${id}/pause`).send({});
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBe('5');
  expect(res.body.detail).toContain('Temporal');
  expect(await ctx.db.auditLog.count({ where: { campaignId: id, action: 'campaign.pause' } })).toBe(0);
  const ready = await request(app).get('/readyz');
  expect(ready.body.checks.temporal.ok).toBe(false);
  // Not closed: the SDK's retry interceptor may still hold a retry of a call to the dead address, and a
  // retry that fires on a closed channel throws from a timer ('Channel has been shut down'), failing
  // whichever test file runs next. Left open, the retries end on their own (UNAVAILABLE).
  void connection;
});

/** A TCP server that accepts every connection and never answers a byte: a stalled Temporal. */
async function startBlackhole(): Promise<{ address: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A TCP proxy to the real Temporal that can stall: while stalled it holds every byte in both
 * directions (connections stay open, nothing is answered), and delivers them on resume.
 */
async function startStallingProxy(upstream: string) {
  const [host, port] = upstream.split(':') as [string, string];
  let stalled = false;
  const flushes = new Set<() => void>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const up = net.connect(Number(port), host);
    for (const s of [client, up]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        up.destroy();
      });
    }
    const held: [net.Socket, Buffer][] = [];
    const forward = (to: net.Socket) => (data: Buffer) => (stalled ? held.push([to, data]) : to.write(data));
    client.on('data', forward(up));
    up.on('data', forward(client));
    flushes.add(() => {
      for (const [to, data] of held.splice(0)) to.write(data);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${own}`,
    stall: () => (stalled = true),
    resume: () => {
      stalled = false;
      for (const flush of flushes) flush();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('Temporal stalled: every call is bounded', () => {
  let blackhole: Awaited<ReturnType<typeof startBlackhole>>;
  let stalled: TemporalDeps;
  beforeAll(async () => {
    blackhole = await startBlackhole();
    // A connect timeout longer than any deadline: the API's deadline, not the SDK's, must end the wait.
    const connection = Connection.lazy({ address: blackhole.address, connectTimeout: '60 seconds' });
    stalled = {
      client: new Client({ connection, namespace: 'default' }),
      namespace: 'default',
      taskQueue: ctx.temporal.taskQueue,
      deadlines: { callMs: 1500, updateAcceptedMs: 2500 },
    };
  });
  afterAll(() => blackhole.close());

  const stalledApp = (temporal: TemporalDeps = stalled) =>
    createApp({ db: ctx.db, temporal, log, authenticate: headerAuthenticator });

  async function timed(send: () => PromiseLike<request.Response>) {
    const started = Date.now();
    const res = await send();
    return { res, ms: Date.now() - started };
  }

  function expectUnavailable(res: request.Response) {
    expect(res.status).toBe(503);
    expect(res.type).toBe('application/problem+json');
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ type: problemTypeUri('dependency-unavailable'), retryable: true });
    expect(res.body.detail).toContain('Temporal');
  }

  const runningCampaign = () => createCampaign(ctx);

  it('reads (campaign, history, timeline, list) answer 503 (the list: 200 without visibility) within the deadline', async () => {
    const { id } = await runningCampaign();
    const app = stalledApp();
    for (const path of [`/campaigns/${id}`, `/campaigns/${id}/history`, `/campaigns/${id}/timeline`]) {
      const { res, ms } = await timed(() => request(app).get(path));
      expectUnavailable(res);
      expect(ms).toBeLessThan(1500 + 3000);
    }
    // The list is the database's; only its workflow columns need Temporal, and say they are missing.
    const { res, ms } = await timed(() => request(app).get('/ops/campaigns?limit=5').set('X-Role', 'ops'));
    expect(res.status).toBe(200);
    expect(res.body.visibility.available).toBe(false);
    expect(ms).toBeLessThan(1500 + 3000);
    await ctx.temporal.client.workflow.getHandle(campaignWorkflowId(id)).terminate('test done');
  });

  it('a create is stored and answered 202 within the deadline (the reconciler starts it later)', async () => {
    const channels = await seedChannels(ctx.db, 1);
    const { material } = await seedMaterial(ctx.db);
    const { res, ms } = await timed(() =>
      request(stalledApp())
        .post('/campaigns')
        .send(
          campaignRequest(
            channels.map((c) => c.code),
            material.id,
          ),
        ),
    );
    expect(res.status).toBe(202);
    expect(ms).toBeLessThan(1500 + 3000);
    expect(
      (await ctx.db.campaign.findUniqueOrThrow({ where: { id: res.body.id } })).workflowStartedAt,
    ).toBeNull();
    // Not left start-pending in the shared test database: another file's reconciler would start it on
    // its worker (campaign-slice.test.ts names such rows). Its start is not this test's subject.
    await ctx.db.campaign.update({ where: { id: res.body.id }, data: { workflowStartedAt: new Date() } });
  });

  it('steering (pause, resume, cancel, rerun-evaluation, material change) answers 503 within the deadline, never 500', async () => {
    const { id, variant } = await runningCampaign();
    const v2 = await seedMaterialVersion(ctx.db, variant, 2, sampleContent('Open an account, get ¥90'));
    const app = stalledApp();
    for (const [path, body] of [
      [`/campaigns/${id}/pause`, { reason: 'check' }],
      [`/campaigns/${id}/resume`, {}],
      [`/campaigns/${id}/cancel`, { reason: 'stop' }],
      [`/campaigns/${id}/rerun-evaluation`, {}],
      [`/campaigns/${id}/material`, { materialVersionId: v2.id }],
    ] as const) {
      const { res, ms } = await timed(() => request(app).post(path).set('X-Role', 'admin').send(body));
      expectUnavailable(res);
      expect(ms).toBeLessThan(2500 + 3000);
    }
    // The connection never came up: no update can have arrived, so no entry was kept.
    expect(
      await ctx.db.auditLog.count({ where: { campaignId: id, NOT: { action: 'campaign.create' } } }),
    ).toBe(0);
    await ctx.temporal.client.workflow.getHandle(campaignWorkflowId(id)).terminate('test done');
  });

  it('with the default deadlines, after a connection that worked: the audit row stays, and a retry with the same key applies the action once', async () => {
    await ctx.startWorker();
    const proxy = await startStallingProxy(testUrls().temporalAddress);
    const connection = await Connection.connect({ address: proxy.address });
    const viaProxy: TemporalDeps = {
      client: new Client({ connection, namespace: 'default' }),
      namespace: 'default',
      taskQueue: ctx.temporal.taskQueue,
    };
    const app = stalledApp(viaProxy);
    const { id } = await runningCampaign();
    const audit = () => ctx.db.auditLog.findMany({ where: { campaignId: id, action: 'campaign.pause' } });
    try {
      await untilPhase(app, id, 'acquiring');
      proxy.stall();
      const { res, ms } = await timed(() =>
        request(app)
          .post(`/campaigns/${id}/pause`)
          .set('Idempotency-Key', `pause-${id}`)
          .send({ reason: 'check' }),
      );
      expectUnavailable(res);
      // The connection was up: whether the update arrived is unknown, so the entry stays and the
      // answer says to retry with the key.
      expect(res.body.detail).toContain('Idempotency-Key');
      expect(ms).toBeGreaterThanOrEqual(DEFAULT_TEMPORAL_DEADLINES.updateAcceptedMs - 100);
      expect(ms).toBeLessThan(DEFAULT_TEMPORAL_DEADLINES.updateAcceptedMs + 4000);
      expect(await audit()).toHaveLength(1);

      const read = await timed(() => request(app).get(`/campaigns/${id}`));
      expectUnavailable(read.res);
      expect(read.ms).toBeLessThan(DEFAULT_TEMPORAL_DEADLINES.callMs + 4000);

      // Temporal answers again: the retry with the same key pauses, recorded once.
      proxy.resume();
      const retry = await request(app)
        .post(`/campaigns/${id}/pause`)
        .set('Idempotency-Key', `pause-${id}`)
        .send({ reason: 'check' });
      expect(retry.status).toBe(200);
      expect(retry.body.state.paused).toBe(true);
      expect(await audit()).toHaveLength(1);
      const again = await request(app)
        .post(`/campaigns/${id}/pause`)
        .set('Idempotency-Key', `pause-${id}`)
        .send({ reason: 'check' });
      expect(again.status).toBe(200);
      expect(await audit()).toHaveLength(1);
    } finally {
      proxy.resume();
      await ctx.temporal.client.workflow
        .getHandle(campaignWorkflowId(id))
        .terminate('test done')
        .catch(() => undefined);
      await connection.close();
      await proxy.close();
      await ctx.stopWorker();
    }
  });
});
