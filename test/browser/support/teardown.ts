// The end of a browser test file: what its beforeAll started, stopped again, last started first.
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { campaignWorkflowId } from '../../../workflows/ids';
import type { TestContext } from '../../support/context';
import { stopServing } from './serve';

/**
 * Closes Chromium and the server, terminates the campaigns' workflows (a campaign left running keeps the
 * shared Temporal server and the next file's worker busy) and stops the test context. Any of them may be
 * missing when the beforeAll failed half-way.
 */
export async function stopBrowserTest(started: {
  browser: Browser | undefined;
  server: Server | undefined;
  ctx: TestContext | undefined;
  campaignIds?: readonly (string | undefined)[];
}): Promise<void> {
  await started.browser?.close();
  await stopServing(started.server);
  for (const id of started.campaignIds ?? []) {
    if (id === undefined || !started.ctx) continue;
    await started.ctx.temporal.client.workflow
      .getHandle(campaignWorkflowId(id))
      .terminate('test done')
      .catch(() => undefined);
  }
  await started.ctx?.stop();
}
