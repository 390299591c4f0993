// Registrations that arrive after their cohort has closed: a channel system reports late, or a batch
// is retried after an outage. A cohort's steps never run before it closes, so such a member may have
// missed a step that already ran for the cohort; the cohort workflow is told, and runs its past steps
// again (idempotent by message id: only the late members get a message). See workflows/cohort.ts.
import type { RegistrationRow } from '../../db/bulk-insert';
import { cohortFor } from '../../domain/cohort';
import type { FunnelCampaign } from './campaign-context';

/** The keys of the cohorts, already closed at `now`, into which this batch stored messageable members. */
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
    if (Date.parse(cohort.end) <= now.getTime()) keys.add(cohort.key);
  }
  return [...keys].sort();
}
