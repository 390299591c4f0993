// OpenAPI entries of the system endpoints: health probes, this description and its docs page, the
// Prometheus metrics, and the browser console's entry page.
import { z } from 'zod';
import type { RouteDoc } from './registry';

const CheckSchema = z.object({ ok: z.boolean(), error: z.string().optional() });
const ReadinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ database: CheckSchema, temporal: CheckSchema }),
});

const TAG = 'System';

export const systemRoutesDoc: RouteDoc[] = [
  {
    method: 'get',
    path: '/healthz',
    tag: TAG,
    operationId: 'liveness',
    summary: 'Liveness: the process answers',
    responses: {
      200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }), example: { status: 'ok' } },
    },
  },
  {
    method: 'get',
    path: '/readyz',
    tag: TAG,
    operationId: 'readiness',
    summary: 'Readiness: the database and Temporal both answer',
    responses: {
      200: {
        description: 'Ready',
        schema: ReadinessSchema,
        example: { status: 'ready', checks: { database: { ok: true }, temporal: { ok: true } } },
      },
      503: {
        description: 'Not ready; the failing check says why',
        schema: ReadinessSchema,
        example: {
          status: 'not_ready',
          checks: { database: { ok: true }, temporal: { ok: false, error: 'no answer within 2000 ms' } },
        },
      },
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    tag: TAG,
    operationId: 'openApiDocument',
    summary: 'This API description (OpenAPI 3.1)',
    responses: {
      200: {
        description: 'The OpenAPI document',
        schema: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }),
      },
    },
  },
  {
    method: 'get',
    path: '/docs',
    tag: TAG,
    operationId: 'apiDocsPage',
    summary: 'Interactive API reference (HTML; Swagger UI rendering /openapi.json, with "Try it out")',
    responses: { 200: { description: 'The page', contentType: 'text/html', schema: z.string() } },
  },
  {
    method: 'get',
    path: '/docs/vendor/:file',
    tag: TAG,
    operationId: 'apiDocsVendorFile',
    summary: 'A file of the pinned Swagger UI (swagger-ui-bundle.js, swagger-ui.css) the page loads',
    params: z.object({ file: z.enum(['swagger-ui-bundle.js', 'swagger-ui.css']) }),
    errors: [404],
    responses: { 200: { description: 'The file', contentType: 'text/plain', schema: z.string() } },
  },
  {
    method: 'get',
    path: '/docs/assets/:file',
    tag: TAG,
    operationId: 'apiDocsAsset',
    summary: "The page's own start-up script and style (docs.js, docs.css)",
    params: z.object({ file: z.enum(['docs.js', 'docs.css']) }),
    errors: [404],
    responses: { 200: { description: 'The file', contentType: 'text/plain', schema: z.string() } },
  },
  {
    method: 'get',
    path: '/metrics',
    tag: TAG,
    operationId: 'metrics',
    summary: 'Prometheus metrics of the API process (text exposition format)',
    description:
      'HTTP latency by route pattern, ingest counts, workflow starts, process metrics. The worker serves its own (Temporal SDK metrics and activity failures) at WORKER_METRICS_ADDRESS. docs/api/operations.md lists every metric.',
    responses: {
      200: {
        description: 'The metrics',
        contentType: 'text/plain',
        schema: z.string(),
        example:
          '# HELP funnel_ingest_items_total Registrations and customer events received by the ingest API, by what was done with each item\n# TYPE funnel_ingest_items_total counter\nfunnel_ingest_items_total{kind="registration",outcome="accepted"} 1190\n',
      },
    },
  },
  {
    method: 'get',
    path: '/console',
    tag: TAG,
    operationId: 'consoleEntry',
    summary: 'The browser console (redirects to /console/, whose files are served from there)',
    responses: { 301: { description: 'Redirect to /console/' } },
  },
];
