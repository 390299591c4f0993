// One use case: plan an allocation from the facts. Validates the request against the database (the
// channels exist; the history campaigns exist and are in the budget's currency), reads the history,
// builds the plan. Refusals are 400 problems naming each field. Used by the route and by the backtest
// (scripts/backtest.ts), so both plan exactly the same way.
import type { Db } from '../../db/client';
import { HistorySelectionError, loadPlanningHistory, type HistoryCampaign } from '../../planning/db-history';
import { buildPlan, PlanningInputError, type Candidate, type Plan } from '../../planning/plan';
import { validationProblem, type FieldError } from '../problem';
import type { PlanRequest } from './schemas';

export interface PlannedAllocation {
  readonly plan: Plan;
  readonly campaigns: readonly HistoryCampaign[];
  /** What was left out of the history and why, and other remarks for the reader. */
  readonly notes: readonly string[];
}

export async function planAllocation(db: Db, request: PlanRequest, now: Date): Promise<PlannedAllocation> {
  const currency = request.budget.currency;
  const codes = [...new Set(request.channels.map((c) => c.channelCode))];
  const rows = await db.channel.findMany({
    where: { code: { in: codes } },
    select: { id: true, code: true, kind: true, retiredAt: true },
  });
  const byCode = new Map(rows.map((row) => [row.code, row]));
  const errors: FieldError[] = [];
  request.channels.forEach((c, i) => {
    if (!byCode.has(c.channelCode))
      errors.push({
        field: `channels.${i}.channelCode`,
        message: `no channel "${c.channelCode}" in the registry`,
      });
  });

  const history = await loadPlanningHistory(db, {
    currency,
    campaignIds: request.history.campaignIds ?? null,
    lastCampaigns: request.history.lastCampaigns,
    now,
  }).catch((err: unknown) => {
    if (!(err instanceof AggregateError)) throw err;
    for (const e of err.errors as HistorySelectionError[])
      errors.push({ field: e.field, message: e.message });
    return null;
  });
  if (errors.length > 0 || !history) throw validationProblem(errors);

  const notes: string[] = [];
  const units = request.channels.map((c) => ({
    channelId: byCode.get(c.channelCode)!.id,
    materialVariant: c.materialVariant ?? null,
  }));
  const candidates = request.channels.map((c, i) => {
    const channel = byCode.get(c.channelCode)!;
    if (channel.retiredAt) notes.push(`${c.channelCode} is retired: planned from its history all the same`);
    const found = history.historyOf(units[i]!);
    notes.push(...found.notes.map((note) => `${c.channelCode}: ${note}`));
    const candidate: Candidate = {
      channelCode: c.channelCode,
      materialVariant: c.materialVariant ?? null,
      kind: channel.kind,
      minimumMinor: c.minimumSpend?.minor ?? 0,
      maximumMinor: c.maximumSpend?.minor ?? null,
      capacityRegistrations: c.capacityRegistrations ?? null,
    };
    return { candidate, history: found.history };
  });
  for (const c of history.campaigns) if (c.leftOut) notes.push(`campaign ${c.id} left out: ${c.leftOut}`);
  try {
    const plan = buildPlan({
      currency,
      budgetMinor: request.budget.minor,
      objective: request.objective,
      explorationFloorBasisPoints: request.explorationFloorBasisPoints,
      candidates,
      kindPools: history.kindPools(units),
    });
    return { plan, campaigns: history.campaigns, notes };
  } catch (err) {
    if (err instanceof PlanningInputError)
      throw validationProblem([{ field: err.field, message: err.message }]);
    throw err;
  }
}
