// What the traffic generator's integration tests share: the real API served over HTTP on a free loopback
// port (authenticated by real API keys, as a channel system would call it), a channel-system key for a
// campaign's channels, and a loopback proxy that can lose answers or fail requests on the way.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../../api/app';
import { createApiKey } from '../../../api/auth/api-key-store';
import { apiKeyAuthenticator } from '../../../api/auth/authenticator';
import { createLogger } from '../../../infra/logger';
import type { TestContext } from '../../support/context';
import { uniq } from '../../support/fixtures';

export interface Served {
  url: string;
  close(): Promise<void>;
}

function listen(server: http.Server): Promise<Served> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

export function serveApi(ctx: TestContext): Promise<Served> {
  const app = createApp({
    db: ctx.db,
    temporal: ctx.temporal,
    log: createLogger('traffic-test', 'error'),
    authenticate: apiKeyAuthenticator(ctx.db),
  });
  return listen(http.createServer(app));
}

export async function channelSystemKey(ctx: TestContext, channelCodes: string[]): Promise<string> {
  const { key } = await createApiKey(
    ctx.db,
    { name: uniq('traffic'), role: 'channel-system', channelIds: channelCodes },
    'traffic-test',
  );
  return key;
}

/**
 * What the proxy does to the n-th POST (1-based): 'lose' forwards it and then cuts the connection before
 * the answer reaches the client (the batch was stored, the client does not know); 'fail' answers 503
 * without forwarding. GETs always pass.
 */
export type Fault = 'lose' | 'fail';

export interface FlakyProxy extends Served {
  faultsDone: number;
  posts: number;
}

export async function flakyProxy(
  target: string,
  faultOf: (post: number) => Fault | null,
): Promise<FlakyProxy> {
  const state = { faultsDone: 0, posts: 0 };
  const server = http.createServer((req, res) => {
    const fault = req.method === 'POST' ? faultOf(++state.posts) : null;
    if (fault === 'fail') {
      state.faultsDone += 1;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'Service Unavailable', detail: 'injected by the test proxy' }));
      return;
    }
    const upstream = http.request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: req.headers },
      (answer) => {
        if (fault === 'lose') {
          state.faultsDone += 1;
          answer.resume();
          // The API has answered (the batch is committed): the client never hears of it.
          answer.once('end', () => res.socket?.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.once('error', () => res.socket?.destroy());
    req.pipe(upstream);
  });
  const served = await listen(server);
  return {
    ...served,
    get faultsDone() {
      return state.faultsDone;
    },
    get posts() {
      return state.posts;
    },
  };
}
