// POST /campaigns/validate against the real API, PostgreSQL and Temporal: a draft is checked exactly as
// creation checks it and nothing is written or started. The variant each channel will get comes with
// the targeting explanation (人货场); an unapproved version is a warning; an invalid draft gets the very
// field errors creation would give.
import request from 'supertest';
import { CampaignDryRunSchema } from '../../../api/campaigns/dry-run';
import { createTestContext, eventually, type TestContext } from '../../support/context';
import { campaignRequest, seedChannels, uniq } from '../../support/fixtures';
import { content } from '../registry/fixtures';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.stop();
});

const api = () => request(ctx.app);
const marketer = { 'X-Actor': 'marketer-li', 'X-Role': 'marketer' };
const priceSensitive = { trait: 'audience.priceSensitivity', op: 'gte', value: 'medium' };

/** A material with a targeted "discount" variant and a default, both approved by a second person. */
async function approvedMaterial() {
  const created = await api()
    .post('/materials')
    .set({ 'X-Actor': 'author-wu' })
    .send({
      name: uniq('material'),
      variants: [
        { key: 'discount', priority: 10, rule: priceSensitive, content: content('首单立减 ¥50') },
        { key: 'default', content: content('三分钟开户') },
      ],
    });
  expect(created.status).toBe(201);
  for (const variant of created.body.variants as { versions: { id: string }[] }[]) {
    const approved = await api()
      .post(`/materials/${created.body.id}/versions/${variant.versions[0]!.id}/approve`)
      .set({ 'X-Actor': 'compliance-zhao' })
      .send({});
    expect(approved.status).toBe(200);
  }
  return created.body as { id: string; variants: { key: string; versions: { id: string }[] }[] };
}

async function counts() {
  const [campaigns, allocations, planVersions, audit, idempotency] = await Promise.all([
    ctx.db.campaign.count(),
    ctx.db.campaignChannel.count(),
    ctx.db.campaignPlanVersion.count(),
    ctx.db.auditLog.count(),
    ctx.db.idempotencyRecord.count(),
  ]);
  return { campaigns, allocations, planVersions, audit, idempotency };
}

async function workflowsOnTaskQueue(): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of ctx.temporal.client.workflow.list({
    query: `TaskQueue = '${ctx.temporal.taskQueue}'`,
  })) {
    ids.push(wf.workflowId);
  }
  return ids;
}

describe('POST /campaigns/validate', () => {
  it('plans every channel with the variant it will get and why, and creates nothing', async () => {
    const [priceChannel, plainChannel] = await seedChannels(ctx.db, 2);
    const profiled = await api()
      .post(`/channels/${priceChannel!.code}/profiles`)
      .set(marketer)
      .send({
        source: 'external',
        asOf: new Date().toISOString(),
        traits: { audience: { priceSensitivity: 'high' } },
      });
    expect(profiled.status).toBe(201);
    const material = await approvedMaterial();
    const draft = campaignRequest([priceChannel!.code, plainChannel!.code], material.id, {
      cohortGranularity: 'PT30S',
    });

    const before = await counts();
    const res = await api().post('/campaigns/validate').set(marketer).send(draft);
    expect(res.status).toBe(200);
    const dryRun = CampaignDryRunSchema.parse(res.body);
    expect(await counts()).toEqual(before);

    expect(dryRun).toMatchObject({
      valid: true,
      name: draft.name,
      material: { id: material.id },
      warnings: [],
    });
    // The defaults creation would store are filled in.
    expect(dryRun.plan).toMatchObject({
      currency: 'CNY',
      timeZone: 'Asia/Shanghai',
      publishing: { policy: 'best-effort' },
    });
    const [first, second] = dryRun.channels;
    expect(first).toMatchObject({
      channelCode: priceChannel!.code,
      variantKey: 'discount',
      materialVersion: {
        id: material.variants[0]!.versions[0]!.id,
        version: 1,
        title: '首单立减 ¥50',
        approved: true,
      },
      explanation: { reason: 'matched', profileVersion: 1 },
    });
    expect(first!.explanation.matched!.evidence).toEqual([
      { trait: 'audience.priceSensitivity', op: 'gte', expected: 'medium', actual: 'high', result: true },
    ]);
    expect(first!.considered.map((c) => [c.key, c.outcome])).toEqual([
      ['discount', 'chosen_by_rule'],
      ['default', 'default_not_needed'],
    ]);
    expect(second).toMatchObject({
      channelCode: plainChannel!.code,
      variantKey: 'default',
      explanation: { reason: 'no_profile', profileVersion: null },
    });
    // A one-minute window cut into 30-second cohorts (the window starts a second before "now").
    expect(dryRun.cohorts.count).toBeGreaterThanOrEqual(2);

    // Creating the same draft plans the same allocations; only then is there a workflow on the queue —
    // the positive signal that the listing works, so its showing nothing else means the dry run started none.
    const created = await api()
      .post('/campaigns')
      .set(marketer)
      .set('Idempotency-Key', uniq('launch'))
      .send(draft);
    expect(created.status).toBe(201);
    expect(
      created.body.channels.map(
        (c: { channelCode: string; variantKey: string; materialVersionId: string }) => [
          c.channelCode,
          c.variantKey,
          c.materialVersionId,
        ],
      ),
    ).toEqual(dryRun.channels.map((c) => [c.channelCode, c.variantKey, c.materialVersion.id]));
    const listed = await eventually(async () => {
      const ids = await workflowsOnTaskQueue();
      return ids.includes(created.body.workflowId) ? ids : null;
    });
    expect(listed.filter((id) => id.startsWith('campaign-'))).toEqual([created.body.workflowId]);
    await api().post(`/campaigns/${created.body.id}/cancel`).set(marketer).send({ reason: 'test over' });
  });

  it('warns, without refusing, when a channel would get a version nobody has approved', async () => {
    const [channel] = await seedChannels(ctx.db, 1);
    const created = await api()
      .post('/materials')
      .set({ 'X-Actor': 'author-wu' })
      .send({ name: uniq('material'), variants: [{ key: 'default', content: content('待审批') }] });
    const res = await api()
      .post('/campaigns/validate')
      .set(marketer)
      .send(campaignRequest([channel!.code], created.body.id));
    expect(res.status).toBe(200);
    expect(res.body.channels[0].materialVersion.approved).toBe(false);
    expect(res.body.warnings).toEqual([
      expect.objectContaining({ field: 'channels.0', code: 'material_version_not_approved' }),
    ]);
  });

  it('refuses an invalid draft with the field errors creation gives, and writes nothing either way', async () => {
    const [channel, quiet] = await seedChannels(ctx.db, 2);
    await ctx.db.channel.update({ where: { id: quiet!.id }, data: { canDeliverMessages: false } });
    const material = await approvedMaterial();
    const step = (over: Record<string, unknown>) => ({
      id: 'welcome',
      offset: 'PT1M',
      kind: 'education',
      materialVersionId: material.variants[1]!.versions[0]!.id,
      channelCode: channel!.code,
      audience: 'not_activated',
      costPerMessageMinor: 10,
      ...over,
    });
    // (A window cut into too many cohorts is a schema error, refused before these checks run:
    // test/integration/campaign/create-validation.test.ts.)
    const draft = campaignRequest([channel!.code, 'no-such-channel', channel!.code], material.id, {
      cohortGranularity: 'P1D',
      registrationWindow: { start: '2026-01-01T00:00:00Z', end: '2026-03-01T00:00:00Z' },
      engagementPlan: {
        steps: [
          step({ channelCode: quiet!.code }),
          step({ id: 'day-2', offset: 'P2D', channelCode: 'nowhere', materialVersionId: 'no-such-version' }),
        ],
      },
    });

    const before = await counts();
    const dry = await api().post('/campaigns/validate').set(marketer).send(draft);
    const real = await api()
      .post('/campaigns')
      .set(marketer)
      .set('Idempotency-Key', uniq('launch'))
      .send(draft);
    expect(await counts()).toEqual(before);
    expect(dry.status).toBe(400);
    expect(dry.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(real.status).toBe(400);
    expect(dry.body.errors).toEqual(real.body.errors);
    expect(dry.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      [
        'channels.1',
        'channels.2',
        'plan.engagementPlan.steps.0.channelCode',
        'plan.engagementPlan.steps.1.channelCode',
        'plan.engagementPlan.steps.1.materialVersionId',
      ].sort(),
    );
    expect(dry.body.errors).toContainEqual({
      field: 'plan.engagementPlan.steps.0.channelCode',
      message: `channel "${quiet!.code}" cannot deliver messages`,
    });

    // Schema errors come from the same zod schema: same fields, same messages.
    const broken = { ...draft, name: '', plan: { ...draft.plan, controlGroupShare: 0.9 } };
    const dryBroken = await api().post('/campaigns/validate').set(marketer).send(broken);
    const realBroken = await api().post('/campaigns').set(marketer).send(broken);
    expect(dryBroken.status).toBe(400);
    expect(dryBroken.body.errors).toEqual(realBroken.body.errors);
    expect(dryBroken.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['name', 'plan.controlGroupShare']),
    );
  });

  it('is for the roles that may create campaigns', async () => {
    const res = await api()
      .post('/campaigns/validate')
      .set({ 'X-Actor': 'ops-wang', 'X-Role': 'ops' })
      .send({});
    expect(res.status).toBe(403);
  });
});
