// Pacing through the real workflows (Temporal + PostgreSQL + the channel simulator): fixed per-channel
// caps close one channel and keep the other; an adaptive campaign moves budget toward the channel whose
// registrations activate early and cheaply, at a review, and records why; freeze stops the changes and
// unfreeze resumes them; and under concurrent batches and a worker restart, no channel passes its cap
// and the campaign never passes its budget.
import request from 'supertest';
import { createTestContext, eventually, type TestContext } from '../../support/context';
import { campaignRequest, seedChannels, seedMaterial, uniq } from '../../support/fixtures';
import { maybeRecordHistory } from '../../support/record-history';
import { campaignWorkflowId } from '../../../workflows/ids';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.stop());

const handle = (id: string) => ctx.temporal.client.workflow.getHandle(campaignWorkflowId(id));
const stateOf = async (id: string) => (await request(ctx.app).get(`/campaigns/${id}`)).body.workflow?.state;
const pacingOf = async (id: string) => (await request(ctx.app).get(`/campaigns/${id}/pacing?limit=200`)).body;

const window = (seconds: number) => {
  const now = Date.now();
  return { start: new Date(now - 1000).toISOString(), end: new Date(now + seconds * 1000).toISOString() };
};

async function launch(plan: (codes: string[]) => Record<string, unknown>) {
  const channels = await seedChannels(ctx.db, 2, { feeMinor: 0 });
  const codes = channels.map((c) => c.code);
  const { material } = await seedMaterial(ctx.db);
  const body = campaignRequest(codes, material.id, {
    incentive: { perRegistrationMinor: 500, perActivationMinor: 0 },
    ...plan(codes),
  });
  const res = await request(ctx.app).post('/campaigns').set('X-Actor', 'marketer').send(body);
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  await eventually(async () => (await stateOf(id))?.phase === 'acquiring');
  return { id, codes, channelIds: channels.map((c) => c.id) };
}

async function register(id: string, channelCode: string, count: number) {
  const prefix = uniq('c');
  const items = Array.from({ length: count }, (_, i) => ({
    customerRef: `${prefix}-${i}`,
    channelCode,
    registeredAt: new Date().toISOString(),
  }));
  const res = await request(ctx.app).post(`/campaigns/${id}/registrations`).send({ items });
  expect(res.status).toBe(200);
  return {
    refs: items.map((i) => i.customerRef),
    results: res.body.items as { status: string; errors?: { reason: string }[] }[],
  };
}

/** A qualifying transaction (the campaignRequest rule: one of at least 10,000) for each customer: activated. */
async function activate(id: string, refs: string[]) {
  const items = refs.map((customerRef) => ({
    eventId: uniq('ev'),
    customerRef,
    type: 'transaction',
    amountMinor: 20_000,
    currency: 'CNY',
    occurredAt: new Date().toISOString(),
  }));
  const res = await request(ctx.app).post(`/campaigns/${id}/events`).send({ items });
  expect(res.status).toBe(200);
}

async function spentByChannel(id: string) {
  const rows = await ctx.db.ledgerEntry.groupBy({
    by: ['channelId'],
    where: { campaignId: id, kind: 'cost', scope: 'acquisition' },
    _sum: { amountMinor: true },
  });
  return new Map(rows.map((r) => [r.channelId, r._sum.amountMinor ?? 0n]));
}

async function capsByChannel(id: string) {
  const rows = await ctx.db.campaignChannelPacing.findMany({ where: { campaignId: id } });
  return new Map(rows.map((r) => [r.channelId, r.capMinor]));
}

type Adjustment = {
  reviewIndex: number;
  channelCode: string;
  fromMinor: number;
  toMinor: number;
  reason: string;
  actor: string;
};

it('fixed caps: the channel whose cap is spent closes, the other goes on, acquisition stays open', async () => {
  const { id, codes } = await launch(([a, b]) => ({
    registrationWindow: window(30),
    acquisitionBudgetMinor: 50_000,
    pacing: { mode: 'fixed', channelCaps: { [a!]: 1_500, [b!]: 20_000 } },
  }));
  const first = await register(id, codes[0]!, 4);
  expect(first.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'rejected']);
  expect(first.results[3]!.errors![0]!.reason).toBe('channel_budget_exhausted');
  const second = await register(id, codes[1]!, 4);
  expect(second.results.every((r) => r.status === 'accepted')).toBe(true);
  const state = await stateOf(id);
  expect(state.acquisitionOpen).toBe(true);
  expect(state.pacing).toMatchObject({ mode: 'fixed', frozen: false, reviews: 0 });
  const pacing = await pacingOf(id);
  expect(
    pacing.channels.map((c: { channelCode: string; capMinor: number; spentMinor: number }) => [
      c.channelCode,
      c.capMinor,
      c.spentMinor,
    ]),
  ).toEqual([
    [codes[0], 1_500, 1_500],
    [codes[1], 20_000, 2_000],
  ]);
  // Freezing is for adaptive pacing only: refused by the workflow, and its audit entry removed again.
  const freeze = await request(ctx.app).post(`/campaigns/${id}/pacing/freeze`).set('X-Actor', 'ops').send({});
  expect(freeze.status).toBe(409);
  expect(freeze.body.reason).toBe('PacingNotAdaptive');
  expect(await ctx.db.auditLog.count({ where: { campaignId: id, action: 'campaign.freeze-pacing' } })).toBe(
    0,
  );
  await handle(id).terminate('test done');
});

it('adaptive: moves budget toward the channel with cheaper early activations, records why; freeze holds, unfreeze resumes', async () => {
  const { id, codes } = await launch(() => ({
    registrationWindow: window(60),
    acquisitionBudgetMinor: 100_000,
    pacing: { mode: 'adaptive', floorShare: 0.1, reviewEvery: 'PT5S', earlyActivationWithin: 'PT1S' },
  }));
  const pacing0 = await pacingOf(id);
  expect(pacing0.channels.map((c: { capMinor: number }) => c.capMinor)).toEqual([50_000, 50_000]);

  // Channel 0: 16 of 20 activate at once; channel 1: 1 of 20. Same cost per registration.
  const good = await register(id, codes[0]!, 20);
  const poor = await register(id, codes[1]!, 20);
  await activate(id, [...good.refs.slice(0, 16), poor.refs[0]!]);

  // A review (index > 0) that gives channel 0 a larger cap than channel 1: the caps now favour it.
  const moved = await eventually(async () => {
    const p = await pacingOf(id);
    const latest = Math.max(...p.adjustments.items.map((a: Adjustment) => a.reviewIndex));
    const facts = p.adjustments.items.filter((a: Adjustment) => a.reviewIndex === latest);
    const of = (code: string) => facts.find((a: Adjustment) => a.channelCode === code) as Adjustment;
    return latest > 0 && of(codes[0]!).toMinor > of(codes[1]!).toMinor
      ? { p, review: of(codes[0]!), other: of(codes[1]!) }
      : null;
  }, 50_000);
  expect(moved.review.actor).toBe('pacing');
  expect(moved.review.reason).not.toBe('');
  expect(moved.review.toMinor).toBeGreaterThan(50_000);
  const caps = new Map(
    moved.p.channels.map((c: { channelCode: string; capMinor: number }) => [c.channelCode, c.capMinor]),
  );
  expect(caps.get(codes[0]!)).toBe(moved.review.toMinor);
  // The caps still sum to the whole budget, and the review is in the audit log as the system's.
  const ofReview = moved.p.adjustments.items.filter(
    (a: Adjustment) => a.reviewIndex === moved.review.reviewIndex,
  );
  expect(ofReview.reduce((s: number, a: Adjustment) => s + a.toMinor, 0)).toBe(100_000);
  const audit = await ctx.db.auditLog.findUnique({
    where: { id: `pacing-review:${id}:${moved.review.reviewIndex}` },
  });
  expect(audit).toMatchObject({ actor: 'pacing', action: 'pacing.review' });

  // Freeze: the next review records "frozen: no change".
  const frozen = await request(ctx.app)
    .post(`/campaigns/${id}/pacing/freeze`)
    .set('X-Actor', 'ops')
    .set('Idempotency-Key', uniq('freeze'))
    .send({ reason: 'channel audit' });
  expect(frozen.status).toBe(200);
  expect(frozen.body.state.pacing).toMatchObject({
    frozen: true,
    frozenBy: { by: 'ops', reason: 'channel audit' },
  });
  const again = await request(ctx.app).post(`/campaigns/${id}/pacing/freeze`).set('X-Actor', 'ops').send({});
  expect(again.status).toBe(409);
  expect(again.body.reason).toBe('PacingAlreadyInState');
  expect((await pacingOf(id)).frozen).toBe(true);
  const frozenAt = (await stateOf(id)).pacing.reviews as number;
  await activate(id, good.refs.slice(16)); // more evidence for channel 0: only a frozen review keeps the caps
  const frozenReview = await eventually(async () => {
    const s = await stateOf(id);
    return s.pacing.reviews > frozenAt ? s.pacing.lastReview : null;
  }, 20_000);
  expect(frozenReview.outcome).toBe('frozen');
  const frozenFacts = (await pacingOf(id)).adjustments.items.filter(
    (a: Adjustment) => a.reviewIndex === frozenReview.reviewIndex,
  );
  expect(frozenFacts).toHaveLength(2);
  for (const f of frozenFacts) {
    expect(f.toMinor).toBe(f.fromMinor);
    expect(f.reason).toMatch(/^frozen: no change/);
  }

  // Unfreeze: the following review is the policy's again.
  const unfrozen = await request(ctx.app)
    .post(`/campaigns/${id}/pacing/unfreeze`)
    .set('X-Actor', 'ops')
    .send({});
  expect(unfrozen.status).toBe(200);
  expect((await pacingOf(id)).frozen).toBe(false);
  const resumedAt = (await stateOf(id)).pacing.reviews as number;
  const resumed = await eventually(async () => {
    const s = await stateOf(id);
    return s.pacing.reviews > resumedAt ? s.pacing.lastReview : null;
  }, 20_000);
  expect(['changed', 'unchanged']).toContain(resumed.outcome);
  expect(resumed.method).not.toBe('frozen');

  // The timeline shows the reviews as steps and their facts as actions.
  const timeline = (await request(ctx.app).get(`/campaigns/${id}/timeline`)).body;
  expect(timeline.steps.some((s: { kind: string }) => s.kind === 'pacing_review')).toBe(true);
  expect(timeline.actions.some((a: { action: string }) => a.action === 'pacing.review')).toBe(true);

  const result = await handle(id).result();
  expect(result.phase).toBe('completed');
  await maybeRecordHistory(ctx.temporal.client, campaignWorkflowId(id), 'campaign-adaptive-pacing');
}, 180_000);

it('never lets a channel pass its cap nor the campaign its budget, under parallel batches and a worker restart', async () => {
  const { id, codes, channelIds } = await launch(() => ({
    registrationWindow: window(25),
    acquisitionBudgetMinor: 30_000,
    pacing: { mode: 'adaptive', floorShare: 0.2, reviewEvery: 'PT3S', earlyActivationWithin: 'PT1S' },
  }));
  // 500 per registration: 60 registrations spend the budget; each channel starts capped at 30.
  const batch = (code: string) => register(id, code, 10);
  const first = await Promise.all([batch(codes[0]!), batch(codes[1]!), batch(codes[0]!)]);
  await activate(id, [...first[0]!.refs, ...first[2]!.refs.slice(0, 5)]);
  // Worker down: the reviews wait, ingest goes on under the caps as they stand. A review may already
  // have moved the caps before the worker stopped (it runs every 3 s, with or without evidence yet), so
  // the expected count is read from the caps the worker left, not assumed from the starting split.
  await ctx.stopWorker();
  const capsWhileDown = await capsByChannel(id);
  const spentWhileDown = await spentByChannel(id);
  const roomFor = (channelId: string, requested: number) =>
    Math.min(
      requested,
      Number((capsWhileDown.get(channelId)! - (spentWhileDown.get(channelId) ?? 0n)) / 500n),
    );
  const second = await Promise.all([batch(codes[0]!), batch(codes[1]!), batch(codes[0]!)]);
  expect(await capsByChannel(id)).toEqual(capsWhileDown); // no review without a worker
  await ctx.startWorker();
  // The first query after the restart can miss the API's deadline while the new worker replays the
  // workflow (the campaign view then has no state): wait for an answer before reading it.
  const { reviews: before } = await eventually(
    async () => (await stateOf(id))?.pacing as { reviews: number },
  );
  await eventually(async () => (await stateOf(id))?.pacing.reviews > before, 30_000);
  const third = await Promise.all([batch(codes[0]!), batch(codes[1]!), batch(codes[0]!), batch(codes[1]!)]);
  const reasons = [...first, ...second, ...third].flatMap((b) =>
    b.results.flatMap((r) => r.errors?.map((e) => e.reason) ?? []),
  );
  expect(reasons).toContain('channel_budget_exhausted');
  expect(second.flatMap((b) => b.results).filter((r) => r.status === 'accepted')).toHaveLength(
    roomFor(channelIds[0]!, 20) + roomFor(channelIds[1]!, 10),
  );
  const spent = await spentByChannel(id);
  const total = [...spent.values()].reduce((a, b) => a + b, 0n);
  expect(total <= 30_000n).toBe(true);
  const caps = await ctx.db.campaignChannelPacing.findMany({ where: { campaignId: id } });
  for (const cap of caps) expect((spent.get(cap.channelId) ?? 0n) <= cap.capMinor).toBe(true);
  expect(caps.reduce((s, c) => s + c.capMinor, 0n)).toBe(30_000n);
  // Every review's caps sum to the budget, and none was set below what its channel had spent.
  const facts = await ctx.db.pacingAdjustment.findMany({ where: { campaignId: id, reviewIndex: { gt: 0 } } });
  const byReview = new Map<number, bigint>();
  for (const f of facts) byReview.set(f.reviewIndex, (byReview.get(f.reviewIndex) ?? 0n) + f.toMinor);
  expect([...byReview.values()].every((sum) => sum === 30_000n)).toBe(true);
  expect(new Set(facts.map((f) => f.channelId))).toEqual(new Set(channelIds));
  await handle(id).terminate('test done');
}, 120_000);
