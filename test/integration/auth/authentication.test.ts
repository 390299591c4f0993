// API keys end to end: how a key is presented, every way of failing authentication (401 with
// WWW-Authenticate, nothing echoed), the key's name as the actor, and key management — through the
// /api-keys endpoints and the `npm run keys` command — with its audit log.
import type { Express } from 'express';
import request from 'supertest';
import { keyMatchesHash } from '../../../api/auth/api-key-format';
import { createApiKey } from '../../../api/auth/api-key-store';
import { runKeysCommand } from '../../../api/auth/keys-command';
import { createTestContext, type TestContext } from '../../support/context';
import { seedChannels, uniq } from '../../support/fixtures';
import { branchChannel } from '../registry/fixtures';
import { bearer, keyedApp, keyFor } from './keys';

let ctx: TestContext;
let app: Express;
let admin: Awaited<ReturnType<typeof keyFor>>;

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  app = keyedApp(ctx);
  admin = await keyFor(ctx.db, 'admin');
});
afterAll(() => ctx.stop());

function expectUnauthorized(res: request.Response, key?: string) {
  expect(res.status).toBe(401);
  expect(res.type).toBe('application/problem+json');
  expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="/);
  expect(res.body).toMatchObject({ title: 'Unauthorized', status: 401, requestId: expect.any(String) });
  const text = JSON.stringify(res.body);
  if (key) expect(text).not.toContain(key.slice(12, 30));
  expect(text).not.toMatch(/ at .*\.ts:\d+|prisma|SELECT/i);
}

describe('presenting a key', () => {
  it('accepts Authorization: Bearer and X-Api-Key', async () => {
    const { key } = await keyFor(ctx.db, 'ops');
    expect((await request(app).get('/channels').set(bearer(key))).status).toBe(200);
    expect((await request(app).get('/channels').set('Authorization', `bearer  ${key}`)).status).toBe(200);
    expect((await request(app).get('/channels').set('X-Api-Key', key)).status).toBe(200);
  });

  it('refuses a missing key with 401 and tells how to send one', async () => {
    const res = await request(app).get('/channels');
    expectUnauthorized(res);
    expect(res.body.detail).toMatch(/Authorization: Bearer/);
  });

  it('refuses malformed, unknown, wrong-secret and other-scheme credentials alike, never echoing them', async () => {
    const { key } = await keyFor(ctx.db, 'ops');
    const wrongSecret = `${key.slice(0, 12)}${'A'.repeat(43)}`;
    const unknown = `ck_zzzzzzzz_${key.slice(12)}`;
    for (const presented of [wrongSecret, unknown, 'ck_short', `${key}x`]) {
      const res = await request(app).get('/channels').set(bearer(presented));
      expectUnauthorized(res, presented.length > 30 ? presented : undefined);
      expect(res.body.detail).toBe('the API key is not valid (unknown, malformed or revoked)');
    }
    expectUnauthorized(await request(app).get('/channels').set('X-Api-Key', wrongSecret), wrongSecret);
    expectUnauthorized(await request(app).get('/channels').set('Authorization', `Basic ${key}`), key);
  });

  it('refuses a revoked key from the moment it is revoked', async () => {
    const { key, id } = await keyFor(ctx.db, 'marketer');
    expect((await request(app).get('/channels').set(bearer(key))).status).toBe(200);
    const revoked = await request(app).post(`/api-keys/${id}/revoke`).set(bearer(admin.key));
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expectUnauthorized(await request(app).get('/channels').set(bearer(key)), key);
  });

  it("records the key's name as the actor of what it does", async () => {
    const marketer = await keyFor(ctx.db, 'marketer');
    const code = uniq('auth').toLowerCase();
    const res = await request(app)
      .post('/channels')
      .set(bearer(marketer.key))
      .send({
        code,
        name: 'Auth test channel',
        kind: 'ecosystem_scenario',
        onlineType: 'ecommerce',
        department: 'digital',
        costModel: { type: 'fixed_per_placement', amountMinor: 1000, currency: 'CNY' },
        canShowMaterial: true,
        canDeliverMessages: false,
        adapter: { type: 'simulator' },
      });
    expect(res.status).toBe(201);
    const audit = await ctx.db.auditLog.findFirst({
      where: { action: 'channel.create', payload: { path: ['code'], equals: code } },
    });
    expect(audit?.actor).toBe(marketer.name);
  });
});

describe('/api-keys', () => {
  it('creates a key, shows it once, and the key works with its role', async () => {
    const name = uniq('ops-person');
    const res = await request(app).post('/api-keys').set(bearer(admin.key)).send({ name, role: 'ops' });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      name,
      role: 'ops',
      channelIds: [],
      revokedAt: null,
      prefix: expect.any(String),
    });
    expect(res.body.key).toMatch(new RegExp(`^ck_${res.body.prefix}_[A-Za-z0-9_-]{43}$`));
    expect(res.body).not.toHaveProperty('hash');

    const row = await ctx.db.apiKey.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(row.hash).not.toContain(res.body.key.slice(12));
    expect(keyMatchesHash(res.body.key, row.hash)).toBe(true);
    expect((await request(app).get('/offline-tasks').set(bearer(res.body.key))).status).toBe(200);
    expect((await request(app).post('/channels').set(bearer(res.body.key)).send({})).status).toBe(403);

    const audit = await ctx.db.auditLog.findFirst({
      where: { action: 'api-key.create', payload: { path: ['keyId'], equals: res.body.id } },
    });
    expect(audit).toMatchObject({
      actor: admin.name,
      payload: { name, role: 'ops', prefix: res.body.prefix },
    });
    expect(JSON.stringify(audit)).not.toContain(res.body.key.slice(12));
    expect(JSON.stringify(audit)).not.toContain(row.hash);
  });

  it('lists keys without secrets or hashes; revoked keys only when asked', async () => {
    const listed = await keyFor(ctx.db, 'marketer');
    const gone = await keyFor(ctx.db, 'marketer');
    await request(app).post(`/api-keys/${gone.id}/revoke`).set(bearer(admin.key)).expect(200);

    const active = await request(app).get('/api-keys?role=marketer&limit=200').set(bearer(admin.key));
    expect(active.status).toBe(200);
    const ids = active.body.items.map((k: { id: string }) => k.id);
    expect(ids).toContain(listed.id);
    expect(ids).not.toContain(gone.id);
    const all = await request(app)
      .get('/api-keys?role=marketer&active=false&limit=200')
      .set(bearer(admin.key));
    expect(all.body.items.map((k: { id: string }) => k.id)).toEqual(
      expect.arrayContaining([listed.id, gone.id]),
    );
    const text = JSON.stringify(all.body);
    expect(text).not.toContain(listed.key.slice(12));
    expect(text).not.toMatch(/"hash"|"key"/);
  });

  it('revokes once: a repeat changes nothing, and both are audited as one revocation', async () => {
    const target = await keyFor(ctx.db, 'ops');
    const first = await request(app).post(`/api-keys/${target.id}/revoke`).set(bearer(admin.key));
    const again = await request(app).post(`/api-keys/${target.id}/revoke`).set(bearer(admin.key));
    expect(again.status).toBe(200);
    expect(again.body.revokedAt).toBe(first.body.revokedAt);
    const audits = await ctx.db.auditLog.findMany({
      where: { action: 'api-key.revoke', payload: { path: ['keyId'], equals: target.id } },
    });
    expect(audits).toHaveLength(1);
    expect(audits[0]?.actor).toBe(admin.name);
  });

  it('refuses invalid keys to create, and an Idempotency-Key (the reply holds a secret)', async () => {
    const [channel] = await seedChannels(ctx.db, 1);
    const post = (body: object) => request(app).post('/api-keys').set(bearer(admin.key)).send(body);
    const cases: [object, string][] = [
      [{ name: 'x', role: 'root' }, 'role'],
      [{ name: 'feed', role: 'channel-system' }, 'channelIds'],
      [{ name: 'feed', role: 'channel-system', channelIds: ['not-registered-anywhere'] }, 'channelIds'],
      [{ name: 'm', role: 'marketer', channelIds: [channel?.code] }, 'channelIds'],
      [{ name: 'anonymous', role: 'ops' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect({
        body,
        status: res.status,
        fields: res.body.errors?.map((e: { field: string }) => e.field),
      }).toEqual({
        body,
        status: 400,
        fields: [field],
      });
    }
    const withKey = await request(app)
      .post('/api-keys')
      .set(bearer(admin.key))
      .set('Idempotency-Key', 'k-1')
      .send({ name: 'ops', role: 'ops' });
    expect(withKey.status).toBe(400);
    expect(withKey.body.errors).toEqual([expect.objectContaining({ field: 'header.Idempotency-Key' })]);
    expect((await request(app).post(`/api-keys/not-a-uuid/revoke`).set(bearer(admin.key))).status).toBe(400);
  });
});

describe('Idempotency-Key per key', () => {
  it('replays a reply only to the key that made the request, even when two keys share a name', async () => {
    const name = uniq('shared-name');
    const first = await createApiKey(ctx.db, { name, role: 'marketer', channelIds: [] }, 'auth-test');
    const second = await createApiKey(ctx.db, { name, role: 'marketer', channelIds: [] }, 'auth-test');
    const body = branchChannel(uniq('idem'));
    const post = (key: string) =>
      request(app).post('/channels').set(bearer(key)).set('Idempotency-Key', 'same-key').send(body);

    const created = await post(first.key);
    expect(created.status).toBe(201);
    const replayed = await post(first.key);
    expect(replayed.status).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body.id).toBe(created.body.id);

    // The other key's request is its own: not a replay of the first key's reply. The channel code is
    // taken by then, so it is refused as a conflict, which shows that it really ran.
    const other = await post(second.key);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(other.status).toBe(409);
  });
});

describe('npm run keys', () => {
  const run = async (...argv: string[]) => {
    const lines: string[] = [];
    const code = await runKeysCommand(ctx.db, argv, 'cli:tester', (line) => lines.push(line));
    return { code, lines };
  };

  it('creates a channel-system key that works, lists it, and revokes it', async () => {
    const channels = await seedChannels(ctx.db, 2);
    const codes = channels.map((c) => c.code);
    const name = uniq('feed');
    const created = await run(
      'create',
      '--name',
      name,
      '--role',
      'channel-system',
      '--channels',
      codes.join(','),
    );
    expect(created.code).toBe(0);
    const key = /key \(shown once; store it now\): (ck_\S+)$/.exec(created.lines[1] ?? '')?.[1] as string;
    expect(key).toMatch(/^ck_[a-z0-9]{8}_/);
    const id = /^created API key (\S+):/.exec(created.lines[0] ?? '')?.[1] as string;
    expect(await ctx.db.apiKey.findUniqueOrThrow({ where: { id } })).toMatchObject({
      name,
      role: 'channel-system',
      channelIds: codes,
    });
    // A channel system reads nothing: its key works (403, not 401) on a read.
    expect((await request(app).get('/channels').set(bearer(key))).status).toBe(403);

    const listed = await run('list');
    expect(listed.lines.find((l) => l.startsWith(id))).toContain(
      `channel-system "${name}", channels ${codes.join(',')}`,
    );
    expect(listed.lines.join('\n')).not.toContain(key.slice(12));

    const revoked = await run('revoke', id);
    expect(revoked).toMatchObject({
      code: 0,
      lines: [expect.stringMatching(new RegExp(`^revoked API key ${id}`))],
    });
    expect((await request(app).get('/channels').set(bearer(key))).status).toBe(401);
    expect((await run('list')).lines.some((l) => l.startsWith(id))).toBe(false);
    expect((await run('list', '--all')).lines.find((l) => l.startsWith(id))).toContain('revoked');
    const audit = await ctx.db.auditLog.findMany({
      where: { payload: { path: ['keyId'], equals: id } },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['api-key.create', 'cli:tester'],
      ['api-key.revoke', 'cli:tester'],
    ]);
  });

  it('explains what is wrong instead of creating a bad key', async () => {
    expect(await run('create', '--name', 'x', '--role', 'root')).toMatchObject({
      code: 2,
      lines: [expect.stringMatching(/^--role: /)],
    });
    expect(await run('create', '--name', 'feed', '--role', 'channel-system')).toMatchObject({
      code: 2,
      lines: [expect.stringMatching(/^--channels: /)],
    });
    expect(
      await run('create', '--name', 'feed', '--role', 'channel-system', '--channels', 'nowhere-x'),
    ).toMatchObject({
      code: 1,
      lines: [
        expect.stringMatching(/^Invalid request/),
        expect.stringContaining('"nowhere-x" is not registered'),
      ],
    });
    expect(await run('revoke', 'nope')).toMatchObject({ code: 2 });
    expect(await run('revoke', '00000000-0000-4000-8000-000000000000')).toMatchObject({
      code: 1,
      lines: [expect.stringMatching(/^Not Found/)],
    });
    expect((await run('frobnicate')).lines[0]).toMatch(/^usage: npm run keys/);
  });
});
