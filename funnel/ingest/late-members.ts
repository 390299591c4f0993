// Registrations that arrive after their cohort has closed: a channel system reports late, or a batch
// is retried after an outage. A cohort's steps never run before it closes, so such a member may have
// missed a step that already ran for the cohort; the cohort workflow is told, and runs its past steps
// again (idempotent by message id: only the late members get a message). See workflows/cohort.ts.
import type { RegistrationRow } from '../../db/bulk-insert';
import { cohortFor } from '../../domain/cohort';
import type { FunnelCampaign } from './campaign-context';

/**
 * How close to its end a cohort already counts as closed. `now` is read on the API's clock after the
 * batch committed; the cohort's first step starts on the worker's, at the cohort's end. Signalling a cohort
 * that had not closed yet costs one page scan that finds nobody to message; missing one costs messages.
 */
export const CLOSING_MARGIN_MS = 5_000;

/**
 * The keys of the cohorts, closed (or within CLOSING_MARGIN_MS of closing) at `now`, into which this batch
 * stored messageable members. Call it with a clock read after the batch committed: a batch that waited for
 * the campaign lock while its cohort closed and a step read the cohort is late too (a race read from the
 * code after an early bench:cluster run came up 176 messages short of 67,232, when `now` was read before
 * the lock).
 */
export function lateCohortKeys(
  campaign: FunnelCampaign,
  rows: readonly RegistrationRow[],
  now: Date,
): string[] {
  const grouping = {
    windowStart: campaign.plan.registrationWindow.start,
    granularity: campaign.plan.cohortGranularity,
    timeZone: campaign.plan.timeZone,
  };
  const keys = new Set<string>();
  for (const row of rows) {
    // Flagged and control-group members get no step, so they are never late for one.
    if (row.flagReason !== null || row.arm !== 'treatment' || keys.has(row.cohortKey)) continue;
    const cohort = cohortFor(row.registeredAt.toISOString(), grouping);
    if (Date.parse(cohort.end) - CLOSING_MARGIN_MS <= now.getTime()) keys.add(cohort.key);
  }
  return [...keys].sort();
}
