// OpenAPI entries of evaluation (api/evaluation/routes.ts): reports (AAC / CAC / LROI), versions, CSV
// exports and the cross-campaign channel comparison. docs/api/evaluation.md.
import { z } from 'zod';
import { ComparisonQuery, ListQuery, ProvisionalBody, VersionQuery } from '../evaluation/routes';
import { AttributionStatementSchema } from '../../evaluation/attribution-statement';
import { EX, pageOf, Timestamp, Uuid } from './common';
import type { RouteDoc } from './registry';
import { CampaignIdParams } from '../campaigns/params';

const EvaluationSchema = z.looseObject({
  id: Uuid,
  campaignId: Uuid,
  version: z.int(),
  provisional: z.boolean(),
  status: z.enum(['final', 'provisional']),
  planVersion: z.int(),
  factsDigest: z.string(),
  computedAt: Timestamp,
  costScopes: z.unknown(),
  factSources: z.unknown(),
  report: z
    .looseObject({
      attribution: AttributionStatementSchema.optional().describe(
        'The attribution rule and windows the registrations were credited under, and valid registrations by basis (absent in reports stored before attribution existed)',
      ),
    })
    .meta({
      description:
        'overall, byChannel (per attributed channel; the row whose channelId is "unattributed" holds registrations credited to no channel and their costs), byMaterial, byCohort, unattributedCosts, lift, checks, definitions, facts, attribution. Each row: funnel (placements, impressions, clicks, registrationsStarted, registrationsValid, …; null where not reported), costs, revenue and the ratios (clickThroughRate, registrationsPerClick, startsPerClick, registrationsPerStart, activationRate, cac, aac, lroi, roi, …) — docs/api/evaluation.md',
    }),
});

const evaluationExample = {
  id: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5',
  campaignId: EX.campaignId,
  version: 2,
  provisional: false,
  status: 'final',
  planVersion: 1,
  factsDigest: 'sha256:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8',
  computedAt: '2026-05-01T02:00:00.000Z',
  costScopes: { acquisition: ['CAC', 'AAC', 'ROI'], period: ['LROI', 'ROI'] },
  factSources: null,
  report: { overall: { registrations: 1190, activated: 402, aac: { minor: 1480, currency: 'CNY' } } },
};

const SummarySchema = z.object({
  id: Uuid,
  campaignId: Uuid,
  version: z.int(),
  provisional: z.boolean(),
  planVersion: z.int(),
  factsDigest: z.string(),
  computedAt: Timestamp,
  href: z.string(),
});

const TAG = 'Evaluation';

const csv = (file: 'channels' | 'materials' | 'cohorts'): RouteDoc => ({
  method: 'get',
  path: `/campaigns/:id/evaluation/${file}.csv`,
  tag: TAG,
  operationId: `export${file[0]!.toUpperCase()}${file.slice(1)}Csv`,
  summary: `The per-${file.slice(0, -1)} table of an evaluation as CSV`,
  description:
    'RFC 4180, CRLF, header row. Money as integer minor units and as major-unit decimals side by side; an undefined ratio is an empty cell with its reason in undefinedReasons.',
  params: CampaignIdParams,
  query: VersionQuery,
  errors: [404],
  responses: {
    200: {
      description: 'The table',
      contentType: 'text/csv',
      schema: z.string(),
      headers: ['Content-Disposition'],
      example: 'channelCode,registrations,activated,aacMinor,aac\r\nwechat-pay,640,221,1392,13.92\r\n',
    },
  },
});

export const evaluationRoutesDoc: RouteDoc[] = [
  {
    method: 'get',
    path: '/campaigns/:id/evaluation',
    tag: TAG,
    operationId: 'getEvaluation',
    summary: "The campaign's latest evaluation report, or one version",
    params: CampaignIdParams,
    query: VersionQuery,
    errors: [404],
    responses: {
      200: {
        description: 'The report',
        schema: EvaluationSchema,
        name: 'Evaluation',
        example: evaluationExample,
      },
    },
  },
  {
    method: 'get',
    path: '/campaigns/:id/evaluations',
    tag: TAG,
    operationId: 'listEvaluations',
    summary: 'The evaluation versions of a campaign, newest first, without bodies',
    params: CampaignIdParams,
    query: ListQuery,
    errors: [404],
    responses: {
      200: {
        description: 'A page of versions',
        schema: pageOf(SummarySchema),
        example: {
          items: [
            {
              id: evaluationExample.id,
              campaignId: EX.campaignId,
              version: 2,
              provisional: false,
              planVersion: 1,
              factsDigest: evaluationExample.factsDigest,
              computedAt: evaluationExample.computedAt,
              href: `/campaigns/${EX.campaignId}/evaluation?version=2`,
            },
          ],
          nextCursor: null,
        },
      },
    },
  },
  {
    method: 'post',
    path: '/campaigns/:id/evaluation',
    tag: TAG,
    operationId: 'evaluateNow',
    summary: 'Compute a provisional evaluation now',
    description:
      'Computes a provisional report through the same code as the workflow. 201 with a new version; 200 with the latest report (reused: true) when the facts have not changed; 422 when the facts cannot be evaluated (mixed currencies, unknown cost scope).',
    params: CampaignIdParams,
    body: { schema: ProvisionalBody, name: 'EmptyBody', example: {} },
    idempotent: true,
    errors: [404, 422],
    responses: {
      200: {
        description: 'Unchanged facts: the latest report',
        schema: EvaluationSchema.extend({ reused: z.literal(true) }),
        example: { ...evaluationExample, reused: true },
      },
      201: {
        description: 'A new provisional version',
        schema: EvaluationSchema.extend({ reused: z.literal(false) }),
        headers: ['Location'],
        example: {
          ...evaluationExample,
          version: 3,
          provisional: true,
          status: 'provisional',
          reused: false,
        },
      },
    },
  },
  csv('channels'),
  csv('materials'),
  csv('cohorts'),
  {
    method: 'get',
    path: '/evaluations/channels',
    tag: TAG,
    operationId: 'compareChannels',
    summary: 'Which channels bring active customers cheapest, over the last N evaluated campaigns',
    query: ComparisonQuery,
    responses: {
      200: {
        description: 'Channels ranked by AAC (cost per activated customer)',
        schema: z.looseObject({
          currency: z.string(),
          lastCampaigns: z.int(),
          includeProvisional: z.boolean(),
          definition: z.string(),
          campaigns: z.array(z.looseObject({})),
          channels: z.array(
            z.looseObject({
              rank: z.int().nullable(),
              channelId: Uuid,
              channelCode: z.string().nullable(),
              campaigns: z.int(),
              registrations: z.int(),
              activated: z.int(),
            }),
          ),
        }),
        example: {
          currency: 'CNY',
          lastCampaigns: 10,
          includeProvisional: false,
          definition: 'AAC = acquisition cost / activated customers, summed over the compared campaigns',
          campaigns: [{ campaignId: EX.campaignId, name: 'Spring account-opening push', version: 2 }],
          channels: [
            {
              rank: 1,
              channelId: EX.channelId,
              channelCode: 'wechat-pay',
              channelName: 'WeChat Pay mini-program',
              campaigns: 3,
              registrations: 2210,
              activated: 790,
              acquisitionCost: { minor: 1105000, currency: 'CNY' },
            },
          ],
        },
      },
    },
  },
];
