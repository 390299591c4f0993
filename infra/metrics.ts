// Prometheus metrics (docs/api/operations.md lists them). The API process keeps its own registry and
// serves it at GET /metrics: HTTP latency by route pattern, ingest counts and workflow starts. The
// worker process counts activity failures through Temporal's metric meter instead, so that they are
// scraped with the Core SDK's own metrics from WORKER_METRICS_ADDRESS (see worker/main.ts).
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import type { Context as ActivityContext } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** One registry per process, created on first import: metrics must not be registered twice. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'API request latency, by method, Express route pattern (never the raw path) and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

const ingestItems = new Counter({
  name: 'funnel_ingest_items_total',
  help: 'Registrations, customer events and delivery reports received by the ingest API, by what was done with each item',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

const workflowStarts = new Counter({
  name: 'campaign_workflow_starts_total',
  help: 'Campaign workflow starts requested by the API or its reconciler, by outcome',
  labelNames: ['workflow_type', 'outcome'] as const,
  registers: [registry],
});

/** The label for requests no route matched (404s, static files): raw paths would explode the series. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** The Express route pattern that served the request, e.g. `/campaigns/:id/timeline`. */
export function routePattern(req: { route?: { path?: unknown }; baseUrl?: string }): string {
  const path = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : UNMATCHED_ROUTE;
}

/** Middleware: observes every response's latency once it has been sent. */
export function httpMetrics(): RequestHandler {
  return (req, res, next) => {
    const end = httpDuration.startTimer();
    res.on('finish', () =>
      end({ method: req.method, route: routePattern(req), status: String(res.statusCode) }),
    );
    next();
  };
}

export type IngestKind = 'registration' | 'event' | 'delivery_report';

export const metrics = {
  /** Counts one ingest request's items by their outcome (accepted, flagged, duplicate_request, rejected). */
  ingest(kind: IngestKind, results: readonly { status: string }[]): void {
    for (const result of results) ingestItems.inc({ kind, outcome: result.status });
  },
  /** Counts a workflow start: 'started', or 'already_started' when the deterministic id found it running. */
  workflowStart(workflowType: string, outcome: 'started' | 'already_started'): void {
    workflowStarts.inc({ workflow_type: workflowType, outcome });
  },
};

/** The name of the worker's activity-failure counter (Core SDK Prometheus exporter; no `_total` suffix). */
export const ACTIVITY_FAILURES_METRIC = 'campaign_activity_failures';

/** What kind of failure an activity attempt ended with: its ApplicationFailure type, or the error class. */
export function failureKind(err: unknown): string {
  if (err instanceof ApplicationFailure) return err.type ?? 'ApplicationFailure';
  if (err instanceof CancelledFailure) return 'Cancelled';
  if (err instanceof Error) return err.name || 'Error';
  return 'Unknown';
}

/**
 * Activity interceptor: every failed attempt (retried or final) adds one to `campaign_activity_failures`
 * with the activity type (added by the meter) and the failure kind. Cancellation is not a failure.
 */
export class ActivityFailureCounter implements ActivityInboundCallsInterceptor {
  constructor(private readonly ctx: Pick<ActivityContext, 'metricMeter'>) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>) {
    try {
      return await next(input);
    } catch (err) {
      const kind = failureKind(err);
      if (kind !== 'Cancelled') {
        this.ctx.metricMeter
          .createCounter(
            ACTIVITY_FAILURES_METRIC,
            'failures',
            'Failed activity attempts, by activity type and failure kind',
          )
          .add(1, { failure: kind });
      }
      throw err;
    }
  }
}

export const DEFAULT_WORKER_METRICS_ADDRESS = '127.0.0.1:9464';

/**
 * Where the worker serves its Prometheus metrics: WORKER_METRICS_ADDRESS as `host:port`, the default
 * when unset, or null when set to `off` (e.g. several workers on one host without distinct ports).
 */
export function workerMetricsAddress(value: string | undefined): string | null {
  if (value === undefined || value.trim() === '') return DEFAULT_WORKER_METRICS_ADDRESS;
  if (value.trim().toLowerCase() === 'off') return null;
  const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value.trim());
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
    throw new Error(`WORKER_METRICS_ADDRESS must be host:port or "off", not "${value}"`);
  }
  return value.trim();
}
