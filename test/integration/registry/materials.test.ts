// Materials over HTTP against a real PostgreSQL: variants with targeting rules, immutable versions
// with their content hash, and the four-eyes compliance approval.
import request from 'supertest';
import { contentHash } from '../../../domain/material-content';
import { createTestContext, type TestContext } from '../../support/context';
import { content, runId } from './fixtures';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
});
afterAll(async () => {
  await ctx.stop();
});

const api = () => request(ctx.app);
const fields = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

const priceSensitive = { trait: 'audience.priceSensitivity', op: 'gte', value: 'medium' };
const foodLovers = { trait: 'audience.interests', op: 'contains', value: 'food' };

async function createMaterial(name: string, author = 'alice') {
  const res = await api()
    .post('/materials')
    .set('X-Actor', author)
    .send({
      name,
      variants: [
        { key: 'discount', priority: 10, rule: priceSensitive, content: content('First order 50% off') },
        { key: 'food', rule: foodLovers, content: content('Local must-eat list', { styleTags: ['food'] }) },
        { key: 'default', content: content('Open an account') },
      ],
    });
  expect(res.status).toBe(201);
  return res.body;
}

describe('POST /materials', () => {
  it('creates the material, its variants and version 1 of each, hashed and authored by the actor', async () => {
    const material = await createMaterial(`spring-${runId}`);
    expect(material).toMatchObject({ name: `spring-${runId}`, createdBy: 'alice' });
    expect(material.variants.map((v: { key: string }) => v.key)).toEqual(['discount', 'food', 'default']);
    const discount = material.variants[0];
    expect(discount).toMatchObject({
      priority: 10,
      rule: priceSensitive,
      latestVersion: 1,
      latestApprovedVersion: null,
    });
    expect(discount.versions).toHaveLength(1);
    expect(discount.versions[0]).toMatchObject({
      version: 1,
      variantKey: 'discount',
      author: 'alice',
      approval: 'pending',
      approvedBy: null,
      content: content('First order 50% off'),
      contentHash: contentHash(content('First order 50% off')),
    });
    expect(material.variants[2]).toMatchObject({ key: 'default', priority: 0, rule: null });

    const read = await api().get(`/materials/${material.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(material);
    const audit = await ctx.db.auditLog.findMany({ where: { action: 'material.create' } });
    expect(audit.some((a) => (a.payload as { materialId: string }).materialId === material.id)).toBe(true);
  });

  it.each([
    ['no variants', { variants: [] }, ['variants']],
    ['an empty name', { name: '' }, ['name']],
    [
      'a variant key that is not a slug',
      { variants: [{ key: 'Big Sale', content: content('x') }] },
      ['variants.0.key'],
    ],
    [
      'duplicate variant keys',
      {
        variants: [
          { key: 'a', content: content('x') },
          { key: 'a', rule: foodLovers, content: content('y') },
        ],
      },
      ['variants.1.key'],
    ],
    [
      'two default variants',
      {
        variants: [
          { key: 'a', content: content('x') },
          { key: 'b', content: content('y') },
        ],
      },
      ['variants.1.rule'],
    ],
    [
      'a rule on an unknown trait',
      {
        variants: [
          { key: 'a', rule: { trait: 'audience.income', op: 'gte', value: 1 }, content: content('x') },
        ],
      },
      ['variants.0.rule.trait'],
    ],
    [
      'content with an unknown field and a bad link',
      {
        variants: [{ key: 'a', content: { ...content('x'), linkUrl: 'javascript:alert(1)', colour: 'red' } }],
      },
      ['variants.0.content.colour', 'variants.0.content.linkUrl'],
    ],
  ])('refuses %s with 400 naming the field, and writes nothing', async (_label, overrides, expected) => {
    const name = `invalid-${runId}-${expected.join()}`;
    const res = await api()
      .post('/materials')
      .send({ name, variants: [{ key: 'a', content: content('x') }], ...overrides });
    expect(res.status).toBe(400);
    expect(fields(res.body).sort()).toEqual([...expected].sort());
    expect(await ctx.db.material.count({ where: { name } })).toBe(0);
  });

  it('lists materials newest first with a cursor, each once', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push((await createMaterial(`list-${runId}-${n}`)).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await api()
        .get('/materials')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((m: { id: string }) => m.id));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].reverse());
    const first = await api().get('/materials').query({ limit: 1 });
    expect(first.body.items[0].variants[0]).toEqual({
      key: 'discount',
      priority: 10,
      isDefault: false,
      latestVersion: 1,
      latestApprovedVersion: null,
    });
  });

  it('answers 404 for an unknown material and 400 for an id that is not a UUID', async () => {
    expect((await api().get('/materials/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const bad = await api().get('/materials/nope');
    expect(fields(bad.body)).toEqual(['params.id']);
  });
});

describe('variants and versions', () => {
  it('adds a variant with its first version; refuses a duplicate key and a second default with 409', async () => {
    const material = await createMaterial(`variants-${runId}`);
    const added = await api()
      .post(`/materials/${material.id}/variants`)
      .set('X-Actor', 'dave')
      .send({
        key: 'young',
        rule: { trait: 'audience.ageBands.18-24', op: 'gte', value: 0.3 },
        content: content('Hi'),
      });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      key: 'young',
      latestVersion: 1,
      versions: [{ version: 1, author: 'dave' }],
    });

    const duplicate = await api()
      .post(`/materials/${material.id}/variants`)
      .send({ key: 'food', rule: foodLovers, content: content('Again') });
    expect(duplicate.status).toBe(409);
    const secondDefault = await api()
      .post(`/materials/${material.id}/variants`)
      .send({ key: 'plain', content: content('x') });
    expect(secondDefault.status).toBe(409);
    expect(secondDefault.body.detail).toMatch(/default/);
    expect(await ctx.db.materialVariant.count({ where: { materialId: material.id } })).toBe(4);

    const unknown = await api()
      .post('/materials/00000000-0000-4000-8000-000000000000/variants')
      .send({ key: 'x', rule: foodLovers, content: content('x') });
    expect(unknown.status).toBe(404);
  });

  it('appends immutable versions with their hash; unchanged content is refused with 409', async () => {
    const material = await createMaterial(`versions-${runId}`);
    const v1 = material.variants[0].versions[0];
    const changed = content('First order 60% off');

    const v2 = await api()
      .post(`/materials/${material.id}/variants/discount/versions`)
      .set('X-Actor', 'erin')
      .send({ content: changed });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({
      version: 2,
      author: 'erin',
      approval: 'pending',
      contentHash: contentHash(changed),
    });
    expect(v2.body.contentHash).not.toBe(v1.contentHash);

    // Same content with the keys in another order: same canonical hash, so nothing changed.
    const reordered = Object.fromEntries(Object.entries(changed).reverse());
    const same = await api()
      .post(`/materials/${material.id}/variants/discount/versions`)
      .send({ content: reordered });
    expect(same.status).toBe(409);
    expect(same.body.detail).toMatch(/nothing changed/);

    // Version 1 is untouched: versions are appended, never rewritten.
    const stored = await ctx.db.materialVersion.findUniqueOrThrow({ where: { id: v1.id } });
    expect(stored).toMatchObject({ version: 1, contentHash: v1.contentHash, content: v1.content });

    const read = await api().get(`/materials/${material.id}`);
    expect(read.body.variants[0].versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(read.body.variants[0].latestVersion).toBe(2);

    const invalid = await api()
      .post(`/materials/${material.id}/variants/discount/versions`)
      .send({ content: { ...changed, title: '' } });
    expect(fields(invalid.body)).toEqual(['content.title']);
    expect(
      (await api().post(`/materials/${material.id}/variants/nope/versions`).send({ content: changed }))
        .status,
    ).toBe(404);
    expect(await ctx.db.materialVersion.count({ where: { materialId: material.id } })).toBe(4);
  });

  it('numbers concurrent versions without duplicates', async () => {
    const material = await createMaterial(`concurrent-${runId}`);
    const replies = await Promise.all(
      [2, 3, 4, 5].map((n) =>
        api()
          .post(`/materials/${material.id}/variants/food/versions`)
          .send({ content: content(`Must-eat list #${n}`) }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(replies.map((r) => r.body.version).sort()).toEqual([2, 3, 4, 5]);
  });
});

describe('POST /materials/:id/versions/:versionId/approve', () => {
  it('refuses the author (403), records another approver once, refuses a third person (409)', async () => {
    const material = await createMaterial(`approval-${runId}`, 'alice');
    const version = material.variants[0].versions[0];
    const approve = (actor?: string) => {
      const req = api().post(`/materials/${material.id}/versions/${version.id}/approve`);
      return actor ? req.set('X-Actor', actor) : req;
    };

    const byAuthor = await approve('alice');
    expect(byAuthor.status).toBe(403);
    expect(byAuthor.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await approve()).status).toBe(403); // anonymous: nobody to hold accountable

    const byCompliance = await approve('compliance-officer');
    expect(byCompliance.status).toBe(200);
    expect(byCompliance.body).toMatchObject({
      id: version.id,
      approval: 'approved',
      approvedBy: 'compliance-officer',
    });
    const approvedAt = byCompliance.body.approvedAt;

    const again = await approve('compliance-officer');
    expect(again.status).toBe(200);
    expect(again.body.approvedAt).toBe(approvedAt);

    const other = await approve('someone-else');
    expect(other.status).toBe(409);
    expect(other.body.approvedBy).toBe('compliance-officer');

    const stored = await ctx.db.materialVersion.findUniqueOrThrow({ where: { id: version.id } });
    expect(stored).toMatchObject({
      approvedBy: 'compliance-officer',
      content: version.content,
      contentHash: version.contentHash,
    });
    expect(
      await ctx.db.auditLog.count({
        where: { action: 'material_version.approve', payload: { path: ['versionId'], equals: version.id } },
      }),
    ).toBe(1);
    const read = await api().get(`/materials/${material.id}`);
    expect(read.body.variants[0].latestApprovedVersion).toBe(1);
  });

  it('answers 404 for a version of another material', async () => {
    const a = await createMaterial(`approval-a-${runId}`);
    const b = await createMaterial(`approval-b-${runId}`);
    const res = await api()
      .post(`/materials/${a.id}/versions/${b.variants[0].versions[0].id}/approve`)
      .set('X-Actor', 'compliance-officer');
    expect(res.status).toBe(404);
  });
});
