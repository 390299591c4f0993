// Replays recorded campaign histories (test/fixtures/histories) with the current workflow code.
// A change that would make running campaigns non-deterministic fails here: such changes need
// `patched()` (see docs/architecture.md, "Versioning workflows").
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { getWorkflowBundle } from '../../../worker/workflow-bundle';

const dir = path.resolve(__dirname, '..', '..', 'fixtures', 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('recorded histories replay with the current workflow code', () => {
  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', async (file) => {
    // Fixtures are protobufjs JSON (what test/support/record-history.ts writes): fromObject inverts it.
    const history = temporal.api.history.v1.History.fromObject(
      JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')),
    );
    const workflowId = path.basename(file, '.json');
    // runReplayHistory throws DeterminismViolationError (or ReplayError) on non-determinism.
    await expect(
      Worker.runReplayHistory({ workflowBundle: await getWorkflowBundle() }, history, workflowId),
    ).resolves.toBeUndefined();
  });
});
