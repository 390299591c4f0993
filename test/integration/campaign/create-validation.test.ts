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

it('an engagement step naming a channel or a material version that does not exist is refused by field', async () => {
  const { codes, materialId, versionId } = await setup();
  const step = {
    id: 'welcome',
    offset: 'PT1S',
    kind: 'education',
    materialVersionId: versionId,
    channelCode: codes[0],
    audience: 'treatment_all',
    costPerMessageMinor: 1,
  };
  const res = await refused(
    campaignRequest(codes, materialId, {
      engagementPlan: {
        steps: [
          { ...step, channelCode: 'no-such-channel' },
          { ...step, id: 'second', materialVersionId: 'no-such-version' },
        ],
      },
    }),
  );
  expect(res.status).toBe(400);
  expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
    'plan.engagementPlan.steps.0.channelCode',
    'plan.engagementPlan.steps.1.materialVersionId',
  ]);
});

it('a plan needing more than 10,000 cohorts is refused at creation, not left failing in its workflow', async () => {
  const { codes, materialId } = await setup();
  const fiveHours = { start: '2026-12-01T00:00:00Z', end: '2026-12-01T05:00:00Z' };
  const res = await refused(
    campaignRequest(codes, materialId, { registrationWindow: fiveHours, cohortGranularity: 'PT1S' }),
  );
  expect(res.status).toBe(400);
  expect(res.body.errors).toEqual([
    expect.objectContaining({ field: 'plan.cohortGranularity', message: expect.stringContaining('10000') }),
  ]);
  const longAgo = await refused(
    campaignRequest(codes, materialId, {
      registrationWindow: { start: '0001-01-01T00:00:00Z', end: '9999-01-01T00:00:00Z' },
    }),
  );
  expect(longAgo.status).toBe(400);
});
