// What createApp mounts for access control, built from its injected dependencies: CORS first (a
// preflight carries no key), then the access gate (authentication, rate limit, role). The channel scope
// of ingest runs later, once the body is parsed (channel-scope.ts).
import type { RequestHandler } from 'express';
import type { Db } from '../../db/client';
import type { Logger } from '../../infra/logger';
import { accessControl } from './access-control';
import { apiKeyAuthenticator, headerAuthenticator, type Authenticator } from './authenticator';
import { cors } from './cors';
import { postgresRateLimiter, type RateLimits } from './rate-limit';

export interface AccessDeps {
  db: Db;
  log: Logger;
  /** How callers prove who they are; default: API keys (header names under NODE_ENV=test only). */
  authenticate?: Authenticator;
  /** Per-key limits; absent: none. api/main.ts always sets them from the environment. */
  rateLimits?: RateLimits;
  /** Origins allowed to call the API from a browser (CORS); absent or empty: CORS is off. */
  corsOrigins?: readonly string[];
}

export function accessGate(deps: AccessDeps): RequestHandler[] {
  return [
    cors(deps.corsOrigins ?? []),
    accessControl({
      authenticate: deps.authenticate ?? defaultAuthenticator(deps),
      rateLimiter: deps.rateLimits && postgresRateLimiter(deps.db, deps.rateLimits),
    }),
  ];
}

/**
 * API keys, except under jest (NODE_ENV=test), where an app built without an authenticator trusts the
 * X-Actor / X-Role headers so that tests written before API keys keep working. A server never runs with
 * NODE_ENV=test, and api/main.ts passes the API-key authenticator explicitly anyway.
 */
function defaultAuthenticator(deps: AccessDeps): Authenticator {
  if (process.env.NODE_ENV !== 'test') return apiKeyAuthenticator(deps.db);
  deps.log.warn('NODE_ENV=test: callers are named by the X-Actor / X-Role headers, not API keys');
  return headerAuthenticator;
}
