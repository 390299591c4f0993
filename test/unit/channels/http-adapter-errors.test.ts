// How HttpChannelAdapter classifies failures (retryable or not) and what it sends, using a stub fetch
// for exact statuses and raw sockets for transport failures (refused, reset, stalled body).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChannelError, errorKindForStatus, type ChannelAdapter } from '../../../channels/adapter';
import { HttpChannelAdapter } from '../../../channels/http-adapter';
import { RoutingChannelAdapter } from '../../../channels/routing-adapter';
import { contentHash } from '../../../domain/material-content';
import { sampleContent } from './fixtures';

const content = sampleContent();
const publish = {
  idempotencyKey: 'key-1',
  channelCode: 'app',
  placementId: 'p1',
  campaignId: 'c1',
  materialVersionId: 'mv-1',
  contentHash: contentHash(content),
  content,
};

function stubbed(status: number, body?: unknown, seen: Request[] = []): HttpChannelAdapter {
  const fetchStub: typeof fetch = async (input, init) => {
    seen.push(new Request(input, init));
    const text = body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body);
    return new Response(status === 204 ? null : text, { status });
  };
  return new HttpChannelAdapter({ baseUrl: 'http://channel.example/api/', fetch: fetchStub });
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected failure');
    },
    (error: unknown) => error as ChannelError,
  );

describe('status classification', () => {
  it.each([500, 502, 503, 504, 408, 429])('HTTP %i is retryable', async (status) => {
    const error = await failure(stubbed(status, { error: 'x' }).publish(publish));
    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({ status, retryable: true, kind: 'unavailable' });
  });

  it.each([400, 401, 403, 404, 409, 422])('HTTP %i is not retryable', async (status) => {
    const error = await failure(stubbed(status, { error: 'bad', message: 'why' }).publish(publish));
    expect(error).toMatchObject({
      status,
      retryable: false,
      kind: 'rejected',
      code: 'bad',
      type: 'ChannelRejected',
    });
    expect(error.message).toContain('bad: why');
  });

  it('maps statuses to kinds', () => {
    expect(errorKindForStatus(503)).toBe('unavailable');
    expect(errorKindForStatus(418)).toBe('rejected');
    expect(errorKindForStatus(302)).toBe('protocol');
  });

  it('treats 404 on read-back as "not there", not as an error', async () => {
    expect(await stubbed(404, { error: 'placement_not_found' }).readBack('app', 'p1')).toEqual({
      present: false,
    });
  });
});

describe('protocol violations are not retryable', () => {
  it.each([
    ['a non-JSON body', '<html>ok</html>'],
    ['a missing externalRef', { publishedAt: '2024-01-01T00:00:00Z' }],
    ['a bad timestamp', { externalRef: 'x', publishedAt: 'yesterday' }],
  ])('publish answered with %s', async (_name, body) => {
    const error = await failure(stubbed(201, body).publish(publish));
    expect(error).toMatchObject({ kind: 'protocol', retryable: false, type: 'ChannelProtocolError' });
  });

  it('read-back of a live placement without a hash', async () => {
    const error = await failure(
      stubbed(200, { status: 'live', materialVersionId: 'mv-1' }).readBack('app', 'p1'),
    );
    expect(error).toMatchObject({ kind: 'protocol', retryable: false, operation: 'readBack' });
  });
});

describe('what the adapter sends', () => {
  it('puts the placement with the idempotency key and the agreed body', async () => {
    const seen: Request[] = [];
    const receipt = await stubbed(
      201,
      { externalRef: 'r1', publishedAt: '2024-01-01T00:00:00.000Z' },
      seen,
    ).publish(publish);
    expect(receipt).toEqual({ externalRef: 'r1', publishedAt: '2024-01-01T00:00:00.000Z', replayed: false });
    const request = seen[0]!;
    expect(request.method).toBe('PUT');
    expect(request.url).toBe('http://channel.example/api/channels/app/placements/p1');
    expect(request.headers.get('idempotency-key')).toBe('key-1');
    expect(await request.json()).toEqual({
      campaignId: 'c1',
      materialVersionId: 'mv-1',
      contentHash: publish.contentHash,
      content,
    });
  });

  it('passes configured headers (e.g. a partner API credential)', async () => {
    const seen: Request[] = [];
    const fetchStub: typeof fetch = async (input, init) => {
      seen.push(new Request(input, init));
      return new Response(null, { status: 204 });
    };
    const adapter = new HttpChannelAdapter({
      baseUrl: 'https://partner.example',
      headers: { authorization: 'Bearer test' },
      fetch: fetchStub,
    });
    await adapter.withdraw({ idempotencyKey: 'wd-1', channelCode: 'app', placementId: 'p1' });
    expect(seen[0]?.method).toBe('DELETE');
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer test');
    expect(seen[0]?.headers.get('idempotency-key')).toBe('wd-1');
  });

  it('refuses a malformed base URL at construction', () => {
    expect(() => new HttpChannelAdapter({ baseUrl: 'not a url' })).toThrow();
    expect(() => new HttpChannelAdapter({ baseUrl: 'file:///etc' })).toThrow(/http/);
  });
});

describe('transport failures (real sockets)', () => {
  let server: http.Server;
  let baseUrl: string;
  let behaviour: (req: http.IncomingMessage, res: http.ServerResponse) => void;

  beforeAll(async () => {
    server = http.createServer((req, res) => behaviour(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('a reset connection is retryable', async () => {
    behaviour = (req) => req.socket.destroy();
    const error = await failure(new HttpChannelAdapter({ baseUrl }).publish(publish));
    expect(error).toMatchObject({ kind: 'network', retryable: true, type: 'ChannelUnreachable' });
  });

  it('a channel that sends headers and then stalls the body times out', async () => {
    behaviour = (_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.write('{"externalRef":');
    };
    const started = Date.now();
    const error = await failure(new HttpChannelAdapter({ baseUrl, timeoutMs: 150 }).publish(publish));
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a refused connection is retryable', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(
      new HttpChannelAdapter({ baseUrl: `http://127.0.0.1:${port}` }).readBack('app', 'p'),
    );
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });
});

describe('RoutingChannelAdapter', () => {
  it('sends each call to the adapter serving its channel', async () => {
    const calls: string[] = [];
    const fake = (name: string): ChannelAdapter => ({
      publish: async () => (
        calls.push(`${name}.publish`),
        { externalRef: name, publishedAt: '', replayed: false }
      ),
      readBack: async () => (calls.push(`${name}.readBack`), { present: false }),
      withdraw: async () => void calls.push(`${name}.withdraw`),
      deliver: async (r) => (
        calls.push(`${name}.deliver`),
        { messageId: r.idempotencyKey, deliveredAt: '', replayed: false }
      ),
    });
    const adapters: Record<string, ChannelAdapter> = { app: fake('online'), branch: fake('offline') };
    const router = new RoutingChannelAdapter((code) => adapters[code]);
    await router.publish(publish);
    await router.readBack('branch', 'p');
    await router.withdraw({ idempotencyKey: 'w', channelCode: 'app', placementId: 'p' });
    expect(calls).toEqual(['online.publish', 'offline.readBack', 'online.withdraw']);
  });

  it('refuses an unknown channel as non-retryable', async () => {
    const router = new RoutingChannelAdapter(() => undefined);
    await expect(router.readBack('ghost', 'p')).rejects.toMatchObject({
      retryable: false,
      channelCode: 'ghost',
    });
  });
});
