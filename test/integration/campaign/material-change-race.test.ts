// The race that could abandon an accepted material update (issue 14, finding 6): a change accepted
// while acquisition is open, with a cancel arriving in the same moment. The timing is forced by
// sending both while no worker runs, so the workflow receives them in one task: the change is accepted
// (acquisition is still open), then the loop ends on the cancel. The change must be refused with a
// reason, not left waiting until the workflow ends.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { campaignStateQuery, cancelCampaignUpdate, changeMaterialUpdate } from '../../../workflows/messages';
import { createTestContext, eventually, type TestContext } from '../../support/context';
import { createCampaign } from '../../support/campaigns';
import { maybeRecordHistory } from '../../support/record-history';
import { campaignWorkflowId } from '../../../workflows/ids';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.stop());

it('refuses a queued material change with a reason when a cancel closes acquisition at the same moment', async () => {
  const { id } = await createCampaign(ctx, { feeMinor: 0 });
  const handle = ctx.temporal.client.workflow.getHandle(campaignWorkflowId(id));
  const state = await eventually(async () => {
    const s = await handle.query(campaignStateQuery);
    return s.acquisitionOpen ? s : null;
  });
  const variantKey = state.materialVersion![0]!.variantKey;

  await ctx.stopWorker();
  const change = handle
    .executeUpdate(changeMaterialUpdate, {
      args: [{ actor: 'marketer', variantKey, materialVersionId: 'v-next', contentHash: 'f'.repeat(64) }],
    })
    .then(
      () => 'answered',
      (err: unknown) => err,
    );
  // Let the change reach the server first, then the cancel.
  await new Promise((r) => setTimeout(r, 500));
  const cancel = handle.executeUpdate(cancelCampaignUpdate, { args: [{ actor: 'ops', reason: 'stop' }] });
  await new Promise((r) => setTimeout(r, 500));
  await ctx.startWorker();

  await expect(cancel).resolves.toMatchObject({ cancelled: { by: 'ops' } });
  const outcome = await change;
  expect(outcome).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(((outcome as WorkflowUpdateFailedError).cause as Error).message).toContain(
    'acquisition closed (cancelled)',
  );
  // And the workflow ends (all handlers answered), as cancelled.
  await expect(handle.result()).resolves.toMatchObject({ phase: 'cancelled' });
  await maybeRecordHistory(ctx.temporal.client, handle.workflowId, 'campaign-queued-material-change-refused');
}, 120_000);
