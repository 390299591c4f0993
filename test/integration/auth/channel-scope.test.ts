// A channel-system key ingests for its own channels only: registrations naming another channel are
// refused whole (403); events of customers who registered through another channel are refused as for
// customers nobody registered (422 customer_not_registered, no existence oracle); refusals store
// nothing; its own channels' data goes through; and it reads nothing. Real keys, real ingest.
import type { Express } from 'express';
import request from 'supertest';
import { createTestContext, type TestContext } from '../../support/context';
import { uniq } from '../../support/fixtures';
import { registration, seedCampaign, type SeededCampaign } from '../funnel/fixtures';
import { bearer, keyedApp, keyFor } from './keys';

let ctx: TestContext;
let app: Express;
let campaign: SeededCampaign;
let ownKey: string; // channel 0 only
let otherKey: string; // channel 1 only

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  app = keyedApp(ctx);
  campaign = await seedCampaign(ctx.db, { channels: 2 });
  ownKey = (await keyFor(ctx.db, 'channel-system', [codeOf(0)])).key;
  otherKey = (await keyFor(ctx.db, 'channel-system', [codeOf(1)])).key;
});
afterAll(() => ctx.stop());

const codeOf = (i: number) => (campaign.channels[i] as { code: string }).code;
const post = (what: 'registrations' | 'events', key: string, body: object) =>
  request(app).post(`/campaigns/${campaign.id}/${what}`).set(bearer(key)).send(body);
const event = (customerRef: string) => ({
  eventId: uniq('evt'),
  customerRef,
  type: 'login',
  occurredAt: campaign.at(30 * 60_000),
});
const stored = (refs: string[]) =>
  ctx.db.registration.count({ where: { campaignId: campaign.id, customerRef: { in: refs } } });

async function registerThrough(channel: number): Promise<string> {
  const item = registration(campaign, { channelCode: codeOf(channel) });
  const res = await post('registrations', channel === 0 ? ownKey : otherKey, item);
  expect(res.status).toBe(201);
  return item.customerRef;
}

describe('registrations', () => {
  it("are accepted for the key's own channel", async () => {
    const item = registration(campaign, { channelCode: codeOf(0) });
    const res = await post('registrations', ownKey, item);
    expect(res.status).toBe(201);
    expect(await stored([item.customerRef])).toBe(1);
  });

  it('are refused (403) for another channel, naming the field, and nothing is stored', async () => {
    const item = registration(campaign, { channelCode: codeOf(1) });
    const res = await post('registrations', ownKey, item);
    expect(res.status).toBe(403);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.errors).toEqual([{ field: 'channelCode', message: expect.stringContaining(codeOf(1)) }]);
    expect(await stored([item.customerRef])).toBe(0);
  });

  it('refuse a whole batch with one foreign item', async () => {
    const items = [
      registration(campaign, { channelCode: codeOf(0) }),
      registration(campaign, { channelCode: codeOf(1) }),
      registration(campaign, { channelCode: codeOf(0) }),
    ];
    const res = await post('registrations', ownKey, { items });
    expect(res.status).toBe(403);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['items.1.channelCode']);
    expect(await stored(items.map((i) => i.customerRef))).toBe(0);
  });

  it('are answered per item as usual when every item is its own (malformed ones included)', async () => {
    const good = registration(campaign, { channelCode: codeOf(0) });
    const res = await post('registrations', ownKey, { items: [good, { customerRef: uniq('c') }] });
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({ accepted: 1, rejected: 1 });
  });
});

describe('events', () => {
  it("are accepted for customers registered through the key's own channel", async () => {
    const customerRef = await registerThrough(0);
    const res = await post('events', ownKey, event(customerRef));
    expect(res.status).toBe(201);
  });

  it('for a customer registered through another channel are answered as for one nobody registered (no oracle)', async () => {
    const theirs = await registerThrough(1);
    const mine = await registerThrough(0);
    const single = await post('events', ownKey, event(theirs));
    const nobody = await post('events', ownKey, event(uniq('nobody')));
    // Same status and same reason as for a customer nobody registered: the key cannot tell them apart.
    expect(single.status).toBe(422);
    expect(single.status).toBe(nobody.status);
    expect(single.body.errors).toEqual(nobody.body.errors);
    expect(single.body.errors[0]).toMatchObject({ field: 'customerRef', reason: 'customer_not_registered' });
    expect(JSON.stringify(single.body)).not.toContain(codeOf(1));

    const batch = await post('events', ownKey, { items: [event(mine), event(theirs)] });
    expect(batch.status).toBe(200);
    expect(batch.body.items.map((i: { status: string }) => i.status)).toEqual(['accepted', 'rejected']);
    expect(
      await ctx.db.customerEvent.count({
        where: { campaignId: campaign.id, customerRef: theirs },
      }),
    ).toBe(0);

    // The owner of that customer may send it.
    expect((await post('events', otherKey, event(theirs))).status).toBe(201);
  });

  it('for customers nobody registered get the ordinary refusal (422), not a 403', async () => {
    const res = await post('events', ownKey, event(uniq('nobody')));
    expect(res.status).toBe(422);
  });
});

describe('a channel-system key', () => {
  it('reads nothing, not even its own campaign', async () => {
    for (const path of [
      `/campaigns/${campaign.id}`,
      `/campaigns/${campaign.id}/funnel`,
      '/channels',
      '/campaigns',
    ]) {
      expect({ path, status: (await request(app).get(path).set(bearer(ownKey))).status }).toEqual({
        path,
        status: 403,
      });
    }
  });

  it('is scoped the same way when a test names the caller in headers (the test authenticator)', async () => {
    const item = registration(campaign, { channelCode: codeOf(1) });
    const refused = await request(ctx.app)
      .post(`/campaigns/${campaign.id}/registrations`)
      .set({ 'X-Actor': 'feed', 'X-Role': 'channel-system', 'X-Channels': codeOf(0) })
      .send(item);
    expect(refused.status).toBe(403);
    const read = await request(ctx.app)
      .get('/channels')
      .set({ 'X-Role': 'channel-system', 'X-Channels': codeOf(0) });
    expect(read.status).toBe(403);
  });
});
