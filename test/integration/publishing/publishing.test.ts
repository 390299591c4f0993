// Consistent publishing on real Temporal + PostgreSQL + the channel simulator over HTTP: one material
// version on every channel, proven by read-back; both failure policies; material change; drift;
// withdrawal at the end of the window; a worker restart mid-publish without duplicate placements.
import request from 'supertest';
import { createTestContext, eventually, type TestContext } from '../../support/context';
import {
  campaignRequest,
  sampleContent,
  seedChannels,
  seedMaterial,
  seedMaterialVersion,
  uniq,
} from '../../support/fixtures';
import { simulatorClient } from '../../support/simulator';
import { maybeRecordHistory } from '../../support/record-history';
import { campaignWorkflowId } from '../../../workflows/ids';
import { systemClock } from '../../../activities/deps';
import { createPublishingActivities } from '../../../activities/publishing';

let ctx: TestContext;
let sim: ReturnType<typeof simulatorClient>;

beforeAll(async () => {
  ctx = await createTestContext();
  sim = simulatorClient(ctx.simulatorUrl);
});
afterAll(async () => {
  await sim.clearFaults();
  await ctx.stop();
});

async function launch(channelCodes: string[], materialId: string, plan: Record<string, unknown> = {}) {
  const res = await request(ctx.app)
    .post('/campaigns')
    .set('X-Actor', 'marketer')
    .send(campaignRequest(channelCodes, materialId, plan));
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const stateOf = async (id: string) => (await request(ctx.app).get(`/campaigns/${id}`)).body.workflow?.state;
const placementsOf = async (id: string) => (await request(ctx.app).get(`/campaigns/${id}/placements`)).body;
const handle = (id: string) => ctx.temporal.client.workflow.getHandle(campaignWorkflowId(id));

async function finish(id: string) {
  await handle(id)
    .terminate('test finished')
    .catch(() => undefined);
}

describe('publishing to 50 channels', () => {
  it('puts the same version on every channel, proves it, and withdraws everywhere at the end of the window', async () => {
    const prefix = uniq('fifty');
    const financial = await seedChannels(ctx.db, 20, { kind: 'financial_scenario', prefix: `${prefix}-fin` });
    const ecosystem = await seedChannels(ctx.db, 25, { kind: 'ecosystem_scenario', prefix: `${prefix}-eco` });
    const offline = await seedChannels(ctx.db, 5, { kind: 'offline', prefix: `${prefix}-branch` });
    const online = [...financial, ...ecosystem].map((c) => c.code);
    const all = [...online, ...offline.map((c) => c.code)];
    const { material, version } = await seedMaterial(ctx.db);
    const now = Date.now();
    const id = await launch(all, material.id, {
      registrationWindow: {
        start: new Date(now - 1000).toISOString(),
        end: new Date(now + 12_000).toISOString(),
      },
    });

    const report = await eventually(async () => {
      const r = await placementsOf(id);
      return r.summary?.verified === 45 && r.summary?.awaiting_acknowledgement === 5 ? r : null;
    });
    expect(report.channels).toBe(50);
    expect(report.sameContentPerVariant).toEqual({ default: true });
    // Every placement's fixed fee booked once, under the placement's own key, as acquisition cost.
    const fees = await ctx.db.ledgerEntry.findMany({ where: { campaignId: id, category: 'placement_fee' } });
    expect(fees).toHaveLength(50);
    const placementIds = new Set(report.rows.map((r: { placementId: string }) => `fee:${r.placementId}`));
    for (const fee of fees) {
      expect(placementIds.has(fee.id)).toBe(true);
      expect(fee).toMatchObject({ kind: 'cost', scope: 'acquisition', amountMinor: 10000n, currency: 'CNY' });
      // Stored as UTC, as Prisma stores times: between the launch and now, not hours off.
      expect(fee.occurredAt.getTime()).toBeGreaterThanOrEqual(now - 1000);
      expect(fee.occurredAt.getTime()).toBeLessThanOrEqual(Date.now());
    }
    for (const row of report.rows.filter((r: { status: string }) => r.status === 'verified')) {
      expect(row.expected.contentHash).toBe(version.contentHash);
      expect(row.observedHash).toBe(version.contentHash);
    }
    // What the channels themselves show, read from the simulator: the same hash everywhere.
    const shown = await Promise.all(online.map((code) => sim.placements(code)));
    expect(
      shown.every(
        (p) => p.length === 1 && p[0]!.status === 'live' && p[0]!.contentHash === version.contentHash,
      ),
    ).toBe(true);
    expect((await sim.totals(online)).duplicatePlacements).toBe(0);

    // Offline channels: staff acknowledge their tasks.
    const tasks = (await request(ctx.app).get(`/offline-tasks?channelCode=${offline[0]!.code}&status=open`))
      .body.items;
    expect(tasks).toHaveLength(1);
    const ack = await request(ctx.app)
      .post(`/offline-tasks/${tasks[0].id}/acknowledge`)
      .set('X-Actor', 'branch-zhang')
      .send({});
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledgedBy).toBe('branch-zhang');
    const afterAck = await placementsOf(id);
    expect(afterAck.summary.verified).toBe(46);
    // The acknowledgement is the offline channel's read-back: its placement is consistent like the rest.
    expect(
      afterAck.rows.find((r: { channelCode: string }) => r.channelCode === offline[0]!.code),
    ).toMatchObject({
      status: 'verified',
      observedHash: version.contentHash,
      consistent: true,
    });

    // End of the registration window: every online placement withdrawn and verified gone.
    await eventually(
      async () => (await stateOf(id))?.phase === 'in_period' || (await stateOf(id))?.phase === 'evaluating',
      30_000,
    );
    const after = await placementsOf(id);
    expect(after.summary.withdrawn).toBe(45);
    expect(after.summary.withdrawal_requested).toBe(5);
    const shownAfter = await Promise.all(online.map((code) => sim.placements(code)));
    expect(shownAfter.every((p) => p.every((x) => x.status === 'withdrawn'))).toBe(true);
    await finish(id);
  });
});

describe('failure policies', () => {
  it('best-effort goes on without a channel that keeps failing, and reports the gap', async () => {
    const channels = (await seedChannels(ctx.db, 4)).map((c) => c.code);
    await sim.fault({ channelCode: channels[0], operations: ['publish'], failNext: 50 });
    const { material } = await seedMaterial(ctx.db);
    const id = await launch(channels, material.id, { publishing: { policy: 'best-effort' } });
    const state = await eventually(async () => {
      const s = await stateOf(id);
      return s?.phase === 'acquiring' ? s : null;
    }, 60_000);
    expect(state.placements).toMatchObject({ verified: 3, failed: 1 });
    expect(state.failure).toContain(channels[0]);
    const report = await placementsOf(id);
    expect(report.rows.find((r: { channelCode: string }) => r.channelCode === channels[0]).status).toBe(
      'failed',
    );
    await sim.clearFaults(channels[0]);
    await finish(id);
  });

  it('all-or-nothing withdraws everything already published and fails the launch with the reason', async () => {
    const channels = (await seedChannels(ctx.db, 4)).map((c) => c.code);
    await sim.fault({ channelCode: channels[3], operations: ['publish'], rejectNext: 1 });
    const { material } = await seedMaterial(ctx.db);
    const id = await launch(channels, material.id, { publishing: { policy: 'all-or-nothing' } });
    const result = await handle(id).result();
    expect(result.phase).toBe('failed');
    expect(result.failure).toContain(channels[3]);
    const shown = await Promise.all(channels.slice(0, 3).map((code) => sim.placements(code)));
    expect(shown.every((p) => p.length === 1 && p[0]!.status === 'withdrawn')).toBe(true);
    expect((await ctx.db.campaign.findUniqueOrThrow({ where: { id } })).status).toBe('failed');
    await maybeRecordHistory(ctx.temporal.client, campaignWorkflowId(id), 'campaign-all-or-nothing-failed');
  });

  it('refuses to publish a version without compliance approval', async () => {
    const channels = (await seedChannels(ctx.db, 2)).map((c) => c.code);
    const { material } = await seedMaterial(ctx.db, { approved: false });
    const id = await launch(channels, material.id, { publishing: { policy: 'all-or-nothing' } });
    const result = await handle(id).result();
    expect(result.phase).toBe('failed');
    expect(result.failure).toMatch(/not approved/);
    expect(await sim.placements(channels[0]!)).toHaveLength(0);
  });
});

describe('a publishing activity run again (Temporal retried it)', () => {
  it('counts the attempt, keeps one placement on the channel and books the fee once', async () => {
    const channels = await seedChannels(ctx.db, 1, { prefix: uniq('retry') });
    const { material, version } = await seedMaterial(ctx.db);
    const id = await launch([channels[0]!.code], material.id);
    await eventually(async () => (await placementsOf(id)).summary?.verified === 1);
    const activities = createPublishingActivities({
      db: ctx.db,
      clock: systemClock,
      simulatorUrl: ctx.simulatorUrl,
    });
    const { targets } = await activities.preparePublishing({ campaignId: id });
    const again = await activities.publishPlacement({ campaignId: id, target: targets[0]!, generation: 0 });
    expect(again.status).toBe('verified');
    const placement = await ctx.db.placement.findUniqueOrThrow({ where: { id: again.placementId } });
    expect(placement).toMatchObject({
      status: 'verified',
      attempts: 2,
      observedHash: version.contentHash,
      contentHash: version.contentHash,
      error: null,
    });
    expect(await sim.placements(channels[0]!.code)).toHaveLength(1);
    expect(await ctx.db.ledgerEntry.count({ where: { campaignId: id, category: 'placement_fee' } })).toBe(1);
    await finish(id);
  });
});

describe('during the campaign', () => {
  it('republishes a material change everywhere, verified, and takes the old version down', async () => {
    const channels = (await seedChannels(ctx.db, 5)).map((c) => c.code);
    const { material, variant } = await seedMaterial(ctx.db);
    const id = await launch(channels, material.id);
    await eventually(async () => (await stateOf(id))?.phase === 'acquiring');
    const v2 = await seedMaterialVersion(ctx.db, variant, 2, sampleContent('Open an account, get ¥80'));
    const change = await request(ctx.app)
      .post(`/campaigns/${id}/material`)
      .set('X-Actor', 'marketer')
      .send({ materialVersionId: v2.id });
    expect(change.status).toBe(200);
    expect(change.body.state.materialVersion).toEqual([
      { variantKey: 'default', materialVersionId: v2.id, contentHash: v2.contentHash },
    ]);
    for (const code of channels) {
      const shown = await sim.placements(code);
      expect(shown.filter((p) => p.status === 'live').map((p) => p.contentHash)).toEqual([v2.contentHash]);
      expect(shown.filter((p) => p.status === 'withdrawn')).toHaveLength(1);
    }
    const report = await placementsOf(id);
    expect(
      report.rows.every(
        (r: { expected: { contentHash: string }; observedHash: string }) => r.observedHash === v2.contentHash,
      ),
    ).toBe(true);
    await maybeRecordHistory(ctx.temporal.client, campaignWorkflowId(id), 'campaign-material-changed');
    await finish(id);
  });

  it('detects drift on a channel and republishes the expected version', async () => {
    const channels = (await seedChannels(ctx.db, 3)).map((c) => c.code);
    const { material, version } = await seedMaterial(ctx.db);
    const id = await launch(channels, material.id, {
      publishing: { policy: 'best-effort', verifyEvery: 'PT2S' },
    });
    await eventually(async () => (await stateOf(id))?.placements?.verified === 3);
    await sim.fault({ channelCode: channels[1], drift: true });
    expect((await sim.placements(channels[1]!))[0]!.contentHash).not.toBe(version.contentHash);
    const state = await eventually(async () => {
      const s = await stateOf(id);
      return s?.placements?.drifted >= 1 ? s : null;
    });
    expect(state.placements.drifted).toBeGreaterThanOrEqual(1);
    await eventually(
      async () => (await sim.placements(channels[1]!))[0]!.contentHash === version.contentHash,
    );
    expect((await sim.totals(channels)).duplicatePlacements).toBe(0);
    // The repair is a publishPlacement after a verifyPlacements that found the drift.
    await eventually(async () => (await stateOf(id))?.placements?.verified === 3);
    await maybeRecordHistory(ctx.temporal.client, campaignWorkflowId(id), 'campaign-drift-repaired');
    await finish(id);
  });

  it('survives a worker restart in the middle of publishing without a duplicate placement', async () => {
    const channels = (await seedChannels(ctx.db, 10)).map((c) => c.code);
    for (const code of channels)
      await sim.fault({ channelCode: code, operations: ['publish'], latencyMs: 1500 });
    const { material, version } = await seedMaterial(ctx.db);
    const id = await launch(channels, material.id);
    await new Promise((r) => setTimeout(r, 800));
    await ctx.stopWorker(); // drains: in-flight activities are cancelled / abandoned
    await ctx.startWorker();
    await eventually(async () => (await stateOf(id))?.placements?.verified === 10, 90_000);
    const totals = await sim.totals(channels);
    expect(totals.duplicatePlacements).toBe(0);
    expect(totals.livePlacements).toBe(10);
    for (const code of channels)
      expect((await sim.placements(code)).map((p) => p.contentHash)).toEqual([version.contentHash]);
    for (const code of channels) await sim.clearFaults(code);
    await finish(id);
  });
});
