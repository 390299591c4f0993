// Helpers for the auth tests: real API keys created through the store the `npm run keys` command and
// the /api-keys endpoint use, and an app that authenticates them exactly as api/main.ts does.
import type { Express } from 'express';
import { createApp, type AppDeps } from '../../../api/app';
import { createApiKey } from '../../../api/auth/api-key-store';
import { apiKeyAuthenticator } from '../../../api/auth/authenticator';
import type { Role } from '../../../api/auth/principal';
import type { Db } from '../../../db/client';
import { createLogger, type Logger } from '../../../infra/logger';
import type { TestContext } from '../../support/context';
import { uniq } from '../../support/fixtures';

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

/** A key of `role` (channel-system keys need their channels), named uniquely: the name is the actor. */
export async function keyFor(db: Db, role: Role, channelIds: string[] = []) {
  const name = uniq(`${role}-key`);
  const { key, apiKey } = await createApiKey(db, { name, role, channelIds }, 'auth-test');
  return { key, id: apiKey.id, name };
}

/** The production app's access control (API keys) over the test context's database and Temporal. */
export function keyedApp(ctx: TestContext, deps: Partial<AppDeps> = {}): Express {
  return createApp({
    db: ctx.db,
    temporal: ctx.temporal,
    log: createLogger('test', 'error'),
    authenticate: apiKeyAuthenticator(ctx.db),
    ...deps,
  });
}

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** A Logger that keeps its lines, so a test can find the one a request wrote. */
export function recordingLogger(lines: LogLine[], base: Record<string, unknown> = {}): Logger {
  const write = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    void lines.push({ ...base, ...fields, level, msg });
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => recordingLogger(lines, { ...base, ...fields }),
  };
}
