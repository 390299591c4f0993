// Creating a campaign refuses, at the door and with the field named, every plan that used to be
// accepted and then silently weakened or broken (issue 14): a misspelt field, a reference to a channel
// or material version that does not exist, and a plan needing more cohorts than a campaign may run.
// Nothing is stored for a refused request.
import request from 'supertest';
import { createTestContext, type TestContext } from '../../support/context';
import { campaignRequest, seedChannels, seedMaterial } from '../../support/fixtures';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
});
afterAll(async () => ctx.stop());

async function setup() {
  const channels = await seedChannels(ctx.db, 1);
  const { material, version } = await seedMaterial(ctx.db);
  return { codes: channels.map((c) => c.code), materialId: material.id, versionId: version.id };
}

async function refused(body: object) {
  const before = await ctx.db.campaign.count();
  const res = await request(ctx.app).post('/campaigns').set('X-Actor', 'marketer').send(body);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(await ctx.db.campaign.count()).toBe(before);
  return res;
}

it('a misspelt plan field is a 400 naming it, not a campaign without a budget cap', async () => {
  const { codes, materialId } = await setup();
  const res = await refused(campaignRequest(codes, materialId, { acquisitionBudgetMinr: 100 }));
  expect(res.status).toBe(400);
  expect(res.body.errors).toEqual([expect.objectContaining({ field: 'plan.acquisitionBudgetMinr' })]);
});

it('an invalid cohortGranularity or verifyEvery is a 400 naming the field', async () => {
  const { codes, materialId } = await setup();
  for (const bad of ['P1Y', '', '-P1D', 'PT0.5S']) {
    const a = await refused(campaignRequest(codes, materialId, { cohortGranularity: bad }));
    expect(a.status).toBe(400);
    expect(a.body.errors.map((e: { field: string }) => e.field)).toEqual(['plan.cohortGranularity']);
    const b = await refused(campaignRequest(codes, materialId, { publishing: { verifyEvery: bad } }));
    expect(b.status).toBe(400);
    expect(b.body.errors.map((e: { field: string }) => e.field)).toEqual(['plan.publishing.verifyEvery']);
  }
});
