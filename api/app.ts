// The Express application: conventions (request ids, JSON logs, problem+json errors, body limits,
// media types) and the routes. Dependencies are injected so tests build it against real servers.
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import type { Db } from '../db/client';
import type { LaunchApprovalConfig } from '../domain/launch-approval';
import type { Logger } from '../infra/logger';
import { httpMetrics } from '../infra/metrics';
import { adjustmentRoutes } from './adjustments/routes';
import { accessGate, type AccessDeps } from './auth/gate';
import { channelScope } from './auth/channel-scope';
import { meRoutes } from './auth/me';
import { apiKeyRoutes } from './auth/routes';
import { campaignRoutes } from './campaigns/routes';
import { pacingRoutes } from './campaigns/pacing-routes';
import { consoleRoutes } from './console';
import { contactPolicyRoutes } from './contact-policy/routes';
import { customerRoutes } from './customers/routes';
import { demoSessionRoutes, type DemoSession } from './demo-session';
import { funnelRoutes } from './funnel/routes';
import { placementRoutes } from './placements/routes';
import { channelRoutes } from './channels/routes';
import { evaluationRoutes } from './evaluation/routes';
import { healthRoutes } from './health';
import { inputGuard } from './input-guard';
import { materialRoutes } from './materials/routes';
import { openApiRoutes } from './openapi/routes';
import { metricsRoutes } from './ops/metrics-route';
import { opsRoutes } from './ops/routes';
import { planningRoutes } from './planning/routes';
import { Problem, problemHandler } from './problem';
import type { TemporalDeps } from './temporal';

export interface AppDeps extends Pick<AccessDeps, 'authenticate' | 'rateLimits' | 'corsOrigins'> {
  db: Db;
  temporal: TemporalDeps;
  log: Logger;
  /** Demo mode only (npm start, docs/demo.md): the key the console may be prefilled with. */
  demoSession?: DemoSession | null;
  /** Launch approval's threshold (LAUNCH_APPROVAL_ABOVE_MINOR); null or absent: off. */
  launchApproval?: LaunchApprovalConfig | null;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const incoming = req.header('X-Request-Id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.locals.log = deps.log.child({ requestId });
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      (res.locals.log as Logger).info('request', {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
      });
    });
    next();
  });

  // Latency by route pattern, for every answer including refusals (docs/api/operations.md).
  app.use(httpMetrics());

  // Who is calling, and may they (api/auth, docs/api/auth.md): before any body is read.
  app.use(accessGate(deps));

  // Bodies: JSON only (415 otherwise), at most 1 MB (413).
  app.use((req, _res, next) => {
    const hasBody =
      Number(req.header('content-length') ?? 0) > 0 || req.header('transfer-encoding') !== undefined;
    if (hasBody && ['POST', 'PUT', 'PATCH'].includes(req.method) && !req.is('application/json')) {
      return next(new Problem(415, 'Unsupported Media Type', 'send the body as application/json'));
    }
    next();
  });
  app.use(express.json({ limit: '1mb' }));
  app.use(inputGuard);
  app.use(channelScope(deps.db));

  app.use(healthRoutes(deps));
  app.use(openApiRoutes());
  app.use(metricsRoutes(deps.db));
  app.use(demoSessionRoutes(deps.demoSession ?? null));
  app.use(consoleRoutes());
  app.use(campaignRoutes(deps.db, deps.temporal, deps.log, { launchApproval: deps.launchApproval ?? null }));
  app.use(pacingRoutes(deps.db, deps.temporal));
  app.use(opsRoutes(deps.db, deps.temporal));
  app.use(evaluationRoutes(deps.db));
  app.use(planningRoutes(deps.db));
  app.use(funnelRoutes(deps.db, deps.temporal));
  app.use(adjustmentRoutes(deps.db));
  app.use(placementRoutes(deps.db, deps.temporal));
  app.use(channelRoutes(deps.db));
  app.use(materialRoutes(deps.db));
  app.use(apiKeyRoutes(deps.db));
  app.use(contactPolicyRoutes(deps.db));
  app.use(customerRoutes(deps.db));
  app.use(meRoutes());

  app.use((req, _res, next) => next(new Problem(404, 'Not Found', `no route for ${req.method} ${req.path}`)));
  app.use(problemHandler);
  return app;
}
