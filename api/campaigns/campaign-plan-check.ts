// The checks and planning that every campaign draft goes through against the registry, shared by
// creation (POST /campaigns) and the dry run (POST /campaigns/validate) so that the two can never
// disagree: the channels (placement-plan.ts: exist, active, can show material, a variant of the
// material fits each), the education/engagement steps (their delivery channel exists, is active and
// can deliver messages; their material version exists) and the cohorts (the granularity does not
// cut the window into more cohorts than a campaign may run) and the pacing (domain/pacing-plan.ts: caps
// only for the campaign's channels, within the budget; adaptive needs a budget and bounded reviews).
// Reads only; writes nothing.
import type { Db } from '../../db/client';
import type { CreateCampaignRequest } from '../../domain/campaign-plan';
import { checkPacingPlan } from '../../domain/pacing-plan';
import { cohortsOfWindow, type Cohort } from '../../domain/cohort';
import type { FieldError } from '../problem';
import { planPlacements, type ChannelAllocation, type PlacementTrace } from './placement-plan';

export interface CampaignPlanCheck {
  allocations: ChannelAllocation[];
  /** Per allocated channel code: how every variant of the material fared (for the dry run's explanation). */
  traces: Map<string, PlacementTrace>;
  /** The registration cohorts the window splits into (empty when the granularity is refused). */
  cohorts: Cohort[];
  errors: FieldError[];
}

/** The workflow would fail at its start on a window cut into too many cohorts: refuse it up front. */
function planCohorts(request: CreateCampaignRequest): { cohorts: Cohort[]; errors: FieldError[] } {
  const { registrationWindow, cohortGranularity, timeZone } = request.plan;
  try {
    return { cohorts: cohortsOfWindow(registrationWindow, cohortGranularity, timeZone), errors: [] };
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    return { cohorts: [], errors: [{ field: 'plan.cohortGranularity', message: err.message }] };
  }
}

async function checkEngagementSteps(db: Db, request: CreateCampaignRequest): Promise<FieldError[]> {
  const steps = request.plan.engagementPlan.steps;
  if (steps.length === 0) return [];
  const errors: FieldError[] = [];
  const [channels, versions] = await Promise.all([
    db.channel.findMany({ where: { code: { in: [...new Set(steps.map((s) => s.channelCode))] } } }),
    db.materialVersion.findMany({
      where: { id: { in: [...new Set(steps.map((s) => s.materialVersionId))] } },
      select: { id: true },
    }),
  ]);
  const channelOf = new Map(channels.map((c) => [c.code, c]));
  const known = new Set(versions.map((v) => v.id));
  steps.forEach((step, i) => {
    const at = `plan.engagementPlan.steps.${i}`;
    const channel = channelOf.get(step.channelCode);
    if (!channel)
      errors.push({ field: `${at}.channelCode`, message: `unknown channel "${step.channelCode}"` });
    else if (channel.status === 'retired')
      errors.push({ field: `${at}.channelCode`, message: `channel "${step.channelCode}" is retired` });
    else if (!channel.canDeliverMessages)
      errors.push({
        field: `${at}.channelCode`,
        message: `channel "${step.channelCode}" cannot deliver messages`,
      });
    if (!known.has(step.materialVersionId))
      errors.push({
        field: `${at}.materialVersionId`,
        message: `unknown material version "${step.materialVersionId}"`,
      });
  });
  return errors;
}

export async function checkCampaignPlan(db: Db, request: CreateCampaignRequest): Promise<CampaignPlanCheck> {
  const [placements, stepErrors] = await Promise.all([
    planPlacements(db, request.channels, request.materialId),
    checkEngagementSteps(db, request),
  ]);
  const cohorts = planCohorts(request);
  const pacingErrors = checkPacingPlan(request.plan.pacing, {
    channels: request.channels,
    acquisitionBudgetMinor: request.plan.acquisitionBudgetMinor,
    registrationWindow: request.plan.registrationWindow,
    cohortGranularity: request.plan.cohortGranularity,
  });
  return {
    allocations: placements.allocations,
    traces: placements.traces,
    cohorts: cohorts.cohorts,
    errors: [...placements.errors, ...stepErrors, ...cohorts.errors, ...pacingErrors],
  };
}
