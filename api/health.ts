// /healthz: the process is alive. /readyz: the database and Temporal both answer (503 otherwise),
// so a load balancer only sends traffic to an API that can do its work.
import { Router } from 'express';
import type { AppDeps } from './app';
import { withinDeadline } from './temporal';

async function check(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<{ ok: boolean; error?: string }> {
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
}

export function healthRoutes({ db, temporal }: AppDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [database, temporalCheck] = await Promise.all([
      check(() => db.$queryRaw`SELECT 1`),
      // With a deadline, not only a race: a call that merely lost the race would go on retrying in the
      // background (the SDK's retry interceptor), past this answer and past a closed connection.
      check(() => withinDeadline(temporal, () => temporal.client.workflowService.getSystemInfo({}), 2000)),
    ]);
    const ready = database.ok && temporalCheck.ok;
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', checks: { database, temporal: temporalCheck } });
  });
  return router;
}
