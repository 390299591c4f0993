// Heartbeat timeouts sized to the work (issue 14, finding 6): a killed worker's cohort step is retried
// elsewhere once its heartbeat timeout passes, so that timeout bounds the recovery (it was 60 s: 62 s
// seen). It must also exceed the longest silence of a healthy step — one channel call, bounded by the
// adapter's per-call timeout — or healthy steps would be retried as if their worker had died.
import { DEFAULT_CHANNEL_TIMEOUT_MS } from '../../../channels/http-adapter';
import { msToNumber } from '@temporalio/common/lib/time';
import { cohortStep } from '../../../workflows/activity-options';

const ms = (d: Parameters<typeof msToNumber>[0] | undefined) => msToNumber(d ?? 0);

it('a cohort step is picked up again within about 15 s of its worker dying', () => {
  expect(cohortStep.heartbeatTimeout).toBeDefined();
  expect(ms(cohortStep.heartbeatTimeout)).toBeLessThanOrEqual(15_000);
});

it('a healthy step (one channel call at most between heartbeats) never looks dead', () => {
  expect(ms(cohortStep.heartbeatTimeout)).toBeGreaterThan(DEFAULT_CHANNEL_TIMEOUT_MS);
});
