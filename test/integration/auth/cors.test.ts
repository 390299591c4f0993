// CORS is off by default — no Access-Control-* header on any answer, preflights included — and, with an
// allow-list, answers preflights from listed origins and labels their responses (errors too).
import request from 'supertest';
import { createTestContext, type TestContext } from '../../support/context';
import { bearer, keyedApp, keyFor } from './keys';

let ctx: TestContext;
let key: string;

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  key = (await keyFor(ctx.db, 'marketer')).key;
});
afterAll(() => ctx.stop());

const accessControlHeaders = (res: request.Response) =>
  Object.keys(res.headers).filter((h) => h.startsWith('access-control-'));

const preflight = (app: ReturnType<typeof keyedApp>, origin: string) =>
  request(app)
    .options('/campaigns')
    .set('Origin', origin)
    .set('Access-Control-Request-Method', 'POST')
    .set('Access-Control-Request-Headers', 'authorization, content-type');

describe('CORS off (default)', () => {
  it('adds no Access-Control-* header to responses or preflights', async () => {
    const app = keyedApp(ctx);
    const get = await request(app)
      .get('/channels')
      .set(bearer(key))
      .set('Origin', 'https://elsewhere.example');
    expect(get.status).toBe(200);
    expect(accessControlHeaders(get)).toEqual([]);
    const pre = await preflight(app, 'https://elsewhere.example');
    expect(accessControlHeaders(pre)).toEqual([]);
    expect(pre.status).toBe(401);
  });
});

describe('CORS with CORS_ORIGINS', () => {
  const allowed = 'https://console.bank.example';

  it('answers a preflight from a listed origin before authentication', async () => {
    const app = keyedApp(ctx, { corsOrigins: [allowed, 'https://other.bank.example'] });
    const res = await preflight(app, allowed);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(allowed);
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(res.headers['access-control-allow-headers']).toMatch(/Idempotency-Key/);
    expect(res.headers.vary).toMatch(/Origin/);
  });

  it('labels responses to a listed origin, errors included, and exposes the useful headers', async () => {
    const app = keyedApp(ctx, { corsOrigins: [allowed] });
    const ok = await request(app).get('/channels').set(bearer(key)).set('Origin', allowed);
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(allowed);
    expect(ok.headers['access-control-expose-headers']).toMatch(/X-Request-Id/);
    expect(ok.headers['access-control-expose-headers']).toMatch(/Retry-After/);
    const unauthorized = await request(app).get('/channels').set('Origin', allowed);
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers['access-control-allow-origin']).toBe(allowed);
  });

  it('says nothing to an origin that is not listed', async () => {
    const app = keyedApp(ctx, { corsOrigins: [allowed] });
    const pre = await preflight(app, 'https://evil.example');
    expect(accessControlHeaders(pre)).toEqual([]);
    expect(pre.status).toBe(401);
    const get = await request(app).get('/channels').set(bearer(key)).set('Origin', 'https://evil.example');
    expect(get.status).toBe(200);
    expect(accessControlHeaders(get)).toEqual([]);
  });
});
