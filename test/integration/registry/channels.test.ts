// The channel registry over HTTP against a real PostgreSQL: register, validate, list, update, retire.
import request from 'supertest';
import { createTestContext, type TestContext } from '../../support/context';
import { branchChannel, campaignUsing, codeOf, ecosystemChannel, runId } from './fixtures';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
});
afterAll(async () => {
  await ctx.stop();
});

const api = () => request(ctx.app);
const fields = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field).sort();

describe('POST /channels', () => {
  let invalidCase = 0;
  it('registers an online channel, returns it with version 1 and audits the creation', async () => {
    const res = await api().post('/channels').set('X-Actor', 'alice').send(ecosystemChannel('shop'));
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/channels/${codeOf('shop')}`);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({
      code: codeOf('shop'),
      kind: 'ecosystem_scenario',
      onlineType: 'ecommerce',
      costModel: { type: 'cpc', amountMinor: 120, currency: 'CNY' },
      adapter: { type: 'http', baseUrl: 'http://127.0.0.1:4199', timeoutMs: 5000 },
      status: 'active',
      retiredAt: null,
      version: 1,
    });
    const audit = await ctx.db.auditLog.findMany({ where: { action: 'channel.create', actor: 'alice' } });
    expect(audit.map((a) => (a.payload as { code: string }).code)).toContain(codeOf('shop'));
  });

  it('registers an offline branch with defaults (shows material, delivers no messages)', async () => {
    const res = await api().post('/channels').send(branchChannel('branch-a'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'offline',
      onlineType: null,
      canShowMaterial: true,
      canDeliverMessages: false,
    });
  });

  it('accepts a financial scenario without an online type', async () => {
    const res = await api()
      .post('/channels')
      .send(
        ecosystemChannel('app', {
          kind: 'financial_scenario',
          onlineType: undefined,
          adapter: { type: 'simulator' },
        }),
      );
    expect(res.status).toBe(201);
    expect(res.body.onlineType).toBeNull();
  });

  it.each([
    ['a code that is not a lower-case slug', { code: 'Mobile App' }, ['code']],
    ['an unknown kind', { kind: 'online' }, ['kind']],
    ['an ecosystem channel without online type', { onlineType: undefined }, ['onlineType']],
    ['an unknown online type', { onlineType: 'gaming' }, ['onlineType']],
    [
      'a negative amount',
      { costModel: { type: 'cpm', amountMinor: -1, currency: 'CNY' } },
      ['costModel.amountMinor'],
    ],
    [
      'a fractional amount',
      { costModel: { type: 'cpm', amountMinor: 1.5, currency: 'CNY' } },
      ['costModel.amountMinor'],
    ],
    [
      'a currency that is not ISO-4217',
      { costModel: { type: 'cpm', amountMinor: 1, currency: 'yuan' } },
      ['costModel.currency'],
    ],
    [
      'an unknown cost model',
      { costModel: { type: 'cpa', amountMinor: 1, currency: 'CNY' } },
      ['costModel.type'],
    ],
    ['an http adapter without base URL', { adapter: { type: 'http' } }, ['adapter.baseUrl']],
    [
      'an http adapter with an ftp URL',
      { adapter: { type: 'http', baseUrl: 'ftp://x.example' } },
      ['adapter.baseUrl'],
    ],
    ['an online channel with the offline adapter', { adapter: { type: 'offline' } }, ['adapter.type']],
    ['no department and no name', { department: undefined, name: '  ' }, ['department', 'name']],
    ['a status (set by retiring only)', { status: 'retired' }, ['status']],
  ])('refuses %s with 400 naming the field, and writes nothing', async (_label, overrides, expected) => {
    const body = ecosystemChannel(`bad-${++invalidCase}`, overrides);
    const res = await api().post('/channels').send(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(fields(res.body)).toEqual([...expected].sort());
    if (typeof body.code === 'string') {
      expect(await ctx.db.channel.findUnique({ where: { code: body.code } })).toBeNull();
    }
  });

  it('refuses an offline channel with an online type or an online adapter', async () => {
    const res = await api()
      .post('/channels')
      .send(branchChannel('bad-branch', { onlineType: 'social', adapter: { type: 'simulator' } }));
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['adapter.type', 'onlineType']);
    expect(await ctx.db.channel.findUnique({ where: { code: codeOf('bad-branch') } })).toBeNull();
  });

  it('refuses a duplicate code with 409, also when two requests race', async () => {
    expect((await api().post('/channels').send(ecosystemChannel('dup'))).status).toBe(201);
    const again = await api()
      .post('/channels')
      .send(ecosystemChannel('dup', { name: 'Another' }));
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain(codeOf('dup'));

    const racing = await Promise.all(
      [1, 2, 3].map(() => api().post('/channels').send(ecosystemChannel('race'))),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await ctx.db.channel.count({ where: { code: codeOf('race') } })).toBe(1);
  });

  it('replays the first reply for a retried Idempotency-Key instead of answering 409', async () => {
    const key = `create-${runId}`;
    const first = await api().post('/channels').set('Idempotency-Key', key).send(ecosystemChannel('idem'));
    const retry = await api().post('/channels').set('Idempotency-Key', key).send(ecosystemChannel('idem'));
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
  });
});

describe('GET /channels', () => {
  const department = `listing-${runId}`;
  beforeAll(async () => {
    for (const [name, kind, onlineType] of [
      ['l-social', 'ecosystem_scenario', 'social'],
      ['l-pay', 'ecosystem_scenario', 'payment'],
      ['l-wechat', 'financial_scenario', 'social'],
      ['l-app', 'financial_scenario', undefined],
    ] as const) {
      const res = await api()
        .post('/channels')
        .send(ecosystemChannel(name, { kind, onlineType, department, adapter: { type: 'simulator' } }));
      expect(res.status).toBe(201);
    }
    await api().post('/channels').send(branchChannel('l-branch', { department }));
    expect((await api().post(`/channels/${codeOf('l-pay')}/retire`)).status).toBe(200);
  });

  const codes = (body: { items: { code: string }[] }) => body.items.map((c) => c.code);

  it('filters by department, kind, online type and status, newest first', async () => {
    const all = await api().get('/channels').query({ department });
    expect(codes(all.body)).toEqual(['l-branch', 'l-app', 'l-wechat', 'l-pay', 'l-social'].map(codeOf));

    const social = await api().get('/channels').query({ department, onlineType: 'social' });
    expect(codes(social.body)).toEqual(['l-wechat', 'l-social'].map(codeOf));

    const ecosystem = await api()
      .get('/channels')
      .query({ department, kind: 'ecosystem_scenario', status: 'active' });
    expect(codes(ecosystem.body)).toEqual([codeOf('l-social')]);

    const retired = await api().get('/channels').query({ department, status: 'retired' });
    expect(codes(retired.body)).toEqual([codeOf('l-pay')]);
  });

  it('pages with a cursor until nextCursor is null, each channel once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pageNo = 0; pageNo < 10; pageNo++) {
      const res = await api()
        .get('/channels')
        .query({ department, limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...codes(res.body));
      cursor = res.body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(seen).toEqual(['l-branch', 'l-app', 'l-wechat', 'l-pay', 'l-social'].map(codeOf));
  });

  it('refuses unknown filters, bad values and foreign cursors with 400 naming them', async () => {
    const res = await api().get('/channels').query({ kind: 'online', onlineType: 'tv', limit: 0 });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['query.kind', 'query.limit', 'query.onlineType']);
    expect((await api().get('/channels').query({ departement: 'x' })).status).toBe(400);
    const cursor = await api().get('/channels').query({ cursor: 'not-a-cursor' });
    expect(fields(cursor.body)).toEqual(['query.cursor']);
  });
});

describe('GET and PATCH /channels/:code', () => {
  it('reads a channel; 404 for an unknown code', async () => {
    await api().post('/channels').send(ecosystemChannel('read'));
    const res = await api().get(`/channels/${codeOf('read')}`);
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(codeOf('read'));
    expect((await api().get(`/channels/${codeOf('nobody')}`)).status).toBe(404);
  });

  it('updates some fields, bumps the version and keeps the rest', async () => {
    await api().post('/channels').send(ecosystemChannel('patch'));
    const res = await api()
      .patch(`/channels/${codeOf('patch')}`)
      .set('X-Actor', 'bob')
      .send({ name: 'Renamed', costModel: { type: 'cpm', amountMinor: 3000, currency: 'CNY' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Renamed',
      version: 2,
      costModel: { type: 'cpm', amountMinor: 3000, currency: 'CNY' },
      onlineType: 'ecommerce',
      department: `retail-${runId}`,
    });
    expect(res.headers.etag).toBe('"2"');
    const stored = await ctx.db.channel.findUniqueOrThrow({ where: { code: codeOf('patch') } });
    expect(stored.name).toBe('Renamed');
  });

  it('refuses to change the code, unknown fields and an empty patch', async () => {
    await api().post('/channels').send(ecosystemChannel('immutable'));
    const code = await api()
      .patch(`/channels/${codeOf('immutable')}`)
      .send({ code: 'other' });
    expect(code.status).toBe(400);
    expect(fields(code.body)).toEqual(['code']);
    expect(
      (
        await api()
          .patch(`/channels/${codeOf('immutable')}`)
          .send({ status: 'retired' })
      ).status,
    ).toBe(400);
    expect(
      (
        await api()
          .patch(`/channels/${codeOf('immutable')}`)
          .send({})
      ).status,
    ).toBe(400);
    const stored = await ctx.db.channel.findUniqueOrThrow({ where: { code: codeOf('immutable') } });
    expect(stored).toMatchObject({ version: 1, status: 'active' });
  });

  it('checks the kind/online type/adapter rules on the channel as it would become', async () => {
    await api().post('/channels').send(ecosystemChannel('rekind'));
    const toOffline = await api()
      .patch(`/channels/${codeOf('rekind')}`)
      .send({ kind: 'offline' });
    expect(toOffline.status).toBe(400);
    expect(fields(toOffline.body)).toEqual(['adapter.type', 'onlineType']);

    const clearType = await api()
      .patch(`/channels/${codeOf('rekind')}`)
      .send({ onlineType: null });
    expect(clearType.status).toBe(400);
    expect(fields(clearType.body)).toEqual(['onlineType']);

    const valid = await api()
      .patch(`/channels/${codeOf('rekind')}`)
      .send({ kind: 'offline', onlineType: null, adapter: { type: 'offline' } });
    expect(valid.status).toBe(200);
    expect(valid.body).toMatchObject({
      kind: 'offline',
      onlineType: null,
      adapter: { type: 'offline' },
      version: 2,
    });
  });

  it('refuses a patch made against an older version (If-Match) with 412', async () => {
    await api().post('/channels').send(ecosystemChannel('etag'));
    expect(
      (
        await api()
          .patch(`/channels/${codeOf('etag')}`)
          .set('If-Match', '"1"')
          .send({ name: 'A' })
      ).status,
    ).toBe(200);
    const stale = await api()
      .patch(`/channels/${codeOf('etag')}`)
      .set('If-Match', '"1"')
      .send({ name: 'B' });
    expect(stale.status).toBe(412);
    expect((await ctx.db.channel.findUniqueOrThrow({ where: { code: codeOf('etag') } })).name).toBe('A');
  });

  it('has no DELETE', async () => {
    await api().post('/channels').send(ecosystemChannel('nodelete'));
    expect((await api().delete(`/channels/${codeOf('nodelete')}`)).status).toBe(404);
    expect(await ctx.db.channel.findUnique({ where: { code: codeOf('nodelete') } })).not.toBeNull();
  });
});

describe('POST /channels/:code/retire', () => {
  it('is refused with 409 while a campaign using the channel has not finished', async () => {
    const created = await api().post('/channels').send(ecosystemChannel('busy'));
    const running = await campaignUsing(ctx.db, created.body.id, 'acquiring');
    await campaignUsing(ctx.db, created.body.id, 'completed');

    const res = await api()
      .post(`/channels/${codeOf('busy')}/retire`)
      .send({ reason: 'contract ended' });
    expect(res.status).toBe(409);
    expect(res.body.campaigns).toEqual([{ id: running, name: 'campaign acquiring', status: 'acquiring' }]);
    const stored = await ctx.db.channel.findUniqueOrThrow({ where: { code: codeOf('busy') } });
    expect(stored).toMatchObject({ status: 'active', retiredAt: null, version: 1 });
  });

  it('retires a channel whose campaigns all finished; the row stays, retiring again changes nothing', async () => {
    const created = await api().post('/channels').send(ecosystemChannel('done'));
    for (const status of ['completed', 'cancelled', 'failed'])
      await campaignUsing(ctx.db, created.body.id, status);

    const res = await api()
      .post(`/channels/${codeOf('done')}/retire`)
      .set('X-Actor', 'carol')
      .send({ reason: 'closed' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'retired', version: 2 });
    expect(Date.parse(res.body.retiredAt)).not.toBeNaN();

    const again = await api()
      .post(`/channels/${codeOf('done')}/retire`)
      .send({});
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'retired', version: 2, retiredAt: res.body.retiredAt });

    const audit = await ctx.db.auditLog.findMany({ where: { action: 'channel.retire', actor: 'carol' } });
    expect(audit.filter((a) => (a.payload as { code: string }).code === codeOf('done'))).toHaveLength(1);
    expect((await api().get(`/channels/${codeOf('done')}`)).body.status).toBe('retired');
  });

  it('refuses to patch a retired channel', async () => {
    await api().post('/channels').send(ecosystemChannel('old'));
    await api().post(`/channels/${codeOf('old')}/retire`);
    expect(
      (
        await api()
          .patch(`/channels/${codeOf('old')}`)
          .send({ name: 'x' })
      ).status,
    ).toBe(409);
  });

  it('answers 404 for an unknown channel', async () => {
    expect((await api().post(`/channels/${codeOf('ghost')}/retire`)).status).toBe(404);
  });
});
