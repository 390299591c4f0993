// Every activity the worker registers, built from injected dependencies (no module singletons).
// Workflows import only the *type* of this module.
import { createCampaignStatusActivities } from './campaign-status';
import type { ActivityDeps } from './deps';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createCampaignStatusActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
