// GET /console/demo-session (api/demo-session.ts): the console is prefilled with the demo marketer's
// key only in demo mode AND while the API listens on loopback; otherwise 404, and the key is nowhere
// in the answer. Runs the real app (access gate, API-key authentication) over real HTTP.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../../api/app';
import { apiKeyAuthenticator } from '../../../api/auth/authenticator';
import { createApiKey } from '../../../api/auth/api-key-store';
import { isLoopback, type DemoSession } from '../../../api/demo-session';
import { createLogger } from '../../../infra/logger';
import { createTestContext, type TestContext } from '../../support/context';
import { uniq } from '../../support/fixtures';

let ctx: TestContext;
let demoKey: string;
const servers: Server[] = [];

beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  demoKey = (
    await createApiKey(ctx.db, { name: uniq('demo.marketer'), role: 'marketer', channelIds: [] }, 'test')
  ).key;
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await ctx.stop();
});

/** The real app as api/main.ts builds it, listening on a free loopback port. */
async function serve(demoSession: DemoSession | null): Promise<string> {
  const app = createApp({
    db: ctx.db,
    temporal: ctx.temporal,
    log: createLogger('test', 'error'),
    authenticate: apiKeyAuthenticator(ctx.db),
    demoSession,
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the console demo session', () => {
  it('hands out the demo key in demo mode on loopback, and the key works', async () => {
    const url = await serve({ apiKey: demoKey, actor: 'demo.li-na', listenHost: '127.0.0.1' });
    const res = await fetch(`${url}/console/demo-session`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ apiKey: demoKey, actor: 'demo.li-na' });
    const campaigns = await fetch(`${url}/campaigns`, { headers: { Authorization: `Bearer ${demoKey}` } });
    expect(campaigns.status).toBe(200);
  });

  it('refuses outside demo mode', async () => {
    const url = await serve(null);
    const res = await fetch(`${url}/console/demo-session`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.text()).not.toContain('ck_');
  });

  it('refuses in demo mode when the API listens beyond loopback', async () => {
    for (const listenHost of ['0.0.0.0', '::', '192.168.1.20', 'bank.example']) {
      const url = await serve({ apiKey: demoKey, actor: 'demo.li-na', listenHost });
      const res = await fetch(`${url}/console/demo-session`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain(demoKey);
    }
  });

  it('tells loopback hosts from the rest', () => {
    for (const host of [
      '127.0.0.1',
      '127.8.0.1',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
      'localhost',
      'LOCALHOST',
    ]) {
      expect(isLoopback(host)).toBe(true);
    }
    for (const host of [
      '0.0.0.0',
      '::',
      '10.0.0.1',
      '127.0.0.1.evil.example',
      'localhost.example',
      '',
      undefined,
    ]) {
      expect(isLoopback(host)).toBe(false);
    }
  });
});
