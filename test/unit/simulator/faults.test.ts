// Each fault the simulator can inject, seen through HttpChannelAdapter over real HTTP: how the
// failure surfaces as a ChannelError, whether it is retryable, and what the channel stored meanwhile.
import { ChannelError } from '../../../channels/adapter';
import { sampleContent } from '../channels/fixtures';
import { publishRequest, startHarness, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ seed: 7 });
});
afterAll(async () => {
  await h.sim.close();
});
beforeEach(async () => {
  await h.control('/_sim/reset', { method: 'POST' });
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => {
      if (!(error instanceof ChannelError)) throw error;
      return error;
    },
  );

describe('failNext', () => {
  it('answers 503 for the next n calls (retryable), then recovers', async () => {
    await h.addFault({ channelCode: 'mobile-app', failNext: 2 });
    const adapter = h.adapter();
    for (let i = 0; i < 2; i++) {
      const error = await failure(adapter.publish(publishRequest()));
      expect(error).toMatchObject({
        status: 503,
        kind: 'unavailable',
        retryable: true,
        type: 'ChannelUnavailable',
      });
    }
    expect((await adapter.publish(publishRequest())).replayed).toBe(false);
    expect(await h.stats('mobile-app')).toMatchObject({ injectedErrors: 2, publishesAccepted: 1 });
  });

  it('only affects the chosen operations and channel', async () => {
    await h.addFault({ channelCode: 'mobile-app', operations: ['readBack'], failNext: 1 });
    const adapter = h.adapter();
    await adapter.publish(publishRequest());
    await adapter.publish(publishRequest({ channelCode: 'wechat' }));
    expect((await adapter.readBack('wechat', 'c1-home-banner')).present).toBe(true);
    await expect(adapter.readBack('mobile-app', 'c1-home-banner')).rejects.toMatchObject({ status: 503 });
    expect((await adapter.readBack('mobile-app', 'c1-home-banner')).present).toBe(true);
  });

  it("applies to every channel with '*'", async () => {
    await h.addFault({ channelCode: '*', failNext: 2 });
    const adapter = h.adapter();
    await expect(adapter.readBack('a', 'p')).rejects.toMatchObject({ status: 503 });
    await expect(adapter.readBack('b', 'p')).rejects.toMatchObject({ status: 503 });
    expect(await adapter.readBack('c', 'p')).toEqual({ present: false });
  });
});

describe('rejectNext', () => {
  it('answers 422, which is not retryable', async () => {
    await h.addFault({ channelCode: 'mobile-app', rejectNext: 1 });
    const error = await failure(h.adapter().publish(publishRequest()));
    expect(error).toMatchObject({
      status: 422,
      kind: 'rejected',
      retryable: false,
      code: 'injected_rejection',
    });
    expect((await h.stats('mobile-app')).publishesAccepted).toBe(0);
  });
});

describe('errorRate', () => {
  const outcomes = async (n: number) => {
    const adapter = h.adapter();
    const results: string[] = [];
    for (let i = 0; i < n; i++) {
      results.push(
        await adapter.readBack('mobile-app', 'p').then(
          () => 'ok',
          (e: ChannelError) => String(e.status),
        ),
      );
    }
    return results;
  };

  it('fails about that share of calls with 500, reproducibly for a given seed', async () => {
    await h.addFault({ channelCode: 'mobile-app', errorRate: 0.5, seed: 42 });
    const first = await outcomes(40);
    await h.control('/_sim/reset', { method: 'POST' });
    await h.addFault({ channelCode: 'mobile-app', errorRate: 0.5, seed: 42 });
    const second = await outcomes(40);
    expect(second).toEqual(first);
    const errors = first.filter((o) => o === '500').length;
    expect(errors).toBeGreaterThan(8);
    expect(errors).toBeLessThan(32);

    await h.control('/_sim/reset', { method: 'POST' });
    await h.addFault({ channelCode: 'mobile-app', errorRate: 0.5, seed: 43 });
    expect(await outcomes(40)).not.toEqual(first);
  });

  it('with rate 1 fails every call as retryable', async () => {
    await h.addFault({ channelCode: 'mobile-app', errorRate: 1 });
    const error = await failure(
      h.adapter().deliver({
        idempotencyKey: 'm1',
        channelCode: 'mobile-app',
        campaignId: 'c1',
        customerRef: 'cust-1',
        stepId: 's1',
        kind: 'engagement',
        content: sampleContent(),
      }),
    );
    expect(error).toMatchObject({ status: 500, retryable: true, operation: 'deliver' });
    expect((await h.stats('mobile-app')).messagesDelivered).toBe(0);
  });
});

describe('timeoutNext', () => {
  it('hangs past the client timeout without applying the write (mode before)', async () => {
    await h.addFault({ channelCode: 'mobile-app', timeoutNext: 1, hangMs: 10_000 });
    const started = Date.now();
    const error = await failure(h.adapter({ timeoutMs: 200 }).publish(publishRequest()));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toMatchObject({
      kind: 'timeout',
      retryable: true,
      type: 'ChannelTimeout',
      operation: 'publish',
    });
    expect(await h.adapter().readBack('mobile-app', 'c1-home-banner')).toEqual({ present: false });
    expect(await h.stats('mobile-app')).toMatchObject({ injectedTimeouts: 1, publishesAccepted: 0 });
  });

  it('applies the write but loses the answer (mode after); the retry with the same key is a replay', async () => {
    await h.addFault({ channelCode: 'mobile-app', timeoutNext: 1, timeoutMode: 'after', hangMs: 10_000 });
    const adapter = h.adapter({ timeoutMs: 200 });
    await expect(adapter.publish(publishRequest())).rejects.toMatchObject({ kind: 'timeout' });
    const retry = await adapter.publish(publishRequest());
    expect(retry.replayed).toBe(true);
    expect(await h.stats('mobile-app')).toMatchObject({
      publishesAccepted: 1,
      publishReplays: 1,
      duplicatePlacements: 0,
      livePlacements: 1,
    });
  });

  it('answers 504 (retryable) when the hang is shorter than the client timeout', async () => {
    await h.addFault({ channelCode: 'mobile-app', timeoutNext: 1, hangMs: 50 });
    const error = await failure(h.adapter({ timeoutMs: 2_000 }).readBack('mobile-app', 'p'));
    expect(error).toMatchObject({ status: 504, kind: 'unavailable', retryable: true });
  });

  it('uses the per-operation timeout when one is configured', async () => {
    await h.addFault({ channelCode: 'mobile-app', operations: ['readBack'], latencyMs: 400 });
    const adapter = h.adapter({ timeoutMs: 2_000, timeoutsMs: { readBack: 100 } });
    await expect(adapter.readBack('mobile-app', 'p')).rejects.toMatchObject({ kind: 'timeout' });
    await expect(adapter.publish(publishRequest())).resolves.toMatchObject({ replayed: false });
  });
});

describe('latencyMs', () => {
  it('delays every matching call', async () => {
    await h.addFault({ channelCode: 'mobile-app', latencyMs: 150 });
    const started = Date.now();
    await h.adapter().readBack('mobile-app', 'p');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('dropWrites', () => {
  it('answers success but stores nothing, so only read-back can tell', async () => {
    await h.addFault({ channelCode: 'mobile-app', dropWrites: 1 });
    const adapter = h.adapter();
    const receipt = await adapter.publish(publishRequest());
    expect(receipt.replayed).toBe(false);
    expect(await adapter.readBack('mobile-app', 'c1-home-banner')).toEqual({ present: false });
    // The lost write forgot the key too, so the retry really places the material.
    expect((await adapter.publish(publishRequest())).replayed).toBe(false);
    expect((await adapter.readBack('mobile-app', 'c1-home-banner')).status).toBe('live');
    expect(await h.stats('mobile-app')).toMatchObject({
      droppedWrites: 1,
      publishesAccepted: 1,
      duplicatePlacements: 0,
    });
  });

  it('drops a withdrawal, leaving the placement live', async () => {
    const adapter = h.adapter();
    await adapter.publish(publishRequest());
    await h.addFault({ channelCode: 'mobile-app', operations: ['withdraw'], dropWrites: 1 });
    await adapter.withdraw({
      idempotencyKey: 'wd',
      channelCode: 'mobile-app',
      placementId: 'c1-home-banner',
    });
    expect((await adapter.readBack('mobile-app', 'c1-home-banner')).status).toBe('live');
  });

  it('never drops reads', async () => {
    await h.addFault({ channelCode: 'mobile-app', dropWrites: 1 });
    await h.adapter().readBack('mobile-app', 'p');
    const [fault] = (
      (await (await h.control('/_sim/faults')).json()) as {
        faults: Array<{ remaining: { dropWrites: number } }>;
      }
    ).faults;
    expect(fault?.remaining.dropWrites).toBe(1);
  });
});

describe('drift', () => {
  it('changes what live placements show, so the read-back hash no longer matches', async () => {
    const adapter = h.adapter();
    const request = publishRequest();
    await adapter.publish(request);
    await adapter.publish(publishRequest({ idempotencyKey: 'k2', placementId: 'c2-feed', campaignId: 'c2' }));
    const result = await h.addFault({
      channelCode: 'mobile-app',
      drift: true,
      placementId: 'c1-home-banner',
    });
    expect(result).toEqual({ id: null, drifted: 1 });

    const drifted = await adapter.readBack('mobile-app', 'c1-home-banner');
    expect(drifted).toMatchObject({ present: true, status: 'live', materialVersionId: 'mv-1' });
    expect(drifted.contentHash).not.toBe(request.contentHash);
    expect((await adapter.readBack('mobile-app', 'c2-feed')).contentHash).toBe(request.contentHash);
    expect((await h.stats('mobile-app')).driftedPlacements).toBe(1);
  });

  it('leaves withdrawn placements alone', async () => {
    const adapter = h.adapter();
    await adapter.publish(publishRequest());
    await adapter.withdraw({
      idempotencyKey: 'wd',
      channelCode: 'mobile-app',
      placementId: 'c1-home-banner',
    });
    expect(await h.addFault({ channelCode: '*', drift: true })).toEqual({ id: null, drifted: 0 });
  });
});

describe('fault management', () => {
  it('clears faults for one channel or all', async () => {
    await h.addFault({ channelCode: 'a', failNext: 5 });
    await h.addFault({ channelCode: 'b', failNext: 5 });
    await h.control('/_sim/faults?channelCode=a', { method: 'DELETE' });
    const adapter = h.adapter();
    await expect(adapter.readBack('a', 'p')).resolves.toEqual({ present: false });
    await expect(adapter.readBack('b', 'p')).rejects.toMatchObject({ status: 503 });
    await h.control('/_sim/faults', { method: 'DELETE' });
    await expect(adapter.readBack('b', 'p')).resolves.toEqual({ present: false });
  });

  it('refuses an invalid fault rule', async () => {
    const response = await h.control('/_sim/faults', {
      method: 'POST',
      body: JSON.stringify({ channelCode: 'a', errorRate: 2 }),
    });
    expect(response.status).toBe(400);
    const unknown = await h.control('/_sim/faults', {
      method: 'POST',
      body: JSON.stringify({ channelCode: 'a', explode: true }),
    });
    expect(unknown.status).toBe(400);
  });
});
