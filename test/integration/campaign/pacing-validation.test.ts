// plan.pacing is refused at the door, with the field named, by POST /campaigns and POST /campaigns/validate
// alike (campaign-plan-check.ts): caps for channels the campaign does not have, caps above the budget,
// adaptive pacing without a budget, floors that do not fit, an unbounded review interval. A valid plan
// stores its initial caps (review 0) as facts; a plan without pacing stores none.
import request from 'supertest';
import { createTestContext, type TestContext } from '../../support/context';
import { campaignRequest, seedChannels, seedMaterial } from '../../support/fixtures';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
});
afterAll(async () => ctx.stop());

async function setup() {
  const channels = await seedChannels(ctx.db, 2);
  const { material } = await seedMaterial(ctx.db);
  return { codes: channels.map((c) => c.code), materialId: material.id };
}

/** Both routes refuse the same body with the same fields; nothing is stored. */
async function refusedFields(body: object): Promise<string[]> {
  const before = await ctx.db.campaign.count();
  const dry = await request(ctx.app).post('/campaigns/validate').set('X-Actor', 'marketer').send(body);
  const create = await request(ctx.app).post('/campaigns').set('X-Actor', 'marketer').send(body);
  expect([dry.status, create.status]).toEqual([400, 400]);
  expect(create.headers['content-type']).toMatch(/application\/problem\+json/);
  const fields = (res: request.Response) => res.body.errors.map((e: { field: string }) => e.field).sort();
  expect(fields(dry)).toEqual(fields(create));
  expect(await ctx.db.campaign.count()).toBe(before);
  return fields(create);
}

it('refuses caps for a channel the campaign does not have, and caps above the budget', async () => {
  const { codes, materialId } = await setup();
  const fields = await refusedFields(
    campaignRequest(codes, materialId, {
      acquisitionBudgetMinor: 1_000,
      pacing: { mode: 'fixed', channelCaps: { [codes[0]!]: 800, 'not-a-channel': 300 } },
    }),
  );
  expect(fields).toEqual(['plan.pacing.channelCaps', 'plan.pacing.channelCaps.not-a-channel']);
});

it('refuses adaptive pacing without a budget, floors that do not fit and too many reviews', async () => {
  const { codes, materialId } = await setup();
  expect(
    await refusedFields(
      campaignRequest(codes, materialId, {
        pacing: { mode: 'adaptive', floorShare: 0.6, reviewEvery: 'PT1S' },
      }),
    ),
  ).toEqual(['plan.acquisitionBudgetMinor', 'plan.pacing.floorShare']);
  // The window is 61 s: PT1S would be 61 reviews (allowed); an hour-long window at PT1S is not.
  const long = campaignRequest(codes, materialId, {
    acquisitionBudgetMinor: 1_000,
    cohortGranularity: 'PT10M',
    pacing: { mode: 'adaptive', reviewEvery: 'PT1S' },
  });
  long.plan.registrationWindow.end = new Date(Date.now() + 3_600_000).toISOString();
  expect(await refusedFields(long)).toEqual(['plan.pacing.reviewEvery']);
});

it('refuses a misspelt pacing field, an unknown mode, a negative cap and adaptive-only fields in fixed mode', async () => {
  const { codes, materialId } = await setup();
  expect(
    await refusedFields(
      campaignRequest(codes, materialId, {
        pacing: { mode: 'steady', channelCap: {}, channelCaps: { [codes[0]!]: -1 }, reviewEvery: 'P1Y' },
      }),
    ),
  ).toEqual([
    `plan.pacing.channelCap`,
    `plan.pacing.channelCaps.${codes[0]}`,
    'plan.pacing.mode',
    'plan.pacing.reviewEvery',
  ]);
  expect(
    await refusedFields(campaignRequest(codes, materialId, { pacing: { mode: 'fixed', floorShare: 0.1 } })),
  ).toEqual(['plan.pacing.floorShare']);
});

it('stores the initial caps as review 0; adaptive splits the uncapped budget over the other channels', async () => {
  const { codes, materialId } = await setup();
  const res = await request(ctx.app)
    .post('/campaigns')
    .set('X-Actor', 'marketer')
    .send(
      campaignRequest(codes, materialId, {
        acquisitionBudgetMinor: 10_001,
        pacing: { mode: 'adaptive', channelCaps: { [codes[0]!]: 4_000 }, floorShare: 0.1 },
      }),
    );
  expect([201, 202]).toContain(res.status);
  const campaignId = res.body.id as string;
  const channels = await ctx.db.channel.findMany({ where: { code: { in: codes } } });
  const idOf = new Map(channels.map((c) => [c.code, c.id]));
  const caps = await ctx.db.campaignChannelPacing.findMany({ where: { campaignId } });
  expect(new Map(caps.map((c) => [c.channelId, c.capMinor]))).toEqual(
    new Map([
      [idOf.get(codes[0]!), 4_000n],
      [idOf.get(codes[1]!), 6_001n],
    ]),
  );
  const facts = await ctx.db.pacingAdjustment.findMany({ where: { campaignId } });
  expect(facts.map((f) => [f.reviewIndex, f.fromMinor, f.actor])).toEqual([
    [0, 0n, 'marketer'],
    [0, 0n, 'marketer'],
  ]);

  const plain = await request(ctx.app)
    .post('/campaigns')
    .set('X-Actor', 'marketer')
    .send(campaignRequest(codes, materialId));
  expect(plain.body.plan.pacing).toBeUndefined();
  expect(await ctx.db.campaignChannelPacing.count({ where: { campaignId: plain.body.id } })).toBe(0);
});
