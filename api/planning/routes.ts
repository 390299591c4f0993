// POST /planning/allocations: the allocation planner over the facts. Thin: validate (zod, then the
// channels and history campaigns against the database, every problem named by field), read the history
// (planning/db-history.ts), build the plan (planning/plan.ts, pure), render it (view.ts). Nothing is written.
import { Router } from 'express';
import type { Db } from '../../db/client';
import { HistorySelectionError, loadPlanningHistory } from '../../planning/db-history';
import { buildPlan, PlanningInputError, type Candidate } from '../../planning/plan';
import { handle } from '../handler';
import { validationProblem, type FieldError } from '../problem';
import { parseWith } from '../validate';
import { PlanRequestSchema } from './schemas';
import { planView } from './view';

export function planningRoutes(db: Db, now: () => Date = () => new Date()): Router {
  const router = Router();

  router.post(
    '/planning/allocations',
    handle(async (req) => {
      const request = parseWith(PlanRequestSchema, req.body, 'body');
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
          errors.push({ field: `channels.${i}.channelCode`, message: `no channel "${c.channelCode}" in the registry` });
      });

      const history = await loadPlanningHistory(db, {
        currency,
        campaignIds: request.history.campaignIds ?? null,
        lastCampaigns: request.history.lastCampaigns,
        now: now(),
      }).catch((err: unknown) => {
        if (!(err instanceof AggregateError)) throw err;
        for (const e of err.errors as HistorySelectionError[]) errors.push({ field: e.field, message: e.message });
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
      let plan;
      try {
        plan = buildPlan({
          currency,
          budgetMinor: request.budget.minor,
          objective: request.objective,
          explorationFloorBasisPoints: request.explorationFloorBasisPoints,
          candidates,
          kindPools: history.kindPools(units),
        });
      } catch (err) {
        if (err instanceof PlanningInputError) throw validationProblem([{ field: err.field, message: err.message }]);
        throw err;
      }
      return { status: 200, body: planView(plan, history.campaigns, notes) };
    }),
  );

  return router;
}
