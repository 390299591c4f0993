// POST /planning/allocations: the allocation planner over the facts. Thin: validate the body (zod),
// plan (plan-service.ts: database checks, history, the pure planner), render (view.ts). Writes nothing.
import { Router } from 'express';
import type { Db } from '../../db/client';
import { handle } from '../handler';
import { parseWith } from '../validate';
import { planAllocation } from './plan-service';
import { PlanRequestSchema } from './schemas';
import { planView } from './view';

export function planningRoutes(db: Db, now: () => Date = () => new Date()): Router {
  const router = Router();
  router.post(
    '/planning/allocations',
    handle(async (req) => {
      const request = parseWith(PlanRequestSchema, req.body, 'body');
      const { plan, campaigns, notes } = await planAllocation(db, request, now());
      return { status: 200, body: planView(plan, campaigns, notes) };
    }),
  );
  return router;
}
