// Found by `npm run chaos`: a request whose process died between claiming its Idempotency-Key and storing
// the reply (kill -9 of the API mid-batch) left the key "in progress" for ever, so a client resending the
// identical batch got 409 on every retry and its registrations were never stored. Ingest requests are
// idempotent item by item, so a claim older than the lease is taken over by the next retry.
import { createHash } from 'node:crypto';
import request from 'supertest';
import { IN_PROGRESS_LEASE_MS } from '../../../api/handler';
import { createTestContext, type TestContext } from '../../support/context';
import { uniq } from '../../support/fixtures';
import { registration, seedCampaign } from './fixtures';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
});
afterAll(() => ctx.stop());

/** The claim a request made before its process died: status 0 (in progress), claimed `ageMs` ago. */
async function leftInProgress(path: string, key: string, body: unknown, ageMs: number): Promise<void> {
  // The test authenticator's principal for a request without X-Actor (api/auth/authenticator.ts).
  const id = `funnel.registrations:test:anonymous:${key}`;
  const requestHash = createHash('sha256')
    .update(`POST ${path}\n${JSON.stringify(body)}`)
    .digest('hex');
  await ctx.db.idempotencyRecord.create({
    data: { key: id, requestHash, status: 0, body: {}, createdAt: new Date(Date.now() - ageMs) },
  });
}

describe('an Idempotency-Key left in progress by a lost request', () => {
  it('is taken over by a retry of the same batch once the lease has passed, and the batch is stored', async () => {
    const campaign = await seedCampaign(ctx.db);
    const path = `/campaigns/${campaign.id}/registrations`;
    const body = { items: [registration(campaign), registration(campaign)] };
    const key = uniq('lost');
    await leftInProgress(path, key, body, IN_PROGRESS_LEASE_MS + 5_000);

    const retry = await request(ctx.app).post(path).set('Idempotency-Key', key).send(body);

    expect(retry.status).toBe(200);
    expect(retry.body.items.map((i: { status: string }) => i.status)).toEqual(['accepted', 'accepted']);
    const refs = body.items.map((i) => i.customerRef);
    expect(
      await ctx.db.registration.count({ where: { campaignId: campaign.id, customerRef: { in: refs } } }),
    ).toBe(2);
    // The reply is stored under the key: the next retry is a replay.
    const again = await request(ctx.app).post(path).set('Idempotency-Key', key).send(body);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('is still "in progress" (409, retryable) while the lease runs: a slow request is not run twice at once', async () => {
    const campaign = await seedCampaign(ctx.db);
    const path = `/campaigns/${campaign.id}/registrations`;
    const body = { items: [registration(campaign)] };
    const key = uniq('slow');
    await leftInProgress(path, key, body, 1_000);

    const retry = await request(ctx.app).post(path).set('Idempotency-Key', key).send(body);

    expect(retry.status).toBe(409);
    expect(retry.body.type).toMatch(/request-in-progress/);
    expect(retry.headers['retry-after']).toBeDefined();
    expect(await ctx.db.registration.count({ where: { campaignId: campaign.id } })).toBe(0);
  });
});
