// Retiring a channel while a campaign that uses it is being created: whichever commits first, the
// other must see it. Each test holds one side's transaction open at the point a real request would
// be, starts the other side through the API, waits until PostgreSQL reports it waiting for the row
// lock, and then commits. Without the row locks, the request would not wait and would get it wrong.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Prisma } from '../../../generated/prisma/client';
import { createTestContext, eventually, type TestContext } from '../../support/context';
import { campaignRequest, seedChannels, seedMaterial, storedPlan } from '../../support/fixtures';
import { campaignWorkflowId } from '../../../workflows/ids';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
});
afterAll(() => ctx.stop());

/** Runs `fn` in a transaction that stays open until the returned `commit` is called. */
async function openTransaction(fn: (tx: Prisma.TransactionClient) => Promise<void>) {
  let commit!: () => void;
  const released = new Promise<void>((resolve) => (commit = resolve));
  let ready!: () => void;
  const prepared = new Promise<void>((resolve) => (ready = resolve));
  const done = ctx.db.$transaction(
    async (tx) => {
      await fn(tx);
      ready();
      await released;
    },
    { timeout: 60_000 },
  );
  await Promise.race([prepared, done]);
  return { commit: () => (commit(), done) };
}

/** True once a statement of this database that matches `text` waits for a lock, or `settled` is. */
async function waitsForLock(text: string, settled: () => boolean) {
  await eventually(
    async () => {
      if (settled()) return true;
      const rows = await ctx.db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE ${`%${text}%`}`;
      return (rows[0]?.n ?? 0n) > 0n;
    },
    10_000,
    50,
  );
}

it('refuses a campaign for a channel whose retirement commits while the campaign is being created', async () => {
  const [channel] = await seedChannels(ctx.db, 1);
  const materialId = (await seedMaterial(ctx.db)).material.id;
  // The retire side, as retireChannel does it: row locked, status changed, not yet committed.
  const retire = await openTransaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Channel" WHERE id = ${channel!.id} FOR UPDATE`;
    await tx.channel.update({
      where: { id: channel!.id },
      data: { status: 'retired', retiredAt: new Date(), version: { increment: 1 } },
    });
  });

  let settled = false;
  const creating = request(ctx.app)
    .post('/campaigns')
    .send(campaignRequest([channel!.code], materialId))
    .then((res) => ((settled = true), res));
  await waitsForLock('FOR SHARE', () => settled);
  await retire.commit();
  const res = await creating;

  expect(res.status).toBe(400);
  expect(res.body.errors).toEqual([
    { field: 'channels.0', message: `channel "${channel!.code}" is retired` },
  ]);
  expect(await ctx.db.campaignChannel.count({ where: { channelId: channel!.id } })).toBe(0);
});

it('refuses to retire a channel that a campaign being created takes, once that campaign commits', async () => {
  const [channel] = await seedChannels(ctx.db, 1);
  const materialId = (await seedMaterial(ctx.db)).material.id;
  const campaignId = randomUUID();
  // The create side, as createCampaign does it: channel row shared-locked, campaign written, not committed.
  const create = await openTransaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Channel" WHERE id = ${channel!.id} FOR SHARE`;
    await tx.campaign.create({
      data: {
        id: campaignId,
        name: 'being created',
        status: 'created',
        plan: storedPlan(),
        materialId,
        currency: 'CNY',
        workflowId: campaignWorkflowId(campaignId),
        workflowStartedAt: new Date(),
        createdBy: 'test',
        channels: { create: [{ channelId: channel!.id }] },
      },
    });
  });

  let settled = false;
  const retiring = request(ctx.app)
    .post(`/channels/${channel!.code}/retire`)
    .then((res) => ((settled = true), res));
  await waitsForLock('FOR UPDATE', () => settled);
  await create.commit();
  const res = await retiring;

  expect(res.status).toBe(409);
  expect(res.body.campaigns).toEqual([{ id: campaignId, name: 'being created', status: 'created' }]);
  expect((await ctx.db.channel.findUniqueOrThrow({ where: { id: channel!.id } })).status).toBe('active');
});
