// Evaluation routes: read a campaign's evaluation report (latest or one version) and its versions, ask
// for a provisional evaluation now, export the per-channel / per-material / per-cohort tables as CSV,
// and compare channels across the last N evaluated campaigns. (A channel's internal profile is
// recomputed in api/channels/profile-routes.ts.)
import { decodeVersionCursor, encodeVersionCursor } from '../pagination';
import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { toCsv } from '../../evaluation/csv';
import { compareChannels } from '../../evaluation/db-comparison';
import { EvaluationInputError } from '../../evaluation/input';
import { EvaluationFactsError } from '../../evaluation/sql';
import {
  evaluateAndStore,
  findEvaluation,
  listEvaluations,
  type StoredEvaluationReport,
} from '../../evaluation/store';
import { handle, idempotent } from '../handler';
import { notFound, Problem } from '../problem';
import { EmptyBody, parseWith } from '../validate';
import { evaluationSummaryView, evaluationView } from './views';
import { CampaignIdParams } from '../campaigns/params';

export const VersionQuery = z.strictObject({ version: z.coerce.number().int().min(1).optional() });
export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});
export const ProvisionalBody = EmptyBody;
export const ComparisonQuery = z.strictObject({
  lastCampaigns: z.coerce.number().int().min(1).max(200).default(10),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO-4217 currency code such as "CNY"')
    .default('CNY'),
  includeProvisional: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});

const TABLES = {
  'channels.csv': 'byChannel',
  'materials.csv': 'byMaterial',
  'cohorts.csv': 'byCohort',
} as const satisfies Record<string, keyof StoredEvaluationReport>;

/** Facts that cannot be evaluated (mixed currencies, unknown cost scope) are the data's fault, not a 500. */
function unprocessable(err: unknown): never {
  if (err instanceof EvaluationFactsError || err instanceof EvaluationInputError) {
    throw new Problem(422, 'Unprocessable Content', err.message);
  }
  throw err;
}

export function evaluationRoutes(db: Db, now: () => Date = () => new Date()): Router {
  const router = Router();

  async function campaignOf(req: Request) {
    const { id } = parseWith(CampaignIdParams, req.params, 'params');
    const campaign = await db.campaign.findUnique({ where: { id }, select: { id: true } });
    if (!campaign) throw notFound('campaign', id);
    return campaign;
  }

  async function reportOf(req: Request) {
    const campaign = await campaignOf(req);
    const { version } = parseWith(VersionQuery, req.query, 'query');
    const row = await findEvaluation(db, campaign.id, version);
    if (!row) {
      throw new Problem(
        404,
        'Not Found',
        version === undefined
          ? `campaign ${campaign.id} has no evaluation yet (POST /campaigns/${campaign.id}/evaluation computes a provisional one)`
          : `campaign ${campaign.id} has no evaluation version ${version}`,
      );
    }
    return row;
  }

  router.get(
    '/campaigns/:id/evaluation',
    handle(async (req) => ({ status: 200, body: evaluationView(await reportOf(req)) })),
  );

  router.get(
    '/campaigns/:id/evaluations',
    handle(async (req) => {
      const campaign = await campaignOf(req);
      const q = parseWith(ListQuery, req.query, 'query');
      const history = await listEvaluations(db, campaign.id, q.limit, decodeVersionCursor(q.cursor));
      return {
        status: 200,
        body: {
          items: history.items.map((row) => evaluationSummaryView(campaign.id, row)),
          nextCursor:
            history.nextBeforeVersion === null ? null : encodeVersionCursor(history.nextBeforeVersion),
        },
      };
    }),
  );

  router.post(
    '/campaigns/:id/evaluation',
    idempotent(db, 'evaluations.provisional', async (req) => {
      const campaign = await campaignOf(req);
      parseWith(ProvisionalBody, req.body, 'body');
      const { report, reused } = await evaluateAndStore(db, {
        campaignId: campaign.id,
        provisional: true,
        now: now(),
      }).catch(unprocessable);
      return {
        status: reused ? 200 : 201,
        headers: { Location: `/campaigns/${campaign.id}/evaluation?version=${report.version}` },
        body: { ...evaluationView(report), reused },
      };
    }),
  );

  for (const [file, table] of Object.entries(TABLES)) {
    const csvRoute: RequestHandler = async (req, res) => {
      const row = await reportOf(req);
      const report = row.report as unknown as StoredEvaluationReport;
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .setHeader(
          'Content-Disposition',
          `attachment; filename="evaluation-${row.campaignId}-v${row.version}-${file}"`,
        )
        .send(toCsv(report[table]));
    };
    router.get(`/campaigns/:id/evaluation/${file}`, csvRoute);
  }

  router.get(
    '/evaluations/channels',
    handle(async (req) => {
      const q = parseWith(ComparisonQuery, req.query, 'query');
      return { status: 200, body: await compareChannels(db, q) };
    }),
  );

  return router;
}
