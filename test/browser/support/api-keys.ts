// Real API keys for the browser tests that sign in as the console's users do: the API served with the
// key authenticator (the test context's app trusts X-Actor / X-Role instead), keys issued straight into
// the database, and the console's sign-in by typing a key.
import type { Server } from 'node:http';
import type { Page } from 'playwright-core';
import { createApp } from '../../../api/app';
import { createApiKey } from '../../../api/auth/api-key-store';
import { apiKeyAuthenticator } from '../../../api/auth/authenticator';
import type { Role } from '../../../api/auth/principal';
import { createLogger } from '../../../infra/logger';
import type { TestContext } from '../../support/context';
import { serve } from './serve';

/** The API on a free local port, where a caller is who their key says, with the role it carries. */
export function serveWithApiKeys(ctx: TestContext): Promise<{ server: Server; baseUrl: string }> {
  const app = createApp({
    db: ctx.db,
    temporal: ctx.temporal,
    log: createLogger('test', 'error'),
    authenticate: apiKeyAuthenticator(ctx.db),
  });
  return serve(app);
}

/** A new key named `name` with `role` for every channel; returns its secret. */
export async function issueKey(ctx: TestContext, name: string, role: Role): Promise<string> {
  return (await createApiKey(ctx.db, { name, role, channelIds: [] }, 'test')).key;
}

/** Types the key into the header; the page knows the user once GET /me names them. */
export async function signInWithKey(page: Page, baseUrl: string, key: string, name: string): Promise<void> {
  await page.goto(`${baseUrl}/console/`);
  // Typing and leaving the field (input, then change) fall in one debounce window: one GET /me. Waiting
  // for it means no later session refresh re-renders a page while the test fills its form.
  const me = page.waitForResponse((res) => new URL(res.url()).pathname === '/me');
  await page.locator('#api-key').fill(key);
  await page.locator('#api-key').press('Tab');
  await me;
  await page.locator('#whoami', { hasText: name }).waitFor();
}
