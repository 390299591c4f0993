// Deny by default, enforced at review time: every route the app serves must have its own entry in the
// access policy (api/auth/policy.ts). A new route without one fails here — and would answer 403 to
// every role but admin.
import express from 'express';
import { createApp } from '../../../api/app';
import { listAppRoutes, type AppRoute } from '../../../api/auth/app-routes';
import { POLICY, resolvePolicy } from '../../../api/auth/policy';
import type { TemporalDeps } from '../../../api/temporal';
import type { Db } from '../../../db/client';
import { createLogger } from '../../../infra/logger';

// Building the app touches no dependency; routes only use them when called.
const app = createApp({
  db: {} as Db,
  temporal: {} as TemporalDeps,
  log: createLogger('test', 'error'),
  authenticate: async () => ({ id: 'x', name: 'x', role: 'admin', channelIds: [] }),
});
// Two middlewares mounted at /console (headers, static files) are one prefix to the policy.
const routes = [...new Map(listAppRoutes(app).map((r) => [`${r.method} ${r.path} ${r.prefix}`, r])).values()];

/** A concrete path for a pattern: each parameter becomes a value no literal segment has. */
const samplePath = (route: AppRoute) => route.path.replace(/:[A-Za-z_][A-Za-z0-9_]*/g, 'p-1');

/** What is wrong with a route's policy, or null: its sample path must resolve to an entry of its own. */
function policyGap(route: AppRoute): string | null {
  const resolved = resolvePolicy(route.method, samplePath(route));
  if (!resolved) return 'no policy entry';
  if (resolved.entry.method !== route.method || resolved.entry.path !== route.path) {
    return `falls under ${resolved.entry.method} ${resolved.entry.path}`;
  }
  if (route.prefix && !resolved.entry.prefix) return 'a mounted middleware needs a prefix entry';
  return null;
}

describe('the app routes', () => {
  it('are found by walking the routers (a sanity check of the walk itself)', () => {
    expect(routes).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: '/healthz', prefix: false },
        { method: 'POST', path: '/campaigns/:id/pause', prefix: false },
        { method: 'PATCH', path: '/channels/:code', prefix: false },
        { method: 'POST', path: '/api-keys/:id/revoke', prefix: false },
        { method: 'GET', path: '/console', prefix: true },
      ]),
    );
    expect(routes.length).toBeGreaterThanOrEqual(POLICY.length - 5);
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}${r.prefix ? '/…' : ''}`, r] as const))(
    '%s has its own policy entry',
    (_name, route) => expect(policyGap(route)).toBeNull(),
  );

  it('would catch a route added without an entry, one hiding under another pattern, and a new mount', () => {
    const added = express.Router();
    added.get('/campaigns/:id/secret-report', (_req, res) => res.end());
    added.delete('/campaigns/:id', (_req, res) => res.end());
    added.post('/campaigns/:id/events/:eventId', (_req, res) => res.end());
    added.use('/exports', express.static('.'));
    const extra = express();
    extra.use(added);
    expect(listAppRoutes(extra).map((r) => [r.method, r.path, policyGap(r)])).toEqual([
      ['GET', '/campaigns/:id/secret-report', 'no policy entry'],
      ['DELETE', '/campaigns/:id', 'no policy entry'],
      ['POST', '/campaigns/:id/events/:eventId', 'no policy entry'],
      ['GET', '/exports', 'no policy entry'],
    ]);
    const shadow = express();
    shadow.get('/campaigns/:campaignId', (_req, res) => res.end());
    expect(policyGap(listAppRoutes(shadow)[0] as AppRoute)).toBe('falls under GET /campaigns/:id');
  });
});
