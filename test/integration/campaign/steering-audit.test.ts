// A steering action and its audit entry commit together or not at all (issue 14, finding 3): a reason
// that cannot be stored is refused before anything happens; an accepted action has exactly one entry,
// also when retried with the same Idempotency-Key; a refused one leaves none. And the refusal of an
// action on a finished workflow reads "cannot be paused" (it read "pauseed").
import request from 'supertest';
import { createApp } from '../../../api/app';
import { headerAuthenticator } from '../../../api/auth/authenticator';
import type { Db } from '../../../db/client';
import { createLogger } from '../../../infra/logger';
import { campaignStateQuery } from '../../../workflows/messages';
import { createTestContext, eventually, type TestContext } from '../../support/context';
import { createCampaign } from '../../support/campaigns';
import { campaignWorkflowId } from '../../../workflows/ids';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.stop());

async function launch() {
  const { id } = await createCampaign(ctx, { feeMinor: 0, actor: 'marketer' });
  const handle = ctx.temporal.client.workflow.getHandle(campaignWorkflowId(id));
  await eventually(async () => (await handle.query(campaignStateQuery)).phase === 'acquiring');
  return { id, handle };
}

const auditOf = (campaignId: string, action: string) =>
  ctx.db.auditLog.findMany({ where: { campaignId, action } });

it('refuses a reason with a NUL or a lone surrogate before pausing or cancelling anything', async () => {
  const { id, handle } = await launch();
  for (const reason of ['a\u0000b', 'x\ud800y']) {
    for (const action of ['pause', 'cancel']) {
      const res = await request(ctx.app).post(`/campaigns/${id}/${action}`).send({ reason });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    }
  }
  const state = await handle.query(campaignStateQuery);
  expect(state.paused).toBe(false);
  expect(state.cancelled).toBeNull();
  expect(await ctx.db.auditLog.count({ where: { campaignId: id, action: { not: 'campaign.create' } } })).toBe(
    0,
  );
  await handle.terminate('test done');
});

it('records an accepted action once, also when retried with the same key, and a refused one never', async () => {
  const { id, handle } = await launch();
  const pause = () =>
    request(ctx.app)
      .post(`/campaigns/${id}/pause`)
      .set('Idempotency-Key', `pause-${id}`)
      .send({ reason: 'check' });
  expect((await pause()).status).toBe(200);
  // A retry after the reply was lost but before it was stored: the same update id and audit id.
  await ctx.db.idempotencyRecord.deleteMany({ where: { key: { contains: `pause-${id}` } } });
  expect((await pause()).status).toBe(200);
  expect(await auditOf(id, 'campaign.pause')).toHaveLength(1);

  // rerun-evaluation is refused by the workflow's validator while acquiring: no entry.
  const refused = await request(ctx.app).post(`/campaigns/${id}/rerun-evaluation`).send({});
  expect(refused.status).toBe(409);
  expect(await auditOf(id, 'campaign.rerun-evaluation')).toHaveLength(0);

  await handle.terminate('test done');
  const late = await request(ctx.app).post(`/campaigns/${id}/pause`).send({});
  expect(late.status).toBe(409);
  expect(late.body.detail).toContain('cannot be paused');
  expect(await auditOf(id, 'campaign.pause')).toHaveLength(1);
});

it('an action whose audit entry cannot be written does not happen', async () => {
  const { id, handle } = await launch();
  // The same database, except that the audit log refuses every write (a full disk, a lost connection
  // at that moment): the entry is written before the workflow is told, so nothing may be paused.
  const failingDb = new Proxy(ctx.db, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop !== 'auditLog') return typeof value === 'function' ? value.bind(target) : value;
      return new Proxy(value as object, {
        get(log, name, logReceiver) {
          if (name === 'upsert' || name === 'create')
            return () => Promise.reject(new Error('the audit log cannot be written'));
          const member: unknown = Reflect.get(log, name, logReceiver);
          return typeof member === 'function' ? member.bind(log) : member;
        },
      });
    },
  }) as Db;
  const app = createApp({
    db: failingDb,
    temporal: ctx.temporal,
    log: createLogger('test', 'error'),
    authenticate: headerAuthenticator,
  });
  const res = await request(app)
    .post(`/campaigns/${id}/pause`)
    .set('X-Actor', 'ops')
    .send({ reason: 'check' });
  expect(res.status).toBeGreaterThanOrEqual(500);
  expect(res.type).toBe('application/problem+json');
  // Positive signal first: the workflow answers its query (it has processed every update it was sent).
  const state = await handle.query(campaignStateQuery);
  expect(state.paused).toBe(false);
  const events = (await handle.fetchHistory()).events ?? [];
  expect(events.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);
  await handle.terminate('test done');
});
