// Finishes campaign creations whose workflow start did not go through (Temporal was unreachable):
// every few seconds it starts the workflow of each campaign row that has none yet. Safe to run in
// every API replica: starts are idempotent by workflow id.
import type { Db } from '../../db/client';
import type { Logger } from '../../infra/logger';
import type { TemporalDeps } from '../temporal';
import { workflowInputFor } from './workflow-input';
import { startCampaignWorkflow } from './workflow-start';

export function startReconciler(db: Db, temporal: TemporalDeps, log: Logger, everyMs = 5000): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const pending = await db.campaign.findMany({
        where: { workflowStartedAt: null, origin: 'live', createdAt: { lt: new Date(Date.now() - 1000) } },
        take: 50,
      });
      for (const campaign of pending) {
        try {
          await startCampaignWorkflow(db, temporal, campaign, workflowInputFor(campaign));
          log.info('campaign workflow started by reconciler', { campaignId: campaign.id });
        } catch (err) {
          // One campaign that cannot start must not hold up the others.
          log.warn('reconciler could not start a campaign workflow; will retry', {
            campaignId: campaign.id,
            err: String(err),
          });
        }
      }
    } catch (err) {
      log.warn('reconciler could not start pending workflows; will retry', { err: String(err) });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
