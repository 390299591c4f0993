// The metrics module: route patterns as labels, ingest and workflow-start counters in the registry's
// text output, the worker's metrics address, and the activity-failure interceptor.
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ActivityExecuteInput } from '@temporalio/worker';
import {
  ACTIVITY_FAILURES_METRIC,
  ActivityFailureCounter,
  metrics,
  registry,
  routePattern,
  UNMATCHED_ROUTE,
  workerMetricsAddress,
} from '../../../infra/metrics';

describe('routePattern', () => {
  it('labels a request by the pattern that matched it, never by its raw path', () => {
    expect(routePattern({ route: { path: '/campaigns/:id/timeline' }, baseUrl: '' })).toBe(
      '/campaigns/:id/timeline',
    );
    expect(routePattern({ route: { path: '/:file' }, baseUrl: '/console' })).toBe('/console/:file');
    expect(routePattern({ baseUrl: '' })).toBe(UNMATCHED_ROUTE);
  });
});

describe('metrics', () => {
  it('counts ingest items by kind and outcome, and workflow starts by outcome', async () => {
    metrics.ingest('registration', [{ status: 'accepted' }, { status: 'accepted' }, { status: 'flagged' }]);
    metrics.ingest('event', [{ status: 'rejected' }]);
    metrics.workflowStart('campaignWorkflow', 'started');
    const text = await registry.metrics();
    expect(text).toContain('funnel_ingest_items_total{kind="registration",outcome="accepted"} 2');
    expect(text).toContain('funnel_ingest_items_total{kind="registration",outcome="flagged"} 1');
    expect(text).toContain('funnel_ingest_items_total{kind="event",outcome="rejected"} 1');
    expect(text).toContain(
      'campaign_workflow_starts_total{workflow_type="campaignWorkflow",outcome="started"} 1',
    );
  });
});

describe('workerMetricsAddress', () => {
  it('defaults to loopback:9464, accepts host:port and "off", refuses anything else', () => {
    expect(workerMetricsAddress(undefined)).toBe('127.0.0.1:9464');
    expect(workerMetricsAddress('')).toBe('127.0.0.1:9464');
    expect(workerMetricsAddress('0.0.0.0:9000')).toBe('0.0.0.0:9000');
    expect(workerMetricsAddress('[::1]:9464')).toBe('[::1]:9464');
    expect(workerMetricsAddress('off')).toBeNull();
    expect(() => workerMetricsAddress('9464')).toThrow(/host:port/);
    expect(() => workerMetricsAddress('localhost:70000')).toThrow(/host:port/);
  });
});

describe('ActivityFailureCounter', () => {
  function counter() {
    const added: { name: string; value: number; attrs: unknown }[] = [];
    const meter = {
      createCounter: (name: string) => ({
        add: (value: number, attrs: unknown) => added.push({ name, value, attrs }),
      }),
    };
    return { added, interceptor: new ActivityFailureCounter({ metricMeter: meter as never }) };
  }
  const input = { args: [], headers: {} } as unknown as ActivityExecuteInput;

  it('counts a failed attempt by failure kind and rethrows it', async () => {
    const { added, interceptor } = counter();
    const failure = ApplicationFailure.create({ type: 'ChannelRejected', message: 'no' });
    await expect(interceptor.execute(input, async () => Promise.reject(failure))).rejects.toBe(failure);
    await expect(interceptor.execute(input, async () => Promise.reject(new TypeError('x')))).rejects.toThrow(
      'x',
    );
    expect(added).toEqual([
      { name: ACTIVITY_FAILURES_METRIC, value: 1, attrs: { failure: 'ChannelRejected' } },
      { name: ACTIVITY_FAILURES_METRIC, value: 1, attrs: { failure: 'TypeError' } },
    ]);
  });

  it('counts neither successes nor cancellations', async () => {
    const { added, interceptor } = counter();
    await expect(interceptor.execute(input, async () => 'done')).resolves.toBe('done');
    await expect(
      interceptor.execute(input, async () => Promise.reject(new CancelledFailure('paused'))),
    ).rejects.toBeInstanceOf(CancelledFailure);
    expect(added).toEqual([]);
  });
});
