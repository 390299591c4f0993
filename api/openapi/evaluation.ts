// OpenAPI entries of evaluation (api/evaluation/routes.ts): reports (AAC / CAC / LROI), versions, CSV
// exports and the cross-campaign channel comparison. docs/api/evaluation.md. The response schemas are
// declared where the responses are produced (api/evaluation/views.ts, evaluation/db-comparison.ts).
import { z } from 'zod';
import { ChannelComparisonSchema, type ChannelComparison } from '../../evaluation/db-comparison';
import * as metrics from '../../evaluation/metrics';
import { renderMoneyRatio, renderRatio } from '../../evaluation/render';
import { ComparisonQuery, ListQuery, ProvisionalBody, VersionQuery } from '../evaluation/routes';
import { EvaluationSchema, EvaluationSummarySchema, type EvaluationView } from '../evaluation/views';
import { EX, pageOf } from './common';
import { exampleReport } from './evaluation-example';
import type { RouteDoc } from './registry';
import { CampaignIdParams } from '../campaigns/params';

const evaluationExample: EvaluationView = {
  id: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5',
  campaignId: EX.campaignId,
  version: 2,
  provisional: false,
  status: exampleReport.status,
  planVersion: 1,
  factsDigest: 'sha256:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8',
  computedAt: '2026-05-01T02:00:00.000Z',
  costScopes: exampleReport.definitions.costScopes,
  factSources: exampleReport.facts.sources,
  report: exampleReport,
};

// Ratios rendered by the library from the row's sums, so that they agree with them.
const comparisonExample: ChannelComparison = {
  currency: 'CNY',
  lastCampaigns: 10,
  includeProvisional: false,
  definition:
    'Per channel over the compared campaigns: AAC = Σ acquisition-scope cost ÷ Σ activated customers, CAC = Σ acquisition-scope cost ÷ Σ valid registrations, …',
  campaigns: [
    {
      campaignId: EX.campaignId,
      name: 'Spring account-opening push',
      reportId: evaluationExample.id,
      reportVersion: 2,
      provisional: false,
      computedAt: evaluationExample.computedAt,
    },
  ],
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
      activationRate: renderRatio(metrics.activationRate(790, 2210)),
      cac: renderMoneyRatio(metrics.cac(1105000, 2210), 'CNY'),
      aac: renderMoneyRatio(metrics.aac(1105000, 790), 'CNY'),
    },
  ],
};

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
        schema: pageOf(EvaluationSummarySchema),
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
          report: { ...exampleReport, status: 'provisional' },
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
        schema: ChannelComparisonSchema,
        name: 'ChannelComparison',
        example: comparisonExample,
      },
    },
  },
];
