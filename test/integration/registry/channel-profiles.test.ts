// Channel profiles (渠道画像) over HTTP against a real PostgreSQL: versioned appends (also under
// concurrency), latest and history, and the all-or-nothing import of external profiles.
import request from 'supertest';
import { createTestContext, type TestContext } from '../../support/context';
import { codeOf, ecosystemChannel } from './fixtures';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  for (const name of ['p-video', 'p-news', 'p-race', 'p-batch-a', 'p-batch-b', 'p-untouched']) {
    expect((await request(ctx.app).post('/channels').send(ecosystemChannel(name))).status).toBe(201);
  }
});
afterAll(async () => {
  await ctx.stop();
});

const api = () => request(ctx.app);
const fields = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);
const profileCount = (code: string) => ctx.db.channelProfile.count({ where: { channel: { code } } });

const entertainmentAudience = {
  audience: {
    ageBands: { '18-24': 0.4, '25-34': 0.35 },
    genderSplit: { female: 0.7, male: 0.3 },
    cityTiers: { tier3: 0.3, tier4: 0.25, tier5: 0.2 },
    interests: ['entertainment', 'short-video'],
    willingnessToPay: 'low',
  },
  content: { preferredStyles: ['fun'], notes: 'women 18-35, tier-3 to tier-5 cities, consume content' },
} as const;

describe('POST /channels/:code/profiles', () => {
  it('appends versions 1, 2, … and serves the latest and the history newest first', async () => {
    const code = codeOf('p-video');
    const first = await api()
      .post(`/channels/${code}/profiles`)
      .set('X-Actor', 'analyst')
      .send({ source: 'external', asOf: '2026-01-31T00:00:00Z', traits: entertainmentAudience });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      channelCode: code,
      version: 1,
      source: 'external',
      traits: entertainmentAudience,
    });
    expect(first.headers.location).toBe(`/channels/${code}/profiles/1`);

    const basis = { campaigns: ['c-1'], registrations: 1200 };
    const second = await api()
      .post(`/channels/${code}/profiles`)
      .send({
        source: 'internal',
        asOf: '2026-02-28T00:00:00+08:00',
        traits: { performance: { activationRate: 0.31 } },
        basis,
      });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ version: 2, source: 'internal', basis });
    expect(second.body.asOf).toBe('2026-02-27T16:00:00.000Z');

    const latest = await api().get(`/channels/${code}/profile`);
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({ version: 2, source: 'internal' });

    const history = await api().get(`/channels/${code}/profiles`);
    expect(history.body.items.map((p: { version: number }) => p.version)).toEqual([2, 1]);
    expect(history.body.nextCursor).toBeNull();

    const one = await api().get(`/channels/${code}/profiles/1`);
    expect(one.body).toMatchObject({ version: 1, source: 'external' });

    const audit = await ctx.db.auditLog.findMany({
      where: { action: 'channel_profile.create', actor: 'analyst' },
    });
    expect(audit.some((a) => (a.payload as { code: string }).code === code)).toBe(true);
  });

  it('numbers concurrent profiles 1..n without gaps or duplicates', async () => {
    const code = codeOf('p-race');
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api()
          .post(`/channels/${code}/profiles`)
          .send({
            source: 'internal',
            asOf: '2026-03-01T00:00:00Z',
            traits: { performance: { registrations: i } },
          }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(replies.map((r) => r.body.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await profileCount(code)).toBe(6);
  });

  it.each([
    ['an unknown source', { source: 'partner' }, ['source']],
    ['a date without offset', { asOf: '2026-01-31 00:00' }, ['asOf']],
    ['an as-of time in the future', { asOf: '2999-01-01T00:00:00Z' }, ['asOf']],
    [
      'a negative share',
      { traits: { audience: { cityTiers: { tier3: -0.1 } } } },
      ['traits.audience.cityTiers.tier3'],
    ],
    [
      'shares summing above 1',
      { traits: { audience: { genderSplit: { female: 0.8, male: 0.5 } } } },
      ['traits.audience.genderSplit'],
    ],
    [
      'an unknown level',
      { traits: { audience: { priceSensitivity: 'extreme' } } },
      ['traits.audience.priceSensitivity'],
    ],
    ['a basis that is not an object', { basis: [1, 2] }, ['basis']],
  ])('refuses %s with 400 naming the field, and writes nothing', async (_label, overrides, expected) => {
    const code = codeOf('p-untouched');
    const body = {
      source: 'external',
      asOf: '2026-01-31T00:00:00Z',
      traits: entertainmentAudience,
      ...overrides,
    };
    const res = await api().post(`/channels/${code}/profiles`).send(body);
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(expected);
    expect(await profileCount(code)).toBe(0);
  });

  it('answers 404 for an unknown channel and for a channel without profile', async () => {
    const unknown = await api()
      .post(`/channels/${codeOf('nowhere')}/profiles`)
      .send({ source: 'external', asOf: '2026-01-31T00:00:00Z', traits: {} });
    expect(unknown.status).toBe(404);
    expect((await api().get(`/channels/${codeOf('p-untouched')}/profile`)).status).toBe(404);
    expect((await api().get(`/channels/${codeOf('p-untouched')}/profiles`)).body.items).toEqual([]);
  });

  it('pages the history by version', async () => {
    const code = codeOf('p-news');
    for (let i = 0; i < 5; i++) {
      const res = await api()
        .post(`/channels/${code}/profiles`)
        .send({
          source: 'internal',
          asOf: '2026-03-01T00:00:00Z',
          traits: { performance: { registrations: i } },
        });
      expect(res.status).toBe(201);
    }
    const versions: number[] = [];
    let cursor: string | undefined;
    do {
      const res = await api()
        .get(`/channels/${code}/profiles`)
        .query({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      versions.push(...res.body.items.map((p: { version: number }) => p.version));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(versions).toEqual([5, 4, 3, 2, 1]);
    const bad = await api().get(`/channels/${code}/profiles`).query({ cursor: 'garbage' });
    expect(fields(bad.body)).toEqual(['query.cursor']);
  });
});

describe('POST /channel-profiles/import', () => {
  const item = (name: string, asOf = '2026-01-31T00:00:00Z', traits: object = entertainmentAudience) => ({
    channelCode: codeOf(name),
    asOf,
    traits,
  });

  it('imports external profiles for several channels, consecutive versions per channel', async () => {
    const res = await api()
      .post('/channel-profiles/import')
      .set('X-Actor', 'partner-feed')
      .send({
        items: [
          item('p-batch-a', '2026-01-31T00:00:00Z'),
          item('p-batch-b'),
          item('p-batch-a', '2026-02-28T00:00:00Z', { audience: { priceSensitivity: 'high' } }),
        ],
      });
    expect(res.status).toBe(201);
    expect(res.body.imported).toBe(3);
    expect(
      res.body.items.map((p: { channelCode: string; version: number; source: string }) => [
        p.channelCode,
        p.version,
        p.source,
      ]),
    ).toEqual([
      [codeOf('p-batch-a'), 1, 'external'],
      [codeOf('p-batch-b'), 1, 'external'],
      [codeOf('p-batch-a'), 2, 'external'],
    ]);
    const latest = await api().get(`/channels/${codeOf('p-batch-a')}/profile`);
    expect(latest.body).toMatchObject({ version: 2, traits: { audience: { priceSensitivity: 'high' } } });
    expect(
      await ctx.db.auditLog.count({ where: { action: 'channel_profile.import', actor: 'partner-feed' } }),
    ).toBe(1);
  });

  it('writes nothing when any item is invalid, and names every bad item and field', async () => {
    const before = await profileCount(codeOf('p-batch-b'));
    const res = await api()
      .post('/channel-profiles/import')
      .send({
        items: [
          item('p-batch-b'),
          item('no-such-channel'),
          { ...item('p-batch-b'), asOf: 'yesterday' },
          item('p-batch-b', '2026-01-31T00:00:00Z', { audience: { ageBands: { '18-24': -0.5 } } }),
          { ...item('p-batch-b'), source: 'internal' },
          { traits: {} },
        ],
      });
    expect(res.status).toBe(400);
    expect(res.body.title).toBe('Import refused: nothing was written');
    expect(fields(res.body)).toEqual([
      'items.1.channelCode',
      'items.2.asOf',
      'items.3.traits.audience.ageBands.18-24',
      'items.4.source',
      'items.5.channelCode',
      'items.5.asOf',
    ]);
    expect(await profileCount(codeOf('p-batch-b'))).toBe(before);
  });

  it('refuses an empty import and one over 500 items', async () => {
    const empty = await api().post('/channel-profiles/import').send({ items: [] });
    expect(fields(empty.body)).toEqual(['items']);
    const tooMany = await api()
      .post('/channel-profiles/import')
      .send({ items: Array.from({ length: 501 }, () => item('p-batch-b')) });
    expect(tooMany.status).toBe(400);
    expect(fields(tooMany.body)).toEqual(['items']);
  });

  it('imports 500 items in one request', async () => {
    const before = await profileCount(codeOf('p-batch-b'));
    const res = await api()
      .post('/channel-profiles/import')
      .send({ items: Array.from({ length: 500 }, () => item('p-batch-b')) });
    expect(res.status).toBe(201);
    expect(await profileCount(codeOf('p-batch-b'))).toBe(before + 500);
    const history = await api()
      .get(`/channels/${codeOf('p-batch-b')}/profiles`)
      .query({ limit: 1 });
    expect(history.body.items[0].version).toBe(before + 500);
  });
});
