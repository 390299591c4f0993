// Every activity the worker registers, built from injected dependencies (no module singletons).
// Workflows import only the *type* of this module.
import { createCampaignStatusActivities } from './campaign-status';
import { createCohortStatusActivities } from './cohort-status';
import { createCohortStepActivities } from './cohort-steps';
import type { ActivityDeps } from './deps';
import { createEvaluationActivities } from './evaluation';
import { createPacingActivities } from './pacing';
import { createPublishingActivities } from './publishing';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createCampaignStatusActivities(deps),
    ...createCohortStatusActivities(deps),
    ...createCohortStepActivities(deps),
    ...createPublishingActivities(deps),
    ...createEvaluationActivities(deps),
    ...createPacingActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
