// The simulator process's plumbing: one log line per request, prompt shutdown with hung requests,
// and the fault book's precedence and reproducibility without HTTP.
import { FaultBook } from '../../../simulator/faults';
import type { RequestLogEntry } from '../../../simulator/server';
import { publishRequest, startHarness } from './harness';

describe('request log', () => {
  it('writes one entry per request, with channel, key, fault, and null status for abandoned calls', async () => {
    const entries: RequestLogEntry[] = [];
    const h = await startHarness({ log: (entry) => entries.push(entry) });
    try {
      await h.adapter().publish(publishRequest());
      await h.addFault({ channelCode: 'mobile-app', timeoutNext: 1, hangMs: 5_000 });
      await expect(
        h.adapter({ timeoutMs: 100 }).readBack('mobile-app', 'c1-home-banner'),
      ).rejects.toMatchObject({
        kind: 'timeout',
      });
      // The abandoned request is logged when its socket closes, shortly after the client gives up.
      for (let i = 0; i < 50 && entries.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
      expect(entries).toHaveLength(3);
      expect(entries[0]).toMatchObject({
        method: 'PUT',
        path: '/channels/mobile-app/placements/c1-home-banner',
        status: 201,
        channelCode: 'mobile-app',
        idempotencyKey: 'pub-c1-app-v1',
      });
      expect(entries[1]).toMatchObject({ method: 'POST', path: '/_sim/faults', status: 201 });
      expect(entries[2]).toMatchObject({ method: 'GET', status: null, fault: 'timeout' });
      expect(entries[2]!.ms).toBeGreaterThanOrEqual(90);
    } finally {
      await h.sim.close();
    }
  });
});

describe('shutdown', () => {
  it('closes promptly even while a request hangs on an injected timeout', async () => {
    const h = await startHarness();
    await h.addFault({ channelCode: '*', timeoutNext: 1, hangMs: 60_000 });
    const hanging = h
      .adapter({ timeoutMs: 30_000 })
      .readBack('x', 'p')
      .catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await h.sim.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await hanging).toMatchObject({ kind: 'network', retryable: true });
  });
});

describe('FaultBook', () => {
  it('consumes counted faults in precedence order: timeout, fail, reject, then drop', () => {
    const book = new FaultBook(1);
    book.add({ channelCode: 'a', dropWrites: 1, rejectNext: 1, failNext: 1, timeoutNext: 1 });
    const actions = Array.from({ length: 5 }, () => book.decide('a', 'publish').action);
    expect(actions).toEqual(['timeout', 'fail', 'reject', 'drop', 'none']);
  });

  it('matches by channel and operation, and reports the largest latency of matching rules', () => {
    const book = new FaultBook(1);
    book.add({ channelCode: '*', latencyMs: 10 });
    book.add({ channelCode: 'a', latencyMs: 30, operations: ['deliver'] });
    expect(book.decide('a', 'deliver').latencyMs).toBe(30);
    expect(book.decide('a', 'publish').latencyMs).toBe(10);
    expect(book.decide('b', 'deliver').latencyMs).toBe(10);
  });

  it('gives the same error sequence for the same seed', () => {
    const run = (seed: number) => {
      const book = new FaultBook(seed);
      book.add({ channelCode: 'a', errorRate: 0.3 });
      return Array.from({ length: 50 }, () => book.decide('a', 'readBack').action);
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
    expect(run(5).filter((a) => a === 'error').length).toBeGreaterThan(5);
  });
});
