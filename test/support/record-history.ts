// Records a finished workflow's history as a replay fixture when RECORD_HISTORIES=1, so that the
// replay test (test/integration/replay) proves later workflow code still replays it.
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';

export async function maybeRecordHistory(client: Client, workflowId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const file = path.resolve(__dirname, '..', 'fixtures', 'histories', `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(history));
}
