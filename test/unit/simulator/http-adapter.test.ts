// HttpChannelAdapter against the channel simulator over real HTTP: the protocol round trip,
// idempotent replays, and the counters that prove no placement or message is ever duplicated.
import { ChannelError } from '../../../channels/adapter';
import { contentHash } from '../../../domain/material-content';
import { sampleContent } from '../channels/fixtures';
import { publishRequest, startHarness, type Harness } from './harness';

let h: Harness;
const fixedNow = new Date('2024-05-01T08:00:00.000Z');

beforeAll(async () => {
  h = await startHarness({ now: () => fixedNow });
});
afterAll(async () => {
  await h.sim.close();
});
beforeEach(async () => {
  await h.control('/_sim/reset', { method: 'POST' });
});

describe('publish and read back', () => {
  it('places the content and serves back the hash it computes from what it stores', async () => {
    const adapter = h.adapter();
    const request = publishRequest();
    const receipt = await adapter.publish(request);
    expect(receipt).toEqual({
      externalRef: expect.stringMatching(/^sim-/),
      publishedAt: fixedNow.toISOString(),
      replayed: false,
    });

    const readBack = await adapter.readBack(request.channelCode, request.placementId);
    expect(readBack).toEqual({
      present: true,
      status: 'live',
      contentHash: request.contentHash,
      materialVersionId: 'mv-1',
    });
  });

  it('reports an unknown placement as absent', async () => {
    expect(await h.adapter().readBack('mobile-app', 'never-published')).toEqual({ present: false });
  });

  it('keeps channels apart: the same placement id on two channels is two placements', async () => {
    const adapter = h.adapter();
    await adapter.publish(publishRequest({ channelCode: 'wechat', idempotencyKey: 'k-wechat' }));
    expect(await adapter.readBack('mobile-app', 'c1-home-banner')).toEqual({ present: false });
    expect((await adapter.readBack('wechat', 'c1-home-banner')).present).toBe(true);
  });

  it('handles channel codes and placement ids that need URL encoding', async () => {
    const adapter = h.adapter();
    await adapter.publish(publishRequest({ channelCode: 'partner/health app', placementId: 'feed#1?x' }));
    expect((await adapter.readBack('partner/health app', 'feed#1?x')).status).toBe('live');
  });
});

describe('idempotency', () => {
  it('replays a repeated key without placing anything new', async () => {
    const adapter = h.adapter();
    const first = await adapter.publish(publishRequest());
    const again = await adapter.publish(publishRequest());
    expect(again).toEqual({ ...first, replayed: true });
    expect(await h.stats('mobile-app')).toMatchObject({
      publishesAccepted: 1,
      publishReplays: 1,
      duplicatePlacements: 0,
      livePlacements: 1,
    });
  });

  it('replays concurrent calls with the same key exactly once', async () => {
    const adapter = h.adapter();
    const receipts = await Promise.all(Array.from({ length: 8 }, () => adapter.publish(publishRequest())));
    expect(receipts.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(receipts.map((r) => r.externalRef)).size).toBe(1);
    expect(await h.stats('mobile-app')).toMatchObject({
      publishesAccepted: 1,
      publishReplays: 7,
      duplicatePlacements: 0,
    });
  });

  it('counts a different-key publish of the same campaign and version as a duplicate placement', async () => {
    const adapter = h.adapter();
    await adapter.publish(publishRequest());
    // A caller that lost its key: same placement, same content.
    await adapter.publish(publishRequest({ idempotencyKey: 'a-fresh-key' }));
    // And a second slot for the same campaign + version on the same channel.
    await adapter.publish(publishRequest({ idempotencyKey: 'another-key', placementId: 'c1-feed' }));
    expect(await h.stats('mobile-app')).toMatchObject({ publishesAccepted: 3, duplicatePlacements: 2 });
  });

  it('does not count a new version, a drift repair or a re-placement after withdrawal as duplicates', async () => {
    const adapter = h.adapter();
    await adapter.publish(publishRequest());
    const v2 = sampleContent({ title: 'Spring offer, version 2' });
    await adapter.publish(
      publishRequest({
        idempotencyKey: 'pub-v2',
        materialVersionId: 'mv-2',
        content: v2,
        contentHash: contentHash(v2),
      }),
    );
    expect((await adapter.readBack('mobile-app', 'c1-home-banner')).materialVersionId).toBe('mv-2');

    await h.addFault({ channelCode: 'mobile-app', drift: true });
    const v2Again = publishRequest({
      idempotencyKey: 'pub-v2-repair-1',
      materialVersionId: 'mv-2',
      content: v2,
      contentHash: contentHash(v2),
    });
    await adapter.publish(v2Again);
    expect((await adapter.readBack('mobile-app', 'c1-home-banner')).contentHash).toBe(contentHash(v2));

    await adapter.withdraw({
      idempotencyKey: 'wd-1',
      channelCode: 'mobile-app',
      placementId: 'c1-home-banner',
    });
    await adapter.publish({ ...v2Again, idempotencyKey: 'pub-v2-after-resume' });
    expect(await h.stats('mobile-app')).toMatchObject({
      publishesAccepted: 4,
      republishes: 2,
      duplicatePlacements: 0,
    });
  });

  it('refuses a reused key with a different request as a non-retryable conflict', async () => {
    const adapter = h.adapter();
    await adapter.publish(publishRequest());
    const error = await adapter
      .publish(publishRequest({ materialVersionId: 'mv-other' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({
      status: 409,
      code: 'idempotency_key_reused',
      retryable: false,
      kind: 'rejected',
    });
  });
});

describe('withdraw', () => {
  it('takes the placement down, and succeeds again when repeated or when nothing is there', async () => {
    const adapter = h.adapter();
    await adapter.publish(publishRequest());
    const withdraw = { idempotencyKey: 'wd-c1', channelCode: 'mobile-app', placementId: 'c1-home-banner' };
    await adapter.withdraw(withdraw);
    expect(await adapter.readBack('mobile-app', 'c1-home-banner')).toEqual({
      present: true,
      status: 'withdrawn',
      materialVersionId: 'mv-1',
    });
    await adapter.withdraw(withdraw);
    await adapter.withdraw({ ...withdraw, idempotencyKey: 'wd-c1-second' });
    await adapter.withdraw({ ...withdraw, idempotencyKey: 'wd-never', placementId: 'never-published' });
    expect(await h.stats('mobile-app')).toMatchObject({
      withdrawals: 1,
      withdrawReplays: 1,
      withdrawNoops: 2,
      livePlacements: 0,
    });
  });
});

describe('deliver', () => {
  const message = {
    idempotencyKey: 'msg-c1-cust42-day1',
    channelCode: 'sms',
    campaignId: 'c1',
    customerRef: 'cust-42',
    stepId: 'day1-education',
    kind: 'education' as const,
    content: sampleContent(),
  };

  it('records the message once, replays a repeated id, and counts a second id for the same step', async () => {
    const adapter = h.adapter();
    const first = await adapter.deliver(message);
    expect(first).toEqual({
      messageId: message.idempotencyKey,
      deliveredAt: fixedNow.toISOString(),
      replayed: false,
    });
    expect(await adapter.deliver(message)).toEqual({ ...first, replayed: true });
    expect(await h.stats('sms')).toMatchObject({
      messagesDelivered: 1,
      messageReplays: 1,
      duplicateMessages: 0,
    });

    await adapter.deliver({ ...message, idempotencyKey: 'msg-c1-cust42-day1-bis' });
    expect(await h.stats('sms')).toMatchObject({ messagesDelivered: 2, duplicateMessages: 1 });

    const listed = (await (await h.control('/_sim/channels/sms/messages?customerRef=cust-42')).json()) as {
      count: number;
      messages: Array<Record<string, unknown>>;
    };
    expect(listed.count).toBe(2);
    expect(listed.messages[0]).toEqual({
      messageId: 'msg-c1-cust42-day1',
      campaignId: 'c1',
      customerRef: 'cust-42',
      stepId: 'day1-education',
      kind: 'education',
      title: message.content.title,
      contentHash: contentHash(message.content),
      deliveredAt: fixedNow.toISOString(),
    });
  });
});

describe('deliver in batches', () => {
  const batch = (customers: string[], overrides: Record<string, unknown> = {}) => ({
    channelCode: 'sms',
    campaignId: 'c1',
    stepId: 'day1-education',
    kind: 'education' as const,
    content: sampleContent(),
    messages: customers.map((customerRef) => ({ idempotencyKey: `msg-${customerRef}`, customerRef })),
    ...overrides,
  });

  it('delivers each message once in one call, and answers each item as a single delivery would', async () => {
    const adapter = h.adapter({ deliveryBatchSize: 50 });
    expect(adapter.deliveryBatchSize).toBe(50);
    // cust-1 was messaged before with a single call under the same key: the batch replays it.
    await adapter.deliver({ ...batch([]), idempotencyKey: 'msg-cust-1', customerRef: 'cust-1' });

    const outcomes = await adapter.deliverBatch(batch(['cust-1', 'cust-2', 'cust-3']));
    expect(outcomes).toEqual([
      {
        ok: true,
        receipt: { messageId: 'msg-cust-1', deliveredAt: fixedNow.toISOString(), replayed: true },
      },
      {
        ok: true,
        receipt: { messageId: 'msg-cust-2', deliveredAt: fixedNow.toISOString(), replayed: false },
      },
      {
        ok: true,
        receipt: { messageId: 'msg-cust-3', deliveredAt: fixedNow.toISOString(), replayed: false },
      },
    ]);
    // A retried batch changes nothing.
    expect(
      (await adapter.deliverBatch(batch(['cust-2', 'cust-3']))).map((o) => o.ok && o.receipt.replayed),
    ).toEqual([true, true]);
    expect(await h.stats('sms')).toMatchObject({
      messagesDelivered: 3,
      messageReplays: 3,
      duplicateMessages: 0,
      deliveryBatches: 2,
    });
  });

  it('reports one refused item in its outcome and delivers the others', async () => {
    const adapter = h.adapter({ deliveryBatchSize: 50 });
    await adapter.deliverBatch(batch(['cust-1']));
    // The same key for another step's message: that item is refused (409), not the batch.
    const outcomes = await adapter.deliverBatch(batch(['cust-1', 'cust-9'], { stepId: 'day3-engagement' }));
    expect(outcomes[0]).toMatchObject({
      ok: false,
      error: { status: 409, code: 'idempotency_key_reused', retryable: false, operation: 'deliver' },
    });
    expect(outcomes[0]!.ok === false && outcomes[0]!.error).toBeInstanceOf(ChannelError);
    expect(outcomes[1]).toMatchObject({ ok: true, receipt: { messageId: 'msg-cust-9', replayed: false } });
    expect((await h.stats('sms')).messagesDelivered).toBe(2);
  });

  it('throws a retryable error when the whole call fails, and nothing is delivered', async () => {
    await h.control('/_sim/faults', {
      method: 'POST',
      body: JSON.stringify({ channelCode: 'sms', operations: ['deliver'], failNext: 1 }),
    });
    const error = await h
      .adapter({ deliveryBatchSize: 50 })
      .deliverBatch(batch(['cust-1', 'cust-2']))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, retryable: true, operation: 'deliver' });
    expect((await h.stats('sms')).messagesDelivered).toBe(0);
  });

  it('refuses a batch that repeats a key, or is larger than the protocol allows, as a whole', async () => {
    const adapter = h.adapter({ deliveryBatchSize: 50 });
    const repeated = batch(['cust-1'], {
      messages: [
        { idempotencyKey: 'k', customerRef: 'a' },
        { idempotencyKey: 'k', customerRef: 'b' },
      ],
    });
    expect(await adapter.deliverBatch(repeated).catch((e: unknown) => e)).toMatchObject({
      status: 400,
      retryable: false,
    });
    const tooMany = batch(Array.from({ length: 201 }, (_, i) => `c${i}`));
    expect(await adapter.deliverBatch(tooMany).catch((e: unknown) => e)).toMatchObject({ status: 400 });
    expect((await h.stats('sms')).messagesDelivered).toBe(0);
  });

  it('treats a response that does not answer every message, in order, as a protocol breach', async () => {
    const adapter = h.adapter({
      deliveryBatchSize: 50,
      fetch: async () =>
        new Response(
          JSON.stringify({
            results: [
              { idempotencyKey: 'msg-b', status: 201, messageId: 'x', deliveredAt: fixedNow.toISOString() },
            ],
          }),
          {
            status: 200,
            headers: { 'content-type': 'application/json' },
          },
        ),
    });
    const error = await adapter.deliverBatch(batch(['a', 'b'])).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'protocol', retryable: false });
    const reordered = await adapter.deliverBatch(batch(['a'])).catch((e: unknown) => e);
    expect(String((reordered as Error).message)).toMatch(/result 0 is for key msg-b/);
  });
});

describe('the simulator refuses malformed calls as non-retryable', () => {
  it('refuses a content hash that does not match the content', async () => {
    const error = await h
      .adapter()
      .publish(publishRequest({ contentHash: contentHash(sampleContent({ title: 'other' })) }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, code: 'content_hash_mismatch', retryable: false });
    expect((await h.stats('mobile-app')).publishesAccepted).toBe(0);
  });

  it('refuses invalid content', async () => {
    const bad = { ...sampleContent(), title: '' };
    const error = await h
      .adapter()
      .publish(publishRequest({ content: bad, contentHash: contentHash(bad) }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_request',
      retryable: false,
      operation: 'publish',
    });
  });

  it('requires an Idempotency-Key on writes', async () => {
    const response = await fetch(`${h.sim.url}/channels/app/placements/p1`, { method: 'DELETE' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'idempotency_key_required' });
  });

  it('answers malformed JSON with 400', async () => {
    const response = await fetch(`${h.sim.url}/channels/app/placements/p1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k' },
      body: '{not json',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_json' });
  });
});

describe('/_sim/stats', () => {
  it('lists every channel touched, with totals', async () => {
    const adapter = h.adapter();
    await adapter.publish(publishRequest({ channelCode: 'a', idempotencyKey: 'ka' }));
    await adapter.publish(publishRequest({ channelCode: 'b', idempotencyKey: 'kb' }));
    await adapter.publish(publishRequest({ channelCode: 'b', idempotencyKey: 'kb' }));
    const stats = (await (await h.control('/_sim/stats')).json()) as {
      channels: Record<string, { publishesAccepted: number }>;
      totals: { publishesAccepted: number; publishReplays: number; duplicatePlacements: number };
    };
    expect(Object.keys(stats.channels)).toEqual(['a', 'b']);
    expect(stats.totals).toMatchObject({ publishesAccepted: 2, publishReplays: 1, duplicatePlacements: 0 });
  });

  it('is emptied by reset', async () => {
    await h.adapter().publish(publishRequest());
    await h.control('/_sim/reset', { method: 'POST' });
    expect((await h.stats('mobile-app')).publishesAccepted).toBe(0);
    expect(await h.adapter().readBack('mobile-app', 'c1-home-banner')).toEqual({ present: false });
  });
});
