// GET /metrics: the API process's Prometheus metrics (infra/metrics.ts) in the text exposition format.
import { Router } from 'express';
import { registry } from '../../infra/metrics';

export function metricsRoutes(): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  });
  return router;
}
