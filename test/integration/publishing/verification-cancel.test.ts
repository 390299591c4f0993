// A cancelled verification (the worker shutting down, the campaign ending) stops reading back: the
// attempt ends within the channel calls already in flight instead of checking every placement left.
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createPublishingActivities } from '../../../activities/publishing';
import { systemClock } from '../../../activities/deps';
import { seedCampaign, seedPlacement } from '../funnel/fixtures';
import { createTestContext, type TestContext } from '../../support/context';
import { simulatorClient } from '../../support/simulator';

let ctx: TestContext;
let sim: ReturnType<typeof simulatorClient>;
beforeAll(async () => {
  ctx = await createTestContext({ worker: false });
  sim = simulatorClient(ctx.simulatorUrl);
});
afterAll(() => ctx.stop());

it('stops taking placements once cancelled, and says so', async () => {
  const channels = 40;
  const campaign = await seedCampaign(ctx.db, { channels });
  for (let i = 0; i < channels; i++) await seedPlacement(ctx.db, campaign, i);
  for (const channel of campaign.channels)
    await sim.fault({ channelCode: channel.code, operations: ['readBack'], latencyMs: 200 });
  const { verifyPlacements } = createPublishingActivities({
    db: ctx.db,
    clock: systemClock,
    simulatorUrl: ctx.simulatorUrl,
  });

  try {
    const env = new MockActivityEnvironment();
    // The first placement checked: cancel, as Temporal does when the worker shuts down.
    env.once('heartbeat', () => env.cancel());
    await expect(env.run(verifyPlacements, { campaignId: campaign.id })).rejects.toBeInstanceOf(
      CancelledFailure,
    );
  } finally {
    for (const channel of campaign.channels) await sim.clearFaults(channel.code);
  }

  // Ten read-backs run at a time: those in flight when the cancel came finish, nothing after them.
  const checked = await ctx.db.placement.count({
    where: { campaignId: campaign.id, lastCheckedAt: { not: null } },
  });
  expect(checked).toBeGreaterThan(0);
  expect(checked).toBeLessThanOrEqual(20);

  // Uncancelled, the same activity checks every placement (none is on the simulator: all drifted).
  const result = await verifyPlacements({ campaignId: campaign.id });
  expect(result.checked).toBe(channels);
});
