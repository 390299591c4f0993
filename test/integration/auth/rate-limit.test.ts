// Rate limits per key, counted in PostgreSQL: the limit holds across two app instances (as across API
// processes), the request over it gets 429 problem+json with Retry-After, other keys and public routes
// are unaffected, and channel-system keys get the ingest limit.
import request from 'supertest';
import { postgresRateLimiter } from '../../../api/auth/rate-limit';
import { createTestContext, type TestContext } from '../../support/context';
import { seedChannels } from '../../support/fixtures';
import { bearer, keyedApp, keyFor } from './keys';

let ctx: TestContext;
const limits = { perMinute: 3, ingestPerMinute: 5 };

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
});
afterAll(() => ctx.stop());

/** The window is the wall-clock minute: start a burst well inside one so it cannot straddle two. */
async function awayFromMinuteBoundary(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 100));
}

describe('rate limits', () => {
  it('count per key across app instances and answer the request over the limit with 429', async () => {
    const [one, two] = [keyedApp(ctx, { rateLimits: limits }), keyedApp(ctx, { rateLimits: limits })];
    const { key } = await keyFor(ctx.db, 'ops');
    const other = await keyFor(ctx.db, 'ops');
    await awayFromMinuteBoundary();

    const statuses: number[] = [];
    const remaining: string[] = [];
    for (const app of [one, two, one]) {
      const res = await request(app).get('/channels').set(bearer(key));
      statuses.push(res.status);
      remaining.push(String(res.headers['x-ratelimit-remaining']));
    }
    expect(statuses).toEqual([200, 200, 200]);
    expect(remaining).toEqual(['2', '1', '0']);

    const over = await request(two).get('/channels').set(bearer(key));
    expect(over.status).toBe(429);
    expect(over.type).toBe('application/problem+json');
    expect(over.body).toMatchObject({
      title: 'Too Many Requests',
      status: 429,
      requestId: expect.any(String),
    });
    const retryAfter = Number(over.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(over.headers['x-ratelimit-limit']).toBe('3');

    // Another key has its own count; public routes are not counted.
    expect((await request(one).get('/channels').set(bearer(other.key))).status).toBe(200);
    expect((await request(one).get('/healthz')).status).toBe(200);
  });

  it('give channel-system keys the ingest limit', async () => {
    const app = keyedApp(ctx, { rateLimits: limits });
    const [channel] = await seedChannels(ctx.db, 1);
    const { key } = await keyFor(ctx.db, 'channel-system', [(channel as { code: string }).code]);
    await awayFromMinuteBoundary();
    const statuses: number[] = [];
    // Refused by the role check (a read), but counted: the limit is about load, not success.
    for (let i = 0; i < 6; i++) statuses.push((await request(app).get('/channels').set(bearer(key))).status);
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429]);
  });

  it('keep one window per key: a new minute starts from one and forgets the old windows', async () => {
    const principal = { id: `rate-test-${Date.now()}`, name: 'r', role: 'ops' as const, channelIds: [] };
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    let clock = minute + 59_000;
    const limiter = postgresRateLimiter(ctx.db, limits, () => clock);
    expect((await limiter(principal)).remaining).toBe(2);
    expect(await limiter(principal)).toMatchObject({ allowed: true, remaining: 1, resetSeconds: 1 });
    clock = minute + 60_000 + 1_500;
    expect(await limiter(principal)).toMatchObject({ allowed: true, remaining: 2, resetSeconds: 59 });
    const rows = await ctx.db.$queryRaw<{ windowStart: Date; count: number }[]>`
      SELECT "windowStart", "count" FROM "RateLimitWindow" WHERE "keyId" = ${principal.id}`;
    expect(rows).toEqual([{ windowStart: new Date(minute + 60_000), count: 1 }]);
  });
});
