// The whole role matrix with real API keys: for every entry of the access policy, a role it allows gets
// through the gate (whatever the handler then says — 400, 404 — it is not 401/403) and a role it does not
// allow gets 403 problem+json; admin gets through everywhere; public routes need no key at all.
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { POLICY, type PolicyEntry } from '../../../api/auth/policy';
import { ROLES, type Role } from '../../../api/auth/principal';
import { createTestContext, type TestContext } from '../../support/context';
import { seedChannels } from '../../support/fixtures';
import { bearer, keyedApp, keyFor } from './keys';

let ctx: TestContext;
let app: Express;
const keys = {} as Record<Role, string>;

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  app = keyedApp(ctx);
  const [channel] = await seedChannels(ctx.db, 1);
  const channels = [(channel as { code: string }).code];
  for (const role of ROLES)
    keys[role] = (await keyFor(ctx.db, role, role === 'channel-system' ? channels : [])).key;
});
afterAll(() => ctx.stop());

/** Parameters that exist nowhere: allowed calls end in the handler's 400/404, never in a change. */
const samplePath = (path: string) =>
  path
    .replace(':id', randomUUID())
    .replace(':code', 'no-such-channel')
    .replace(/:[A-Za-z_][A-Za-z0-9_]*/g, 'no-such-thing');

function call(entry: PolicyEntry, key?: string) {
  const path = entry.prefix ? `${entry.path}/` : samplePath(entry.path);
  const method = entry.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
  const agent = request(app);
  const req = agent[method](path).set(key ? bearer(key) : {});
  return entry.method === 'GET' ? req : req.send({});
}

const label = (e: PolicyEntry) => `${e.method} ${e.path}`;
const guarded = POLICY.filter((e): e is PolicyEntry & { allow: readonly Role[] } => e.allow !== 'public');
const open = POLICY.filter((e) => e.allow === 'public');

describe.each(guarded.map((e) => [label(e), e] as const))('%s', (_label, entry) => {
  const allowed: Role = entry.allow.find((r) => r !== 'admin') ?? 'admin';
  const denied = ROLES.filter((r) => !entry.allow.includes(r));

  it(`lets ${allowed} and admin through`, async () => {
    const refused: [Role, number][] = [];
    for (const role of new Set<Role>([allowed, 'admin'])) {
      const res = await call(entry, keys[role]);
      if (res.status === 401 || res.status === 403) refused.push([role, res.status]);
    }
    expect(refused).toEqual([]);
  });

  // A route every role may call (GET /me) has nobody to refuse.
  if (denied.length > 0)
    it(`refuses ${denied.join(', ')} with 403`, async () => {
      for (const role of denied) {
        const res = await call(entry, keys[role]);
        expect({ role, status: res.status }).toEqual({ role, status: 403 });
        expect(res.type).toBe('application/problem+json');
        expect(res.body).toMatchObject({ title: 'Forbidden', status: 403, requestId: expect.any(String) });
      }
    });

  it('refuses a caller without a key with 401', async () => {
    const res = await call(entry);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
  });
});

describe.each(open.map((e) => [label(e), e] as const))('%s (public)', (_label, entry) => {
  it('needs no key', async () => {
    const res = await call(entry);
    expect([401, 403]).not.toContain(res.status);
  });
});

describe('routes the policy does not list', () => {
  it.each(ROLES.filter((r) => r !== 'admin'))('are refused to %s (403), deny by default', async (role) => {
    const res = await request(app).get('/no-such-route').set(bearer(keys[role]));
    expect(res.status).toBe(403);
    expect(res.type).toBe('application/problem+json');
  });

  it('are simply not found for admin, and need a key first', async () => {
    expect((await request(app).get('/no-such-route').set(bearer(keys.admin))).status).toBe(404);
    expect((await request(app).get('/no-such-route')).status).toBe(401);
  });
});
