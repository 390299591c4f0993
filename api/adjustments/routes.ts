// Adjustments of a campaign's money after the fact (docs/api/adjustments.md): fraud flags from the bank's
// anti-fraud / KYC systems (the registration leaves the funnel, its costs are clawed back) and cost
// corrections (a booked cost restated up or down). Each is written as signed adjustment entries, and a new
// evaluation version follows at once. Routes are thin: the rules are in funnel/ingest/fraud-flag-ingest.ts
// and funnel/ingest/cost-correction.ts.
import { Router, type Request } from 'express';
import type { Db } from '../../db/client';
import { money } from '../../domain/money';
import { evaluateAfterAdjustment } from '../../evaluation/follow-up';
import { correctCost, CostCorrectionRefusal } from '../../funnel/ingest/cost-correction';
import { flagRegistration, FraudFlagRefusal } from '../../funnel/ingest/fraud-flag-ingest';
import { actorOf } from '../auth/principal';
import { handle, idempotent } from '../handler';
import { decodeCursor, encodeCursor, page } from '../pagination';
import { notFound, Problem, validationProblem } from '../problem';
import { parseWith } from '../validate';
import {
  AdjustmentListQuery,
  CostCorrectionRequestSchema,
  FlagParams,
  FraudFlagRequestSchema,
} from './schemas';
import { costCorrectionView, fraudFlagView } from './views';
import { CampaignIdParams } from '../campaigns/params';

function flagProblem(err: unknown): never {
  if (!(err instanceof FraudFlagRefusal)) throw err;
  const errors = [{ field: err.field, message: err.message, reason: err.kind }];
  switch (err.kind) {
    case 'not_found':
      throw new Problem(404, 'Not Found', err.message, { errors });
    case 'window_closed':
      throw Problem.of('post-attribution-window-closed', err.message, { errors });
    default:
      throw Problem.of('conflict', err.message, { errors });
  }
}

function correctionProblem(err: unknown): never {
  if (!(err instanceof CostCorrectionRefusal)) throw err;
  const errors = [{ field: err.field, message: err.message, reason: err.kind }];
  switch (err.kind) {
    case 'negative_total':
      throw Problem.of('negative-total', err.message, { errors, ...err.extra });
    case 'clawed_back':
      throw Problem.of('conflict', err.message, { errors });
    default:
      throw Problem.of('unprocessable', err.message, { errors });
  }
}

export function adjustmentRoutes(db: Db, now: () => Date = () => new Date()): Router {
  const router = Router();

  async function campaignOf(req: Request) {
    const { id } = parseWith(CampaignIdParams, req.params, 'params');
    const campaign = await db.campaign.findUnique({ where: { id }, select: { id: true } });
    if (!campaign) throw notFound('campaign', id);
    return campaign;
  }

  async function channelCodes(ids: string[]): Promise<Map<string, string>> {
    const rows = await db.channel.findMany({
      where: { id: { in: [...new Set(ids)] } },
      select: { id: true, code: true },
    });
    return new Map(rows.map((row) => [row.id, row.code]));
  }

  router.post(
    '/campaigns/:id/registrations/:customerRef/flags',
    idempotent(db, 'adjustments.fraud-flags', async (req, res) => {
      const { customerRef } = parseWith(FlagParams, req.params, 'params');
      const campaign = await campaignOf(req);
      const body = parseWith(FraudFlagRequestSchema, req.body, 'body');
      const at = now();
      const { flag, created } = await flagRegistration(db, {
        ...body,
        campaignId: campaign.id,
        customerRef,
        actor: actorOf(res),
        now: at,
      }).catch(flagProblem);
      // Also on a repeat: if the first request's evaluation could not run, the retry completes it.
      const evaluation = await evaluateAfterAdjustment(db, campaign.id, at);
      const codes = await channelCodes([flag.channelId]);
      return {
        status: created ? 201 : 200,
        headers: { Location: `/campaigns/${campaign.id}/fraud-flags` },
        body: { flag: fraudFlagView(flag, codes.get(flag.channelId) ?? flag.channelId), created, evaluation },
      };
    }),
  );

  router.get(
    '/campaigns/:id/fraud-flags',
    handle(async (req) => {
      const campaign = await campaignOf(req);
      const q = parseWith(AdjustmentListQuery, req.query, 'query');
      const cursor = decodeCursor(q.cursor);
      const rows = await db.fraudFlag.findMany({
        where: {
          campaignId: campaign.id,
          ...(cursor
            ? {
                OR: [
                  { flaggedAt: { lt: new Date(cursor.createdAt) } },
                  { flaggedAt: new Date(cursor.createdAt), id: { lt: cursor.id } },
                ],
              }
            : {}),
        },
        orderBy: [{ flaggedAt: 'desc' }, { id: 'desc' }],
        take: q.limit + 1,
      });
      const items = rows.slice(0, q.limit);
      const last = items[items.length - 1];
      const codes = await channelCodes(items.map((row) => row.channelId));
      return {
        status: 200,
        body: {
          items: items.map((row) => fraudFlagView(row, codes.get(row.channelId) ?? row.channelId)),
          nextCursor:
            rows.length > q.limit && last ? encodeCursor({ createdAt: last.flaggedAt, id: last.id }) : null,
        },
      };
    }),
  );

  router.post(
    '/campaigns/:id/cost-corrections',
    idempotent(db, 'adjustments.cost-corrections', async (req, res) => {
      const campaign = await campaignOf(req);
      // A correction moves money: a retry without a key would correct twice, so the key is required.
      if (req.header('Idempotency-Key') === undefined) {
        throw validationProblem([
          {
            field: 'header.Idempotency-Key',
            message: 'is required: a cost correction retried without it would be booked twice',
          },
        ]);
      }
      const body = parseWith(CostCorrectionRequestSchema, req.body, 'body');
      const at = now();
      const outcome = await correctCost(db, {
        ...body,
        campaignId: campaign.id,
        actor: actorOf(res),
        now: at,
      }).catch(correctionProblem);
      const evaluation = await evaluateAfterAdjustment(db, campaign.id, at);
      const { correction } = outcome;
      const codes = await channelCodes([correction.channelId]);
      return {
        status: 201,
        headers: { Location: `/campaigns/${campaign.id}/cost-corrections` },
        body: {
          correction: costCorrectionView(correction, codes.get(correction.channelId) ?? correction.channelId),
          totalBefore: money(outcome.totalBeforeMinor, correction.currency),
          totalAfter: money(outcome.totalAfterMinor, correction.currency),
          evaluation,
        },
      };
    }),
  );

  router.get(
    '/campaigns/:id/cost-corrections',
    handle(async (req) => {
      const campaign = await campaignOf(req);
      const q = parseWith(AdjustmentListQuery, req.query, 'query');
      const cursor = decodeCursor(q.cursor);
      const rows = await db.costCorrection.findMany({
        where: {
          campaignId: campaign.id,
          ...(cursor
            ? {
                OR: [
                  { createdAt: { lt: new Date(cursor.createdAt) } },
                  { createdAt: new Date(cursor.createdAt), id: { lt: cursor.id } },
                ],
              }
            : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: q.limit + 1,
      });
      const { items, nextCursor } = page(rows, q.limit);
      const codes = await channelCodes(items.map((row) => row.channelId));
      return {
        status: 200,
        body: {
          items: items.map((row) => costCorrectionView(row, codes.get(row.channelId) ?? row.channelId)),
          nextCursor,
        },
      };
    }),
  );

  return router;
}
