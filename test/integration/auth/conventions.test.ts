// The conventions every answer keeps, checked with real keys: request ids echoed (and made up when
// missing or unsafe), 413 for an oversized body, 415 for a non-JSON one, and a 500 that is a
// problem+json with the request id, leaks neither stack nor SQL, and leaves a log line with that id.
import type { Express } from 'express';
import request from 'supertest';
import type { Db } from '../../../db/client';
import { createTestContext, type TestContext } from '../../support/context';
import { bearer, keyedApp, keyFor, recordingLogger, type LogLine } from './keys';

let ctx: TestContext;
let app: Express;
let key: string;

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  app = keyedApp(ctx);
  key = (await keyFor(ctx.db, 'marketer')).key;
});
afterAll(() => ctx.stop());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it('are echoed in X-Request-Id and in problem bodies, and made up when missing or unsafe', async () => {
    const echoed = await request(app).get('/channels').set(bearer(key)).set('X-Request-Id', 'req-42.a:b');
    expect(echoed.headers['x-request-id']).toBe('req-42.a:b');
    const problem = await request(app).get('/channels').set('X-Request-Id', 'req-43');
    expect(problem.status).toBe(401);
    expect(problem.body.requestId).toBe('req-43');
    const madeUp = await request(app)
      .get('/channels')
      .set(bearer(key))
      .set('X-Request-Id', 'has spaces <script>');
    expect(madeUp.headers['x-request-id']).toMatch(UUID);
    expect((await request(app).get('/healthz')).headers['x-request-id']).toMatch(UUID);
  });
});

describe('bodies', () => {
  it('over 1 MB are refused with 413 problem+json', async () => {
    const big = { name: 'x'.repeat(1_100_000) };
    const res = await request(app).post('/materials').set(bearer(key)).send(big);
    expect(res.status).toBe(413);
    expect(res.type).toBe('application/problem+json');
    expect(res.body).toMatchObject({
      title: 'Payload Too Large',
      status: 413,
      requestId: expect.any(String),
    });
  });

  it('that are not JSON are refused with 415 problem+json', async () => {
    const res = await request(app)
      .post('/materials')
      .set(bearer(key))
      .set('Content-Type', 'text/plain')
      .send('name=banner');
    expect(res.status).toBe(415);
    expect(res.type).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 415, requestId: res.headers['x-request-id'] });
  });

  it('are not even read without a valid key (401 before 413/415)', async () => {
    const res = await request(app)
      .post('/materials')
      .set('Content-Type', 'text/plain')
      .send('x'.repeat(2_000_000));
    expect(res.status).toBe(401);
  });

  it('that are broken JSON get a 400 that does not echo the parser internals', async () => {
    const res = await request(app)
      .post('/materials')
      .set(bearer(key))
      .set('Content-Type', 'application/json')
      .send('{"name": ');
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe('request body is not valid JSON');
    expect(JSON.stringify(res.body)).not.toMatch(/SyntaxError|at JSON\.parse|node_modules/);
  });
});

describe('an unexpected failure', () => {
  it('is a 500 problem+json with the request id, no stack or SQL, and an error log line with that id', async () => {
    const lines: LogLine[] = [];
    const sqlError = new Error(
      'Invalid `prisma.campaign.findMany()` invocation: relation "Campaign" … SELECT "id" FROM "public"."Campaign"',
    );
    // The database answers everything but campaigns, which fail the way a broken query would.
    const failingDb = new Proxy(ctx.db, {
      get(target, prop) {
        if (prop === 'campaign') return { findMany: () => Promise.reject(sqlError) };
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }) as Db;
    const broken = keyedApp(ctx, { db: failingDb, log: recordingLogger(lines) });

    const res = await request(broken).get('/campaigns').set(bearer(key)).set('X-Request-Id', 'req-boom-1');
    expect(res.status).toBe(500);
    expect(res.type).toBe('application/problem+json');
    expect(res.headers['x-request-id']).toBe('req-boom-1');
    expect(res.body).toEqual({
      type: 'tag:campaign-orchestrator,2026:problem/internal',
      title: 'Internal Server Error',
      status: 500,
      detail: 'an unexpected error occurred; see the server log',
      retryable: false,
      requestId: 'req-boom-1',
    });
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|prisma|Campaign"|\.ts:\d+/);

    const logged = lines.find((l) => l.level === 'error' && l.requestId === 'req-boom-1');
    expect(logged).toMatchObject({ msg: 'unhandled error', path: '/campaigns' });
    expect(String(logged?.err)).toContain('SELECT');
    // And the request line names the status and the key that made the request.
    expect(lines.find((l) => l.msg === 'request' && l.requestId === 'req-boom-1')).toMatchObject({
      status: 500,
      keyId: expect.any(String),
    });
  });

  it('in the authenticator itself (the database down) is a 503 with Retry-After, never a 401 that hides it', async () => {
    const lines: LogLine[] = [];
    const down = keyedApp(ctx, {
      log: recordingLogger(lines),
      authenticate: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
    });
    const res = await request(down).get('/channels').set(bearer(key));
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.type).toBe('application/problem+json');
    expect(res.body).toMatchObject({
      retryable: true,
      type: 'tag:campaign-orchestrator,2026:problem/dependency-unavailable',
    });
    expect(JSON.stringify(res.body)).not.toContain('ECONNREFUSED');
    expect(lines.find((l) => l.level === 'warn' && l.requestId === res.body.requestId)).toBeDefined();
  });
});
