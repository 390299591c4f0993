// GET /_sim/messages: every channel's delivered messages in order of delivery after a cursor, filtered by
// campaign — what the traffic generator polls. Replays are not logged twice; reset starts over.
import { startHarness, type Harness } from './harness';
import { sampleContent } from '../channels/fixtures';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.sim.close());

async function deliver(channel: string, key: string, campaignId: string, customerRef: string) {
  const response = await h.control(`/channels/${channel}/messages`, {
    method: 'POST',
    headers: { 'idempotency-key': key },
    body: JSON.stringify({
      campaignId,
      customerRef,
      stepId: 'day-1',
      kind: 'education',
      content: sampleContent(),
    }),
  });
  expect([200, 201]).toContain(response.status);
}

async function since(query: string) {
  const response = await h.control(`/_sim/messages?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as {
    count: number;
    cursor: number;
    messages: { seq: number; channelCode: string; customerRef: string; campaignId: string; kind: string }[];
  };
}

it("pages a campaign's messages across channels after a cursor, and skips other campaigns once", async () => {
  await deliver('sms', 'k1', 'camp-a', 'c1');
  await deliver('app', 'k2', 'camp-b', 'c2');
  await deliver('app', 'k3', 'camp-a', 'c3');
  await deliver('app', 'k3', 'camp-a', 'c3'); // a replay: one message
  const first = await since('campaignId=camp-a&limit=1');
  expect(first.messages.map((m) => [m.seq, m.channelCode, m.customerRef])).toEqual([[1, 'sms', 'c1']]);
  const rest = await since(`campaignId=camp-a&after=${first.cursor}`);
  expect(rest.messages.map((m) => [m.seq, m.channelCode, m.customerRef, m.kind])).toEqual([
    [3, 'app', 'c3', 'education'],
  ]);
  expect(rest.cursor).toBe(3);
  expect((await since(`campaignId=camp-a&after=${rest.cursor}`)).messages).toEqual([]);
  await deliver('sms', 'k4', 'camp-a', 'c4');
  expect((await since(`campaignId=camp-a&after=${rest.cursor}`)).messages.map((m) => m.customerRef)).toEqual([
    'c4',
  ]);
  expect((await since('')).count).toBe(4);
});

it('refuses a bad cursor, and forgets everything on reset', async () => {
  expect((await h.control('/_sim/messages?after=-1')).status).toBe(400);
  expect((await h.control('/_sim/reset', { method: 'POST', body: '{}' })).status).toBe(204);
  expect(await since('')).toEqual({ count: 0, cursor: 0, messages: [] });
});
