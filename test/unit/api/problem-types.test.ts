// One table from failures to problems (api/problem-types.ts): every problem carries its documented
// `type` URI and `retryable`; a registration written around the campaign's lock is a retryable 409, an
// unreachable PostgreSQL or Temporal a 503 with Retry-After (issue 14, findings 5 and 7).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { Problem, problemHandler, unavailableDependency } from '../../../api/problem';
import { PROBLEM_TYPES, problemTypeUri, type ProblemKind } from '../../../api/problem-types';
import { ConcurrentWriteError, IngestBusyError } from '../../../funnel/ingest/campaign-lock';
import { retryableOnTimeout } from '../../../funnel/ingest/registration-sql';

function appThrowing(err: unknown) {
  const app = express();
  app.use((_req, res, next) => {
    res.locals.log = { error: () => undefined, warn: () => undefined };
    next();
  });
  app.get('/x', () => {
    throw err;
  });
  app.use(problemHandler);
  return app;
}

it('every kind of problem has a type URI documented in docs/api/problems.md', () => {
  const doc = readFileSync(join(__dirname, '../../../docs/api/problems.md'), 'utf8');
  for (const kind of Object.keys(PROBLEM_TYPES) as ProblemKind[]) {
    expect(doc).toContain(problemTypeUri(kind));
  }
});

it('a Problem is sent with its type URI and whether it is retryable, never about:blank', async () => {
  const res = await request(appThrowing(new Problem(404, 'Not Found', 'gone'))).get('/x');
  expect(res.body).toMatchObject({ type: problemTypeUri('not-found'), retryable: false, status: 404 });
});

it('ConcurrentWriteError is a retryable 409 with Retry-After, its advice in the reply', async () => {
  const err = new ConcurrentWriteError(
    'a registration of this batch was written concurrently; retry the batch',
  );
  const res = await request(appThrowing(err)).get('/x');
  expect(res.status).toBe(409);
  expect(res.headers['retry-after']).toBe('1');
  expect(res.body).toMatchObject({ type: problemTypeUri('concurrent-write'), retryable: true });
  expect(res.body.detail).toContain('retry the batch');
});

it.each([
  ['57014', 'waited too long'],
  ['40P01', 'waited for each other'],
])(
  'an ingest batch that PostgreSQL ended (%s) under load is a retryable 503 ingest-busy, never a 500',
  async (code, advice) => {
    let thrown: unknown;
    try {
      retryableOnTimeout('registrations')(Object.assign(new Error('pg'), { code }));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(IngestBusyError);
    const res = await request(appThrowing(thrown)).get('/x');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toMatchObject({ type: problemTypeUri('ingest-busy'), retryable: true });
    expect(res.body.detail).toContain(advice);
    expect(res.body.detail).toContain('nothing of it was stored');
  },
);

it('any other database error of an ingest batch is left as it is (not taken for busy)', () => {
  const other = Object.assign(new Error('unique violation'), { code: '23505' });
  expect(() => retryableOnTimeout('events')(other)).toThrow(other);
});

it.each([
  [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {}), 'PostgreSQL'],
  [
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    'PostgreSQL',
  ],
  [
    Object.assign(new Error('wrapped'), { cause: Object.assign(new Error('x'), { code: 'P1001' }) }),
    'PostgreSQL',
  ],
  [
    Object.assign(new Error('14 UNAVAILABLE: No connection established'), { name: 'ServiceError', code: 14 }),
    'Temporal',
  ],
])('an unreachable dependency (%s) is a 503 with Retry-After', async (err, which) => {
  expect(unavailableDependency(err)).toBe(which);
  const res = await request(appThrowing(err)).get('/x');
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBe('5');
  expect(res.body).toMatchObject({ type: problemTypeUri('dependency-unavailable'), retryable: true });
  expect(res.body.detail).toContain(which);
});

it('an ordinary bug stays a 500 that is not retryable', async () => {
  const res = await request(appThrowing(new TypeError('x is undefined'))).get('/x');
  expect(res.status).toBe(500);
  expect(res.body).toMatchObject({ type: problemTypeUri('internal'), retryable: false });
});

it('a URL or header over 16 KB gets a 431 with a problem+json body (not an empty one)', async () => {
  const { createServer } = await import('node:http');
  const { connect } = await import('node:net');
  const { answerClientErrors } = await import('../../../api/client-errors');
  const server = createServer(express());
  answerClientErrors(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      socket.write(`GET /campaigns?x=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 431 /);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    expect(body).toMatchObject({ status: 431, type: problemTypeUri('headers-too-large'), retryable: false });
    expect(raw).toMatch(/Content-Type: application\/problem\+json/);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
