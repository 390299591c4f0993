// GET /metrics: the API process's Prometheus metrics (infra/metrics.ts) in the text exposition format,
// plus `campaigns_by_status`, read from the database at each scrape, so that an alert can fire on
// campaigns stuck in `evaluation_failed` (or any other phase) whichever API replica is scraped.
import { Router } from 'express';
import { Gauge } from 'prom-client';
import type { Db } from '../../db/client';
import { registry } from '../../infra/metrics';

let gaugeDb: Db | null = null;
new Gauge({
  name: 'campaigns_by_status',
  help: 'Campaigns by their row status (the workflow phase the database mirrors), e.g. evaluation_failed',
  labelNames: ['status'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    if (!gaugeDb) return;
    const rows = await gaugeDb.campaign.groupBy({ by: ['status'], _count: { _all: true } });
    for (const row of rows) this.set({ status: row.status }, row._count._all);
  },
});

export function metricsRoutes(db?: Db): Router {
  if (db) gaugeDb = db;
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  });
  return router;
}
